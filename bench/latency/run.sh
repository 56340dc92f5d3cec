#!/usr/bin/env bash
# Throughput of `nodedoctor latency` on >= 1 GB of nginx JSON-lines logs, single thread and all cores, side by
# side with jq computing the same percentile (p99 of request_time, nearest-rank on the sorted values), and the
# memory bound: the same file read 1x and 4x through stdin.
# Needs: java 17, python3 (the generator), jq and GNU time (/usr/bin/time) from Debian.
# Usage: bench/latency/run.sh [SIZE_MB]   (default 1100); data goes to ${BENCH_DIR:-/tmp/nodedoctor-bench}.
# REPS=N runs each nodedoctor case N times (default 3) and prints every run: the machine is shared, so read the
# best run and the spread, not one number. SKIP_JQ=1 leaves jq out (it takes ~40 s per GB).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
size="${1:-1100}"
reps="${REPS:-3}"
dir="${BENCH_DIR:-/tmp/nodedoctor-bench}"
mkdir -p "$dir"
data="$dir/access-${size}m.jsonl"
[ -f "$data" ] || python3 "$here/gen.py" "$data" "$size"
jar="${JAR:-$root/target/nodedoctor.jar}"   # JAR=... measures another build side by side
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package)
bytes=$(stat -L -c %s "$data")
cat "$data" > /dev/null   # page cache warm: we measure parsing, not the disk

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); kernel $(uname -r); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "input: $data, $bytes bytes, $(wc -l < "$data") lines; jar $jar (tree at $(cd "$root" && git rev-parse --short HEAD))"
run() { # label, input bytes, command... (stdin passes through)
  local label="$1" b="$2"; shift 2
  local before after
  before=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" > "$dir/$label.out"
  after=$(cut -d' ' -f1 /proc/loadavg)
  read -r wall user sys rss < "$dir/time.txt"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v b="$b" -v la="$before/$after" 'BEGIN {
    printf "%-24s wall %6.2f s  cpu %6.2f s  %7.1f MB/s wall  %7.1f MB/s per cpu-second  peak RSS %6.1f MiB  load %s\n",
      l, w, u + s, b / 1e6 / w, b / 1e6 / (u + s), r / 1024, la }'
}
java_opts=(-XX:+UseSerialGC -Xmx256m)
nd=(java "${java_opts[@]}" -jar "$jar" latency --json)
for i in $(seq "$reps"); do
  run nodedoctor-1-thread "$bytes" "${nd[@]}" --threads 1 "$data"
done
for i in $(seq "$reps"); do
  run nodedoctor-all-cores "$bytes" "${nd[@]}" --threads "$(nproc)" "$data"
done
# the memory bound: the same bytes through a pipe once and four times over; peak RSS must not follow the size
cat "$data" | run nodedoctor-stdin-1x "$bytes" "${nd[@]}" --threads 1 -
cat "$data" "$data" "$data" "$data" | run nodedoctor-stdin-4x $((bytes * 4)) "${nd[@]}" --threads 1 -
# the join path: the same file as two layers (every request matches its twin), read side by side in time
# order on one thread; peak RSS shows the join table stays bounded by the requests in flight
run nodedoctor-join $((bytes * 2)) "${nd[@]}" --join trace_id --layer a="$data" --layer b="$data"
if [ -z "${SKIP_JQ:-}" ]; then
  run jq-p99 "$bytes" jq -n '[inputs | .request_time | tonumber] | sort | .[(length * 0.99 | ceil) - 1]' "$data"
fi
python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
def p99(name):
    return json.load(open(d + "/" + name + ".out"))["analysis"]["layers"][0]["requestTime"]
one, allc, x4 = p99("nodedoctor-1-thread"), p99("nodedoctor-all-cores"), p99("nodedoctor-stdin-4x")
j = json.load(open(d + "/nodedoctor-join.out"))["analysis"]["join"]
print("join: %d requests matched, at most %d waiting at once" % (j["complete"], j["maxPending"]))
print("records: 1 thread %d, all cores %d, stdin 4x %d" % (one["count"], allc["count"], x4["count"]))
jq = float(open(d + "/jq-p99.out").read()) if os.path.exists(d + "/jq-p99.out") and not os.environ.get("SKIP_JQ") else float("nan")
print("p99 request_time: nodedoctor %.6f s (all cores %.6f s, stdin 4x %.6f s), jq %.3f s (exact)"
      % (one["p99"], allc["p99"], x4["p99"], jq))
PY
