#!/bin/bash
# alt.sh OUT ROUNDS THREADS INPUT JOB NEW OLD: task-clock of JOB, new and old by turns.
out=$1; rounds=$2; t=$3; in=$4; job=$5; new=$6; old=$7; rm -f $out
for r in $(seq 1 $rounds); do for b in new old; do bin=$new; [ $b = old ] && bin=$old; perf stat -x, -e task-clock $bin $job --quiet --threads $t -o /tmp/ds13/o_$b.jsonl $in 2>&1 >/dev/null | awk -F, -v b=$b '/task-clock/{print b, $1}' >> $out; done; done
cmp /tmp/ds13/o_new.jsonl /tmp/ds13/o_old.jsonl && echo same
python3 - $out <<'PY'
import statistics as st, sys
d={'new':[],'old':[]}
for l in open(sys.argv[1]):
    b,v=l.split(); d[b].append(float(v))
for k in d: print(k, 'median %.1f min %.1f'%(st.median(d[k]), min(d[k])))
r=[n/o for n,o in zip(d['new'],d['old'])]
print('pairwise median ratio %.3f, new lower in %d of %d'%(st.median(r), sum(x<1 for x in r), len(r)))
PY
