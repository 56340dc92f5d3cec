#!/usr/bin/env bash
# Throughput of `nodedoctor latency` on >= 1 GB of nginx JSON-lines logs, single thread and all cores, side by
# side with jq computing the same percentile (p99 of request_time, nearest-rank on the sorted values).
# Needs: java 17, python3 (the generator), jq and GNU time (/usr/bin/time) from Debian.
# Usage: bench/latency/run.sh [SIZE_MB]   (default 1100); data goes to ${BENCH_DIR:-/tmp/nodedoctor-bench}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
size="${1:-1100}"
dir="${BENCH_DIR:-/tmp/nodedoctor-bench}"
mkdir -p "$dir"
data="$dir/access-${size}m.jsonl"
[ -f "$data" ] || python3 "$here/gen.py" "$data" "$size"
jar="$root/target/nodedoctor.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package)
bytes=$(stat -L -c %s "$data")
cat "$data" > /dev/null   # page cache warm: we measure parsing, not the disk

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); kernel $(uname -r); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "input: $data, $bytes bytes, $(wc -l < "$data") lines; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # label, command...
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" > "$dir/$label.out"
  read -r wall user sys rss < "$dir/time.txt"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v b="$bytes" 'BEGIN {
    printf "%-22s wall %6.2f s  cpu %6.2f s  %7.1f MB/s wall  %7.1f MB/s per cpu-second  peak RSS %6.1f MiB\n",
      l, w, u + s, b / 1e6 / w, b / 1e6 / (u + s), r / 1024 }'
}
java_opts=(-XX:+UseSerialGC -Xmx256m)
run nodedoctor-1-thread java "${java_opts[@]}" -jar "$jar" latency --threads 1 --json "$data"
run nodedoctor-all-cores java "${java_opts[@]}" -jar "$jar" latency --threads "$(nproc)" --json "$data"
# the join path: the same file as two layers (every request matches its twin), read side by side in time
# order on one thread; peak RSS shows the join table stays bounded by the requests in flight
run nodedoctor-join java "${java_opts[@]}" -jar "$jar" latency --join trace_id --layer a="$data" --layer b="$data" --json
run jq-p99 jq -n '[inputs | .request_time | tonumber] | sort | .[(length * 0.99 | ceil) - 1]' "$data"
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
nd = json.load(open(d + "/nodedoctor-1-thread.out"))["analysis"]["layers"][0]["requestTime"]["p99"]
nd_all = json.load(open(d + "/nodedoctor-all-cores.out"))["analysis"]["layers"][0]["requestTime"]["p99"]
jq = float(open(d + "/jq-p99.out").read())
j = json.load(open(d + "/nodedoctor-join.out"))["analysis"]["join"]
print("join: %d requests matched, at most %d waiting at once" % (j["complete"], j["maxPending"]))
print("p99 request_time: nodedoctor %.6f s (all cores %.6f s), jq %.3f s (exact)" % (nd, nd_all, jq))
PY
