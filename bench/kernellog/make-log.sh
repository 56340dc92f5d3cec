#!/usr/bin/env bash
# Writes a kernel log of about SIZE_MB (default 100) MB by replicating real logs, each copy with its dmesg
# timestamps shifted forward so that time keeps rising:
#   - ../shared/fixtures/cgroup2-debian-6.1/kmsg.txt   (a 6.1 boot log with a v2 memcg OOM, dmesg format)
#   - src/test/resources/fixtures/kernel-log/oom-v1-6.18/dmesg.txt (a v1 memcg OOM on 6.18, dmesg format)
#   - ../shared/conformance/oom/13-rpi-6.12-global-oom-no-timestamps.log (a global OOM, no timestamps)
# Usage: bench/kernellog/make-log.sh OUT [SIZE_MB]
set -euo pipefail
out=${1:?usage: make-log.sh OUT [SIZE_MB]}
size_mb=${2:-100}
here=$(cd "$(dirname "$0")/../.." && pwd)
shared=${NODEDOCTOR_SHARED:-$here/../shared}
one=$(mktemp)
trap 'rm -f "$one"' EXIT
cat "$shared/fixtures/cgroup2-debian-6.1/kmsg.txt" \
    "$here/src/test/resources/fixtures/kernel-log/oom-v1-6.18/dmesg.txt" \
    "$shared/conformance/oom/13-rpi-6.12-global-oom-no-timestamps.log" > "$one"
one_bytes=$(stat -c %s "$one")
copies=$(( size_mb * 1024 * 1024 / one_bytes + 1 ))
# each copy: add copy × 3000 s to every "[  seconds.micros]" timestamp at the start of a line
awk -v copies="$copies" '
  { line[NR] = $0 }
  END {
    for (c = 0; c < copies; c++) {
      for (i = 1; i <= NR; i++) {
        s = line[i]
        if (match(s, /^\[ *[0-9]+\.[0-9]+\]/)) {
          t = substr(s, 2, RLENGTH - 2) + c * 3000
          s = sprintf("[%12.6f]", t) substr(s, RLENGTH + 1)
        }
        print s
      }
    }
  }' "$one" > "$out"
echo "$out: $(stat -c %s "$out") bytes, $(wc -l < "$out") lines, $copies copies of $one_bytes bytes"
