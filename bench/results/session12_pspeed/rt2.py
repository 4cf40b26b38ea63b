# rt2.py ROUNDS CMD OLD NEW: alternated runs under SCHED_FIFO (chrt -f 10), medians and pairwise new/old ratios.
import sys, subprocess, os, time, resource, statistics
rounds=int(sys.argv[1]); cmd=sys.argv[2].split(); old,new=sys.argv[3:5]
inp=os.environ.get('INP','/tmp/sspeed/c20k.jsonl'); th=os.environ.get('TH','2')
res={old:[],new:[]}
for r in range(rounds):
    for b in ((old,new) if r%2==0 else (new,old)):
        t0=time.perf_counter(); ru0=resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(['chrt','-f','10',b]+cmd+['--threads',th,'-q',inp,'-o','/dev/null'],check=True)
        t1=time.perf_counter(); ru1=resource.getrusage(resource.RUSAGE_CHILDREN)
        res[b].append(((t1-t0)*1000,((ru1.ru_utime-ru0.ru_utime)+(ru1.ru_stime-ru0.ru_stime))*1000))
for name,b in (('old',old),('new',new)):
    w=[x[0] for x in res[b]]; c=[x[1] for x in res[b]]
    print(f"{name} {b}: wall med {statistics.median(w):.1f} min {min(w):.1f} ms, cpu med {statistics.median(c):.1f} min {min(c):.1f} ms")
rw=[n[0]/o[0] for o,n in zip(res[old],res[new])]; rc=[n[1]/o[1] for o,n in zip(res[old],res[new])]
print(f"pairwise new/old: wall median x{statistics.median(rw):.3f} (new lower in {sum(r<1 for r in rw)} of {len(rw)}), cpu median x{statistics.median(rc):.3f} (lower in {sum(r<1 for r in rc)})")
