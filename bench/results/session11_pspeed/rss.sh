#!/bin/bash
# rss.sh OUT BIN ARGS...: runs BIN, samples VmRSS every 0.1 s into OUT.rss, prints /usr/bin/time figures.
out=$1; shift
/usr/bin/time -f "%e s wall %U u %S s %M KB" "$@" 2> $out.err &
tp=$!
sleep 0.2; pid=$(pgrep -P $tp | head -1)
: > $out.rss
while kill -0 $pid 2>/dev/null; do echo "$(date +%s.%N | cut -c1-14) $(grep VmRSS /proc/$pid/status 2>/dev/null | awk '{print $2}')" >> $out.rss; sleep 0.1; done
wait $tp
tail -1 $out.err
