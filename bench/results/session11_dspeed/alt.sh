#!/bin/bash
# alt.sh OLD NEW ROUNDS CORPUS THREADS: alternated task-clock (ms) medians
OLD=$1; NEW=$2; R=${3:-10}; C=${4:-/tmp/sspeed/c3k.jsonl}; T=${5:-1}
for r in $(seq $R); do
  for b in old new; do
    bin=$OLD; [ $b = new ] && bin=$NEW
    ms=$(perf stat -e task-clock -x, $bin dedup --threads $T -o /tmp/ds11/alt_$b.out $C 2>&1 >/dev/null | grep task-clock | cut -d, -f1)
    echo "$b $ms"
  done
done | awk '{v[$1]=v[$1]" "$2} END {for (b in v) print b, v[b]}' | while read b rest; do
  echo "$b median $(echo $rest | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') all: $rest"
done
