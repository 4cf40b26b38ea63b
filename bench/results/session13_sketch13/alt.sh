#!/bin/bash
# alt.sh NEW OLD INPUT THREADS ROUNDS: task-clock ms of dedup, new/old by turns.
NEW=$1; OLD=$2; IN=$3; T=$4; R=$5; SUB=${6:-dedup}
tc() { perf stat -x, -e task-clock "$1" $SUB --threads $T "$IN" 2>&1 >/dev/null | grep task-clock | cut -d, -f1; }
for r in $(seq $R); do
  if (( r % 2 )); then n=$(tc $NEW); o=$(tc $OLD); else o=$(tc $OLD); n=$(tc $NEW); fi
  echo "$n $o"
done | python3 -c '
import sys, math, statistics as st
rows=[tuple(map(float,l.split())) for l in sys.stdin if l.strip()]
for n,o in rows: print(n,o)
g=math.exp(sum(math.log(n/o) for n,o in rows)/len(rows))
print("pairwise geo %.3f, new lower %d of %d, medians %.1f -> %.1f" % (g, sum(n<o for n,o in rows), len(rows), st.median(o for n,o in rows), st.median(n for n,o in rows)))'
