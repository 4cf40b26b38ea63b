# rt.py ROUNDS CMD BIN...: alternates binaries, each run under SCHED_FIFO (chrt -f 10: other
# sessions cannot preempt it, so its wall time is close to an idle machine's), and prints
# the median wall and CPU ms and 2 * wall - CPU (core-ms a core sat idle). INP, TH: corpus, threads.
import sys, subprocess, os, time, resource, statistics
rounds=int(sys.argv[1]); cmd=sys.argv[2].split(); bins=sys.argv[3:]
inp=os.environ.get('INP','/tmp/sspeed/c20k.jsonl'); th=os.environ.get('TH','2')
res={b:[] for b in bins}
for r in range(rounds):
    for b in bins:
        t0=time.perf_counter(); ru0=resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(['chrt','-f','10',b]+cmd+['--threads',th,'-q',inp,'-o','/dev/null'],check=True)
        t1=time.perf_counter(); ru1=resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu=(ru1.ru_utime-ru0.ru_utime)+(ru1.ru_stime-ru0.ru_stime)
        res[b].append(((t1-t0)*1000,cpu*1000))
for b in bins:
    w=[x[0] for x in res[b]]; c=[x[1] for x in res[b]]
    print(f"{b}: wall med {statistics.median(w):.1f} min {min(w):.1f} ms, cpu med {statistics.median(c):.1f} ms, idle(2w-c) {2*statistics.median(w)-statistics.median(c):.1f}")
