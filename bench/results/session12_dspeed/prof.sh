#!/bin/bash
# prof.sh ROUNDS BIN... : perf samples (4 kHz) of dedup --threads 1 on c20k, total and hot functions
R=$1; shift
for r in $(seq $R); do for b in "$@"; do
  perf record -q -F 4000 -o /tmp/dspeed12/p.data $b dedup --threads 1 -o /dev/null /tmp/sspeed/c20k.jsonl 2>/dev/null >/dev/null
  perf report -i /tmp/dspeed12/p.data -n --no-children --sort symbol 2>/dev/null > /tmp/dspeed12/p.txt
  tot=$(awk '/^ +[0-9.]+%/ {s+=$2} END {print s}' /tmp/dspeed12/p.txt)
  tok=$(grep -E "TokenizeLookalike" /tmp/dspeed12/p.txt | awk '{s+=$2} END {print s}')
  sk=$(grep -E "HashedTokensToBins" /tmp/dspeed12/p.txt | awk '{s+=$2} END {print s}')
  cd_=$(grep -E "CountDistinct" /tmp/dspeed12/p.txt | awk '{s+=$2} END {print s}')
  echo "$b total $tot tokenizer $tok sketch $sk countdistinct $cd_"
done; done
