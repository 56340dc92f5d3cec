#!/usr/bin/env bash
# Kernel-log parse throughput: `nodedoctor kernel-log --json FILE` on a 100 MB log (whole process, JVM start
# included), beside `grep -c 'Killed process'` and an awk that splits dmesg timestamps, on the same file.
# Each command runs RUNS times (default 3); the median wall time is reported. The machine is shared and noisy.
# Usage: bench/kernellog/run.sh [SIZE_MB] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size_mb=${1:-100}
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/kernel.log
"$here/bench/kernellog/make-log.sh" "$log" "$size_mb"
bytes=$(stat -c %s "$log")
jar=$here/target/nodedoctor.jar
[ -f "$jar" ] || (cd "$here" && ./mvnw -q -DskipTests package)

measure() { # name, command...
  local name=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" > "$work/out" 2>/dev/null
    times+=("$(cat "$work/time")")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  local secs rss user sys
  read -r secs rss user sys <<< "$median"
  local cpu
  cpu=$(echo "$user + $sys" | bc -l)
  printf '%-30s wall %7.2f s %7.1f MB/s | cpu %7.2f s %7.1f MB/s | max RSS %5d MB | wall of each run: %s\n' \
    "$name" "$secs" "$(echo "$bytes / 1048576 / $secs" | bc -l)" "$cpu" "$(echo "$bytes / 1048576 / $cpu" | bc -l)" \
    $(( rss / 1024 )) "$(printf '%s ' "${times[@]%% *}")"
}

echo "file: $bytes bytes ($(wc -l < "$log") lines); $(uname -r), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
measure "nodedoctor kernel-log" java -jar "$jar" kernel-log "$log"
measure "nodedoctor kernel-log --json" java -jar "$jar" kernel-log --json "$log"
reports=$(java -jar "$jar" kernel-log --json "$log" | grep -o '"complete":true' | wc -l)
echo "  complete OOM reports found: $reports"
measure "grep -c 'Killed process'" grep -c 'Killed process' "$log"
echo "in-process, stage by stage (the first round warms the JIT):"
java -cp "$jar" "$here/bench/kernellog/ParseThroughput.java" "$log" 3
measure "awk dmesg split" awk '/^\[/ { t = substr($0, 2, index($0, "]") - 2) + 0; n++ } /Killed process/ { k++ } END { print n, k }' "$log"
