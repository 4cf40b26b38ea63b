#!/bin/bash
# variants.sh NEW OLD: the variants' outputs byte-compared at 1 and 2 threads.
new=$1; old=$2; R=/work/shared/data/reuters21578/reuters.jsonl; C=/tmp/sspeed/c20k.jsonl
fail=0
run() { # name input args...
  local name=$1 in=$2; shift 2
  for t in 1 2; do
    "$new" "$@" --quiet --threads $t "$in" > /tmp/pipe13/var/new.out 2>/tmp/pipe13/var/new.err; rn=$?
    "$old" "$@" --quiet --threads $t "$in" > /tmp/pipe13/var/old.out 2>/tmp/pipe13/var/old.err; ro=$?
    if [ $rn != $ro ] || ! cmp -s /tmp/pipe13/var/new.out /tmp/pipe13/var/old.out || ! cmp -s /tmp/pipe13/var/new.err /tmp/pipe13/var/old.err; then echo "DIFF $name t=$t rc $rn/$ro"; fail=1; else echo "same $name t=$t ($(wc -c < /tmp/pipe13/var/new.out) bytes)"; fi
  done
}
run simhash $R dedup --method simhash
run nofold $R dedup --no-lookalike-fold
run char $R dedup --char-shingles
run explain $R dedup --explain
run pairs $R dedup --pairs
run keepfirst $R dedup --keep-first
run stem $R cluster --stem
run stem20k $C cluster --stem
run stats $R stats
run text $R cluster --format text
run cluster_nofold $R cluster --no-lookalike-fold
run explain20k $C dedup --explain
run bbc /work/shared/data/bbc/bbc.jsonl cluster
run tweets /work/shared/data/mstream_tweets/tweets.jsonl cluster
run tweets_d /work/shared/data/mstream_tweets/tweets.jsonl dedup
exit $fail
