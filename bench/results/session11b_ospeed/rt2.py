# rt.py with FIFO optional (FIFO=0: plain CFS, as a user runs it), pairwise ratios.
import sys, subprocess, os, time, resource, statistics
rounds=int(sys.argv[1]); cmd=sys.argv[2].split(); bins=sys.argv[3:]
inp=os.environ.get('INP','/tmp/sspeed/c20k.jsonl'); th=os.environ.get('TH','2')
pre=['chrt','-f','10'] if os.environ.get('FIFO','1')=='1' else []
res={b:[] for b in bins}
for r in range(rounds):
    for b in (bins if r%2==0 else bins[::-1]):
        t0=time.perf_counter(); ru0=resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(pre+[b]+cmd+['--threads',th,'-q',inp,'-o','/dev/null'],check=True)
        t1=time.perf_counter(); ru1=resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu=(ru1.ru_utime-ru0.ru_utime)+(ru1.ru_stime-ru0.ru_stime)
        res[b].append(((t1-t0)*1000,cpu*1000))
for b in bins:
    w=[x[0] for x in res[b]]; c=[x[1] for x in res[b]]
    print(f"{b}: wall med {statistics.median(w):.1f} min {min(w):.1f} ms, cpu med {statistics.median(c):.1f} ms, idle(2w-c) {2*statistics.median(w)-statistics.median(c):.1f}")
a,b=bins[0],bins[1]
rw=[y[0]/x[0] for x,y in zip(res[a],res[b])]; rc=[y[1]/x[1] for x,y in zip(res[a],res[b])]
print(f"pairwise new/old wall med x{statistics.median(rw):.3f} (lower {sum(r<1 for r in rw)}/{len(rw)}), cpu med x{statistics.median(rc):.3f}")
