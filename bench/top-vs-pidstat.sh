#!/usr/bin/env bash
# Side by side over the same minute: `pidstat -u 1 N` (sysstat, the real peer) and `nodedoctor top ... --json`
# (output to /dev/null), started together, each under /usr/bin/time -v. Prints the CPU seconds each used,
# percent of one core, max RSS, and the ratio nodedoctor / pidstat.
#
# Two CPU figures per tool:
#   whole run   user+sys from /usr/bin/time -v, JVM start-up included;
#   steady      utime+stime from /proc/PID/stat, read by this script once a second, between the sample taken
#               --skip seconds after the start and the last sample before the process exited (start-up and
#               warm-up excluded, for both tools alike). This is the figure to hold against "< 1 % of one core".
#
# Usage: bench/top-vs-pidstat.sh [--seconds N] [--skip S] [--out DIR] [VARIANT...]
#   VARIANT: processes  = nodedoctor top --processes            (the issue's comparison; default)
#            all        = nodedoctor top                        (processes + cgroups; default)
#            norunqueue = nodedoctor top --processes --no-runqueue (no per-thread schedstat reads)
# Needs root only to install sysstat when it is missing. Takes about N+5 seconds per variant.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
seconds=60
skip=10
out=""
variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --skip) skip="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    processes|all|norunqueue) variants+=("$1"); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=(processes all)
out="${out:-$here/out/top-vs-pidstat-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"

if ! command -v pidstat >/dev/null; then
  echo "installing sysstat (pidstat)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sysstat >/dev/null
fi
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 3; }

jar="$repo/target/nodedoctor.jar"
if [ ! -f "$jar" ]; then
  (cd "$repo" && ./mvnw -q -B -DskipTests package) >&2
fi
# the JVM flags of the ./nodedoctor launcher; warn if the launcher has moved on
jvm=(-XX:+UseSerialGC -Xms16m -Xmx256m -XX:TieredStopAtLevel=1 -Xss512k -XX:+PerfDisableSharedMem)
for f in "${jvm[@]}"; do
  grep -q -- "$f" "$repo/nodedoctor" || echo "warning: launcher no longer has $f; update ${BASH_SOURCE[0]}" >&2
done

hz=$(getconf CLK_TCK)
# pidstat: 24-hour ISO times, so that its columns are TIME UID PID %usr %system %guest %wait %CPU CPU Command
export S_TIME_FORMAT=ISO LC_ALL=C

# utime+stime of PID in ticks, with bash builtins only (no fork per sample); empty if gone
ticks() {
  local line rest
  { read -r line < "/proc/$1/stat"; } 2>/dev/null || return 0
  rest="${line##*) }"
  local -a f=($rest)
  echo $(( f[11] + f[12] ))
}

# one line per thread of PID: tid|comm|ticks|voluntary switches|involuntary switches (builtins only)
thread_snap() {
  local t line comm rest k v vol inv
  for t in /proc/$1/task/*; do
    { read -r line < "$t/stat"; } 2>/dev/null || continue
    comm="${line#*(}"; comm="${comm%%)*}"; rest="${line##*) }"
    local -a f=($rest)
    vol=0; inv=0
    while read -r k v; do
      case "$k" in voluntary_ctxt_switches:) vol=$v ;; nonvoluntary_ctxt_switches:) inv=$v ;; esac
    done < "$t/status" 2>/dev/null || true
    echo "${t##*/}|${comm// /_}|$(( f[11] + f[12] ))|$vol|$inv"
  done
}

# field of `/usr/bin/time -v` output
tv() { sed -n "s/^[[:space:]]*$2: //p" "$1"; }

run_variant() {
  local variant="$1" dir="$out/$1"
  mkdir -p "$dir"
  local -a args
  case "$variant" in
    processes) args=(top --processes -i 1s -n "$seconds" --json) ;;
    all) args=(top -i 1s -n "$seconds" --json) ;;
    norunqueue) args=(top --processes --no-runqueue -i 1s -n "$seconds" --json) ;;
  esac
  echo "== $variant: pidstat -u 1 $seconds  vs  nodedoctor ${args[*]}  ($(date -u +%H:%M:%SZ))"
  # `exec` keeps the pid: the pid written is the measured program's
  /usr/bin/time -v -o "$dir/pidstat.time" bash -c 'echo $$ > "$0"; exec pidstat -u 1 "$1"' \
    "$dir/pidstat.pid" "$seconds" > "$dir/pidstat.txt" &
  local tp=$!
  /usr/bin/time -v -o "$dir/nodedoctor.time" bash -c 'echo $$ > "$0"; exec "$@"' \
    "$dir/nodedoctor.pid" java "${jvm[@]}" -jar "$jar" "${args[@]}" > /dev/null 2> "$dir/nodedoctor.err" &
  local tn=$!
  local i
  for i in $(seq 50); do [ -s "$dir/pidstat.pid" ] && [ -s "$dir/nodedoctor.pid" ] && break; sleep 0.1; done
  local pp np
  pp=$(cat "$dir/pidstat.pid"); np=$(cat "$dir/nodedoctor.pid")
  local t=0 p0="" n0="" p1="" n1="" tp0=0 tn0=0 tp1=0 tn1=0 v now
  while kill -0 "$tp" 2>/dev/null || kill -0 "$tn" 2>/dev/null; do
    now=$(date +%s.%N)
    v=$(ticks "$pp"); if [ -n "$v" ]; then p1=$v; tp1=$now; if [ $t -eq "$skip" ]; then p0=$v; tp0=$now; fi; fi
    v=$(ticks "$np"); if [ -n "$v" ]; then n1=$v; tn1=$now; if [ $t -eq "$skip" ]; then n0=$v; tn0=$now; fi; fi
    if [ -n "$v" ]; then
      if [ $t -eq "$skip" ]; then thread_snap "$np" > "$dir/threads.0"; elif [ $t -gt "$skip" ]; then thread_snap "$np" > "$dir/threads.1"; fi
    fi
    t=$((t + 1))
    sleep 1
  done
  wait "$tp" "$tn" || true
  [ -s "$dir/nodedoctor.err" ] && { echo "nodedoctor stderr:"; head -5 "$dir/nodedoctor.err"; }

  awk -v hz="$hz" -v variant="$variant" \
      -v pu="$(tv "$dir/pidstat.time" 'User time (seconds)')" -v ps="$(tv "$dir/pidstat.time" 'System time (seconds)')" \
      -v pr="$(tv "$dir/pidstat.time" 'Maximum resident set size (kbytes)')" \
      -v pw="$(tv "$dir/pidstat.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')" \
      -v nu="$(tv "$dir/nodedoctor.time" 'User time (seconds)')" -v ns="$(tv "$dir/nodedoctor.time" 'System time (seconds)')" \
      -v nr="$(tv "$dir/nodedoctor.time" 'Maximum resident set size (kbytes)')" \
      -v nw="$(tv "$dir/nodedoctor.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')" \
      -v p0="$p0" -v p1="$p1" -v tp0="$tp0" -v tp1="$tp1" -v n0="$n0" -v n1="$n1" -v tn0="$tn0" -v tn1="$tn1" '
    function secs(w,  a, n) { n = split(w, a, ":"); return n == 3 ? a[1]*3600 + a[2]*60 + a[3] : a[1]*60 + a[2] }
    function steady(c0, c1, t0, t1) { return (c0 == "" || t1 <= t0) ? -1 : (c1 - c0) / hz / (t1 - t0) * 100 }
    BEGIN {
      pc = pu + ps; nc = nu + ns; pws = secs(pw); nws = secs(nw)
      psd = steady(p0, p1, tp0, tp1); nsd = steady(n0, n1, tn0, tn1)
      printf "%-28s %7s %8s %8s %8s %9s %9s %9s\n", "tool (" variant ")", "wall s", "user s", "sys s", "CPU s", "%core", "steady%", "maxRSS MB"
      printf "%-28s %7.1f %8.2f %8.2f %8.2f %9.3f %9.3f %9.1f\n", "pidstat -u 1", pws, pu, ps, pc, pc / pws * 100, psd, pr / 1024
      printf "%-28s %7.1f %8.2f %8.2f %8.2f %9.3f %9.3f %9.1f\n", "nodedoctor top", nws, nu, ns, nc, nc / nws * 100, nsd, nr / 1024
      printf "ratio nodedoctor/pidstat: CPU whole run %.1fx, steady %s, max RSS %.1fx\n", \
        (pc > 0 ? nc / pc : 0), (psd > 0 ? sprintf("%.1fx", nsd / psd) : "n/a (pidstat below tick resolution)"), (pr > 0 ? nr / pr : 0)
    }' | tee "$dir/summary.txt"
  # pidstat saw nodedoctor too: its own average for the JVM (a cross-check of the steady figure)
  awk -v pid="$np" '$0 !~ /^Average/ && $3 == pid { s += $8; n++ } END { if (n) printf "pidstat\047s view of nodedoctor (pid %s): %.2f %%CPU average over %d reports\n", pid, s / n, n }' \
    "$dir/pidstat.txt" | tee -a "$dir/summary.txt"
  if [ -s "$dir/threads.0" ] && [ -s "$dir/threads.1" ]; then
    # where nodedoctor's steady CPU goes, per thread, and how often each thread slept and woke
    echo "nodedoctor threads, steady part (CPU ms per second of wall time; context switches per second):" | tee -a "$dir/summary.txt"
    join -t'|' <(sort "$dir/threads.0") <(sort "$dir/threads.1") | awk -F'|' -v hz="$hz" -v dt="$(awk -v a="$tn0" -v b="$tn1" 'BEGIN{print b-a}')" '
      # joined: tid | comm ticks vol invol (at --skip) | comm ticks vol invol (last sample)
      { cpu = ($7 - $3) * 1000 / hz / dt; if (cpu > 0 || ($8 - $4) / dt > 5)
          printf "  %-18s cpu %6.1f ms/s   voluntary %7.1f/s   involuntary %6.1f/s\n", $2, cpu, ($8 - $4) / dt, ($9 - $5) / dt }' \
      | sort -k3 -n -r | tee -a "$dir/summary.txt"
  fi
  echo "processes on the machine: $(ls -d /proc/[0-9]* | wc -l); threads: $(ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l)" \
    | tee -a "$dir/summary.txt"
  echo
}

{
  echo "date: $(date -u)   kernel: $(uname -r)   cpus: $(nproc)   $(grep -m1 'model name' /proc/cpuinfo | sed 's/\t//')"
  echo "java: $(java -version 2>&1 | head -1)   pidstat: $(pidstat -V 2>&1 | head -1)"
  echo
} | tee "$out/machine.txt"
for v in "${variants[@]}"; do
  run_variant "$v"
done
echo "raw output: $out"
