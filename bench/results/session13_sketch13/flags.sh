#!/bin/bash
# flags.sh NEW OLD INPUT...: the dedup/cluster/stats variants at 1 and 2 threads, cmp'd.
NEW=$1; OLD=$2; shift 2; fail=0
for in in "$@"; do for t in 1 2; do
  while IFS= read -r args; do
    $NEW $args --threads $t "$in" > /tmp/sk13/fn.out 2>/dev/null; rn=$?
    $OLD $args --threads $t "$in" > /tmp/sk13/fo.out 2>/dev/null; ro=$?
    if [ $rn != $ro ] || ! cmp -s /tmp/sk13/fn.out /tmp/sk13/fo.out; then echo "DIFF $in t=$t $args"; fail=1; fi
  done <<'L'
dedup --method simhash
dedup --no-lookalike-fold
dedup --char-shingles
dedup --explain
dedup --pairs
dedup --keep-first
cluster --stem
stats
L
done; done
[ $fail = 0 ] && echo "flags identical"
