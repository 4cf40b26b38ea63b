#!/bin/bash
# Output identity of the branch's CLI against the base on every input the brief names.
NEW=${1:-/work/wt-pspeed12/build/storysift}
OLD=/tmp/base14/storysift
cd /work/wt-pspeed12
V=/tmp/pspeed12/v
bench/compare_outputs.sh $NEW $OLD data/seeds /tmp/sspeed/c20k.jsonl ../shared/data/reuters21578/reuters.jsonl ../shared/data/ecbplus/ecbplus_topics_1-25.jsonl $V/seeds_gz $V/seeds_zst $V/c3k.jsonl.gz $V/c3k.jsonl.zst 2>&1
for t in 1 2; do
  for cmd in "dedup" "cluster" "dedup --pairs" "stats"; do
    a=$(cat /tmp/sspeed/c3k.jsonl | $OLD $cmd --threads $t -q - 2>&1 | md5sum); b=$(cat /tmp/sspeed/c3k.jsonl | $NEW $cmd --threads $t -q - 2>&1 | md5sum)
    [ "$a" == "$b" ] && echo "stdin same: $cmd $t" || echo "DIFF stdin: $cmd $t"
  done
done
for f in ../shared/data/bbc/bbc.jsonl $(ls ../shared/data/mstream_tweets/*.jsonl* | head -1); do
  for cmd in "dedup" "cluster" "dedup --keep-first" "dedup --explain"; do
    a=$($OLD $cmd -q --allow-empty -o /tmp/pspeed12/v/o1 $f 2>&1; echo $?; md5sum < /tmp/pspeed12/v/o1); b=$($NEW $cmd -q --allow-empty -o /tmp/pspeed12/v/o2 $f 2>&1; echo $?; md5sum < /tmp/pspeed12/v/o2)
    [ "$a" == "$b" ] && echo "same: $cmd $f" || echo "DIFF: $cmd $f"
  done
done
for cmd in "dedup --keep-first" "dedup --explain" "dedup --method simhash" "cluster --stem" "stats --report /dev/stdout"; do
  a=$($OLD $cmd -q -o /tmp/pspeed12/v/o1 ../shared/data/reuters21578/reuters.jsonl 2>&1; echo $?; md5sum < /tmp/pspeed12/v/o1); b=$($NEW $cmd -q -o /tmp/pspeed12/v/o2 ../shared/data/reuters21578/reuters.jsonl 2>&1; echo $?; md5sum < /tmp/pspeed12/v/o2)
  [ "$a" == "$b" ] && echo "same: $cmd reuters" || echo "DIFF: $cmd reuters"
done
echo verify-done
