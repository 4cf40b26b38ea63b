#!/bin/bash
# flags.sh NEW OLD: dedup flag variants on the seeds and Reuters, 1 and 2 threads
NEW=$1; OLD=$2; fail=0; tmp=$(mktemp -d)
for input in data/seeds /work/shared/data/reuters21578/reuters.jsonl; do
  for t in 1 2; do
    for flags in "--method simhash" "--no-lookalike-fold" "--char-shingles" "--explain" "--pairs" "--keep-first"; do
      $NEW dedup --quiet --threads $t $flags -o $tmp/new.out $input 2>/dev/null; rn=$?
      $OLD dedup --quiet --threads $t $flags -o $tmp/old.out $input 2>/dev/null; ro=$?
      if [ $rn != $ro ] || ! cmp -s $tmp/new.out $tmp/old.out; then echo "DIFF $input t=$t $flags rc $rn/$ro"; fail=1; fi
    done
  done
done
rm -rf $tmp
echo "flags done fail=$fail"
