#!/bin/bash
# alt.sh NEW OLD ROUNDS ARGS... : task-clock ms of new/old alternated
new=$1; old=$2; rounds=$3; shift 3
for r in $(seq $rounds); do
  for b in $new $old; do
    t=$(perf stat -x, -e task-clock $b "$@" 2>&1 >/dev/null | grep task-clock | cut -d, -f1)
    echo "$b $t"
  done
done | awk '{s[$1]=s[$1]" "$2; if($1==n0||n0==""){n0=$1}} {print} ' 
