#!/bin/bash
# alt.sh OLD NEW ROUNDS CORPUS [args...]: alternated runs, prints wall/cpu per run
OLD=$1; NEW=$2; R=$3; C=$4; shift 4
for i in $(seq $R); do
  for b in old new; do
    bin=$OLD; [ $b = new ] && bin=$NEW
    /usr/bin/time -f "$b %e %U %S %M" $bin cluster --threads 2 "$@" $C > /dev/null 2>/tmp/cspeed12/t.err
    tail -1 /tmp/cspeed12/t.err
  done
done | awk '{cpu=$3+$4; print; s[$1]=s[$1]" "cpu; w[$1]=w[$1]" "$2} END {print "old cpu:" s["old"]; print "new cpu:" s["new"]; print "old wall:" w["old"]; print "new wall:" w["new"]}'
