#!/bin/bash
# variants.sh NEW OLD: the flags the tokenizers touch, 1 and 2 threads, cmp
new=$1; old=$2; fail=0
inputs="/work/wt-tokens13/data/seeds /work/shared/data/reuters21578/reuters.jsonl"
for input in $inputs /work/shared/data/bbc/bbc.jsonl /work/shared/data/mstream_tweets/tweets.jsonl; do
 for t in 1 2; do
  while read -r args; do
    case "$input" in *bbc*|*tweets*) case "$args" in cluster*|"dedup") ;; *) continue;; esac;; esac
    a=$($new $args --quiet --threads $t "$input" 2>&1 | md5sum); b=$($old $args --quiet --threads $t "$input" 2>&1 | md5sum)
    if [ "$a" != "$b" ]; then echo "DIFF $input t=$t $args"; fail=1; fi
  done <<'L'
dedup
dedup --method simhash
dedup --no-lookalike-fold
dedup --char-shingles
dedup --explain
dedup --pairs
dedup --keep-first
cluster
cluster --stem
cluster --no-lookalike-fold
stats
L
  echo "done $input t=$t"
 done
done
[ $fail = 0 ] && echo "variants identical"
