#!/bin/bash
# tc.sh ROUNDS CORPUS THREADS BIN_OLD BIN_NEW [ARGS...]: alternated task-clock (ms), medians and pairwise ratio
R=$1; C=$2; T=$3; O=$4; N=$5; shift 5
for r in $(seq $R); do
  o=$(perf stat -x, -e task-clock $O dedup --threads $T "$@" -o /dev/null $C 2>&1 >/dev/null | grep task-clock | cut -d, -f1)
  n=$(perf stat -x, -e task-clock $N dedup --threads $T "$@" -o /dev/null $C 2>&1 >/dev/null | grep task-clock | cut -d, -f1)
  echo "$o $n"
done | python3 -c '
import sys,statistics as st
rows=[tuple(map(float,l.split())) for l in sys.stdin if l.strip()]
o=[a for a,b in rows]; n=[b for a,b in rows]
print("old median %.1f new median %.1f ratio %.3f pairwise median %.3f new lower in %d/%d" % (st.median(o), st.median(n), st.median(n)/st.median(o), st.median([b/a for a,b in rows]), sum(b<a for a,b in rows), len(rows)))'
