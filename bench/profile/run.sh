#!/usr/bin/env bash
# Side-by-side timings of nodedoctor's profile commands and their peers, in one run:
#   collapse  (40 MB and 400 MB perf script)  vs  stackcollapse-perf.pl
#   flame     (1 M folded lines)              vs  flamegraph.pl
#   pprof top (large.cpu, 1.2 MB)             vs  go tool pprof -top
# Needs: Java 17, perl, Debian golang-go, a FlameGraph checkout (github.com/brendangregg/FlameGraph) in
# $FLAMEGRAPH_DIR, and ../shared/conformance beside the checkout. Wall time and max RSS from /usr/bin/time -v,
# best of $RUNS runs (default 3), JVM start included (the ./nodedoctor launcher, as users run it).
# BIG=0 skips the 400 MB rows. BASELINE_JAR=old/nodedoctor.jar also times an earlier build (same JVM flags as
# the launcher, no class-data archive) for a before/after in the same run. Large plain files are collapsed on
# all CPUs (at most 4); the 400 MB collapse is also timed on one thread (--threads 1).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
conf="${CONFORMANCE:-$here/../shared/conformance}"
fg="${FLAMEGRAPH_DIR:?set FLAMEGRAPH_DIR to a FlameGraph checkout}"
runs="${RUNS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
nd="$here/nodedoctor"
"$nd" --version >/dev/null   # builds the jar if needed
base="${BASELINE_JAR:-}"
big="${BIG:-1}"

# Inputs: 40 copies of the largest real capture (vertx, 1 MB, java + kernel stacks) = ~40 MB of perf script;
# 1,000,000 folded lines made from the 13 collapsed captures' stacks (cut to their 12 outermost frames, so a
# line is ~200 bytes as in typical Go/Java profiles) with one of 50 leaves appended: ~22,000 distinct stacks.
for i in $(seq 1 40); do cat "$conf/flamegraph/input/perf-vertx-stacks-01.txt"; done > "$work/perf.txt"
[ "$big" = 1 ] && for i in $(seq 1 10); do cat "$work/perf.txt"; done > "$work/perf400.txt"
cat "$conf"/flamegraph/expected/*-collapsed-all.txt > "$work/base.folded"
awk -v want=1000000 '{ c = $NF; s = substr($0, 1, length($0) - length(c) - 1); n = split(s, f, ";");
  t = f[1]; for (j = 2; j <= (n < 12 ? n : 12); j++) t = t ";" f[j]; stack[NR] = t; count[NR] = c }
  END { for (i = 0; i < want; i++) { k = i % NR + 1; print stack[k] ";leaf" (i % 50) " " count[k] } }' \
  "$work/base.folded" > "$work/1m.folded"

measure() { # name, command...: prints "name seconds maxrss_kB" (best wall time of $runs)
  local name="$1"; shift
  local best="" rss=""
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -v -o "$work/time" "$@" > "$work/out" 2>/dev/null
    local t r
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time")
    r=$(awk -F': ' '/Maximum resident/ { print $2 }' "$work/time")
    if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; rss=$r; fi
  done
  printf '%-34s %8.2f s %9d kB\n' "$name" "$best" "$rss"
}

echo "date: $(date -u)   kernel: $(uname -r)   cpus: $(nproc)   cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "distinct stacks in 1m.folded: $(cut -d' ' -f1 "$work/1m.folded" | sort -u | wc -l)"
echo "inputs: perf.txt $(du -h "$work/perf.txt" | cut -f1) ($(wc -l < "$work/perf.txt") lines), 1m.folded $(du -h "$work/1m.folded" | cut -f1) ($(wc -l < "$work/1m.folded") lines)"
[ "$big" = 1 ] && echo "        perf400.txt $(du -h "$work/perf400.txt" | cut -f1) ($(wc -l < "$work/perf400.txt") lines)"
# the launcher makes its class-data archives on the first collapse / flame after a build: not part of a run
"$nd" collapse "$work/perf.txt" >/dev/null; "$nd" flame "$work/base.folded" -o "$work/nd.svg"
old=(java -XX:+UseSerialGC -Xms16m -Xmx256m -Xss512k -XX:+PerfDisableSharedMem -jar "$base")
measure "collapse 40 MB: nodedoctor"          "$nd" collapse "$work/perf.txt"
[ -n "$base" ] && measure "collapse 40 MB: baseline build" "${old[@]}" collapse "$work/perf.txt"
measure "collapse 40 MB: stackcollapse-perf.pl" perl "$fg/stackcollapse-perf.pl" "$work/perf.txt"
if [ "$big" = 1 ]; then
  measure "collapse 400 MB: nodedoctor"          "$nd" collapse "$work/perf400.txt"
  measure "collapse 400 MB: nodedoctor -j 1"     "$nd" collapse --threads 1 "$work/perf400.txt"
  [ -n "$base" ] && measure "collapse 400 MB: baseline build" "${old[@]}" collapse "$work/perf400.txt"
  measure "collapse 400 MB: stackcollapse-perf.pl" perl "$fg/stackcollapse-perf.pl" "$work/perf400.txt"
fi
measure "flame 1M lines: nodedoctor"    "$nd" flame "$work/1m.folded" -o "$work/nd.svg"
[ -n "$base" ] && measure "flame 1M lines: baseline build" "${old[@]}" flame "$work/1m.folded" -o "$work/old.svg"
measure "flame 1M lines: flamegraph.pl" perl "$fg/flamegraph.pl" "$work/1m.folded"
measure "pprof top large.cpu: nodedoctor" "$nd" pprof top "$conf/pprof/large.cpu"
measure "pprof top large.cpu: go tool pprof" go tool pprof -top "$conf/pprof/large.cpu"
# the outputs must agree too
"$nd" collapse "$work/perf.txt" > "$work/a"; perl "$fg/stackcollapse-perf.pl" "$work/perf.txt" > "$work/b" 2>/dev/null
cmp -s "$work/a" "$work/b" && echo "collapse outputs: identical" || echo "collapse outputs: DIFFER"
if [ "$big" = 1 ]; then
  "$nd" collapse "$work/perf400.txt" > "$work/a"; perl "$fg/stackcollapse-perf.pl" "$work/perf400.txt" > "$work/b" 2>/dev/null
  cmp -s "$work/a" "$work/b" && echo "collapse 400 MB outputs: identical" || echo "collapse 400 MB outputs: DIFFER"
fi
if [ -n "$base" ]; then
  "${old[@]}" flame "$work/1m.folded" -o "$work/old.svg"
  cmp -s "$work/nd.svg" "$work/old.svg" && echo "flame SVG: identical to the baseline build's" || echo "flame SVG: differs from the baseline build's"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
