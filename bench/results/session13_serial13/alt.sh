#!/bin/bash
# alt.sh ROUNDS: alternated FIFO runs, c20k cluster --threads 2; prints wall and user+sys per run
for i in $(seq $1); do
  for b in /tmp/merge13/storysift /tmp/serial13/new_storysift; do
    /usr/bin/time -f "$(basename $(dirname $b))/$(basename $b) %e %U %S" chrt -f 10 $b cluster --quiet --threads 2 /tmp/sspeed/c20k.jsonl -o /dev/null 2>>alt.log
  done
done
