# Sleep intervals of each thread of the process (switch-out not R -> wakeup), with main-thread symbols sampled in them.
import sys, re, subprocess, collections
data=sys.argv[1]
out = subprocess.run(['perf','script','-i',data,'-F','pid,tid,time,event,ip,sym,trace'],capture_output=True,text=True).stdout
cnt=collections.Counter(int(l.split('/')[0]) for l in out.splitlines() if 'cpu-clock' in l and '/' in l.split()[0])
pid0=cnt.most_common(1)[0][0]
ev=[]
for line in out.splitlines():
    m = re.match(r'\s*(\d+)/(\d+)\s+([\d.]+):\s+(\S+):\s*(.*)', line)
    if not m or int(m[1])!=pid0: continue
    ev.append((float(m[3]),int(m[2]),m[4],m[5]))
t0=ev[0][0]
sleep_start={}; gaps=collections.defaultdict(list)
for t,tid,e,rest in ev:
    if e=='sched:sched_switch':
        st=re.search(r'prev_state=(\S+)',rest)[1]
        if not st.startswith('R'): sleep_start[tid]=t
    elif e.startswith('sched:sched_wakeup'):
        p=int(re.search(r' pid=(\d+)',rest)[1])
        if p in sleep_start: gaps[p].append((sleep_start.pop(p),t))
for tid,g in gaps.items():
    tot=sum(b-a for a,b in g)
    print(f"tid {tid}: {len(g)} sleeps, {tot*1e3:.1f} ms total; >0.3ms: {sum(1 for a,b in g if b-a>3e-4)}")
# the pool helper = the thread with most sleeps besides main
main=pid0
helper=max((t for t in gaps if t!=main), key=lambda t: len(gaps[t]), default=None)
if helper:
    syms=collections.Counter()
    for a,b in gaps[helper]:
        for t,tid,e,rest in ev:
            if a<t<b and e=='cpu-clock' and tid==main: syms[(rest.split()+['?','?'])[1]]+=1
    print("main's samples while the pool helper sleeps:")
    for s,c in syms.most_common(30): print(f"  {c:4d} {s}")
    print("helper gaps (ms from start, length):", " ".join(f"{(a-t0)*1e3:.1f}+{(b-a)*1e3:.2f}" for a,b in gaps[helper][:60]))
