#!/usr/bin/env bash
# CPU cost of the hiccup meter while it runs, next to cyclictest (rt-tests) doing the same job.
# Usage: [JAR=path] bench/probes/hiccup-cost.sh [SECONDS] [INTERVAL_MS...]   (defaults: 60 s; 1 2 5 10 ms)
# Cost = (utime + stime of the whole process between 5 s after start and 5 s before the end) / elapsed:
# JVM start-up and JIT are left out, the JVM's own background threads are in. The meter's own thread CPU
# (what `probe hiccup --json` reports as meterCpuPercent) is printed beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}; shift || true
intervals=("$@"); [ ${#intervals[@]} -eq 0 ] && intervals=(1 2 5 10)
tck=$(getconf CLK_TCK)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
jar=${JAR:-target/nodedoctor.jar}
[ -f "$jar" ] || ./mvnw -q -B -DskipTests package
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
measure() { # PID: prints percent of one core over [5, secs-5]
  local pid=$1 a b
  sleep 5; a=$(cpu_ticks "$pid"); sleep $((secs - 10)); b=$(cpu_ticks "$pid")
  awk -v a="$a" -v b="$b" -v t="$tck" -v s=$((secs - 10)) 'BEGIN{printf "%.2f", 100*(b-a)/t/s}'
}
echo "date: $(date -u +%FT%TZ)  kernel: $(uname -r)  cpus: $(nproc)  cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ms in "${intervals[@]}"; do
  java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx64m -jar "$jar" probe hiccup \
      --duration "${secs}s" --interval "${ms}ms" --json > "$out/hiccup-$ms.json" &
  pid=$!
  cost=$(measure $pid); wait $pid || true
  self=$(grep -o '"meterCpuPercent" : [0-9.]*' "$out/hiccup-$ms.json" | awk '{printf "%.2f", $3}')
  p999=$(grep -o '"p999Micros" : [0-9]*' "$out/hiccup-$ms.json" | awk '{print $3}')
  echo "nodedoctor probe hiccup --interval ${ms}ms: process ${cost} % of a core, meter thread ${self} %, p99.9 ${p999} µs"
  if command -v cyclictest >/dev/null; then
    cyclictest -q -i $((ms * 1000)) -D "${secs}" -t 1 --policy=other > "$out/cyclictest-$ms.txt" 2>&1 &
    cpid=$!
    cost=$(measure $cpid); wait $cpid || true
    echo "cyclictest -i $((ms * 1000)) -t 1 --policy=other:    process ${cost} % of a core; $(grep -o 'Max: *[0-9]*' $out/cyclictest-$ms.txt | head -1) µs"
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
