#!/bin/bash
# alt.sh ROUNDS CORPUS THREADS BIN... : alternated CPU (user+sys) and wall of dedup
R=$1; C=$2; T=$3; shift 3
for r in $(seq $R); do for b in "$@"; do
  /usr/bin/time -f "$b %U %S %e" $b dedup --threads $T -o /dev/null $C 2>&1 >/dev/null | grep -v "^storysift:" | tail -1
done; done | awk '{cpu=$2+$3; a[$1]=a[$1]" "cpu; w[$1]=w[$1]" "$4} END {for (b in a) print b, "cpu:", a[b], " wall:", w[b]}'
