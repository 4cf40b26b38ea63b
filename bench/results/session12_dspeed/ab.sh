#!/bin/bash
# ab.sh ROUNDS FILTER BENCH_A BENCH_B: alternated micro runs; min and median per benchmark
R=$1; F=$2; A=$3; B=$4
for r in $(seq $R); do for b in $A $B; do
  /tmp/dspeed12/$b --benchmark_filter="$F" --benchmark_min_time=0.15 2>&1 | grep "^BM" | awk -v b=$b '{print b, $1, $4}'
done; done | python3 -c '
import sys,statistics as st,collections
d=collections.defaultdict(list)
for l in sys.stdin:
  b,n,v=l.split(); d[(n,b)].append(float(v))
for (n,b),v in sorted(d.items()): print("%-28s %-14s min %9.0f median %9.0f" % (n,b,min(v),st.median(v)))'
