#!/usr/bin/env bash
# Parse throughput of `nodedoctor strace parse` on a large real-format `-f -tt -T` trace, beside awk/grep
# over the same file as a baseline (no strace-output parser is packaged for Debian or reachable offline).
# The input replicates the real captures in src/test/resources/fixtures/strace (strace 6.1 and 4.x, -tt and
# -ttt, -y, unfinished/resumed, signals) to SIZE_MB (default 200). The machine is shared: runs are short and
# noisy; the medians are what to compare.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-200}
OUT=${OUT:-/tmp/nodedoctor-strace-bench.txt}
FX=src/test/resources/fixtures/strace
[ -d target/classes/dev/nodedoctor/trace ] || ./mvnw -q compile
if [ ! -s "$OUT" ] || [ "$(stat -c %s "$OUT")" -lt $((SIZE_MB * 1000000)) ]; then
  one=$(mktemp)
  for f in futex-C-f-tt-T gitlab-strace4-f-tt-T-y java-park-C-f-ttt-T read-cgroup-C-tt-T bash-signals-f-tt-T; do
    zcat "$FX/$f.txt.gz" | grep -v -e '^%' -e '^---' -e '^ *[0-9.]* *[0-9.]* *[0-9]* *[0-9]* *[0-9]* *[a-z_0-9]*$' >> "$one"
  done
  : > "$OUT"
  while [ "$(stat -c %s "$OUT")" -lt $((SIZE_MB * 1000000)) ]; do cat "$one" >> "$OUT"; done
  rm -f "$one"
fi
echo "input: $OUT, $(stat -c %s "$OUT") bytes, $(wc -l < "$OUT") lines"
cat "$OUT" > /dev/null # into the page cache, for every contender alike
java -Xmx512m -cp target/classes bench/strace/ParseBench.java "$OUT" 3
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# output to a file, not /dev/null: GNU grep stops at the first match when it sees /dev/null
t() { local s e; s=$(date +%s.%N); "$@" > "$OUT.res"; e=$(date +%s.%N); echo "$e - $s" | bc; }
mb=$(echo "$(stat -c %s "$OUT") / 1000000" | bc -l)
# awk: calls per syscall name and errors per errno, the core of what the parser tallies
AWK='{ s=$0; sub(/^(\[pid +[0-9]+\] |[0-9]+ +)?[0-9:.]+ /, "", s);
       if (substr(s,1,5)=="<... ") { split(substr(s,6), w, " "); c[w[1]]++ } else { i=index(s,"("); if (i>1) c[substr(s,1,i-1)]++ }
       if (match(s, / = -1 E[A-Z0-9]+/)) e[substr(s, RSTART+6, RLENGTH-6)]++ }
     END { for (k in c) print k, c[k]; for (k in e) print k, e[k] }'
for tool in "mawk" "gawk"; do
  command -v $tool >/dev/null || continue
  s=$(for i in 1 2 3; do t env LC_ALL=C $tool "$AWK" "$OUT"; done | median)
  printf "%s per-syscall/errno tally: %.2f s = %.0f MB/s\n" "$tool" "$s" "$(echo "$mb / $s" | bc -l)"
done
s=$(for i in 1 2 3; do t env LC_ALL=C grep -c ETIMEDOUT "$OUT"; done | median)
printf "grep -c ETIMEDOUT (one count, no parsing): %.2f s = %.0f MB/s\n" "$s" "$(echo "$mb / $s" | bc -l)"
rm -f "$OUT.res"
