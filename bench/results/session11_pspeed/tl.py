# Timeline of a perf record (sched events + cpu-clock samples) of one process:
# time with 0/1/2+ of its threads runnable, and the symbols sampled while only one is.
import sys, re, subprocess, collections
data = sys.argv[1]; bucket_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 0
out = subprocess.run(['perf','script','-i',data,'-F','pid,tid,time,event,ip,sym,trace'],capture_output=True,text=True).stdout
import collections as _c
_cnt=_c.Counter(int(l.split('/')[0]) for l in out.splitlines() if 'cpu-clock' in l and '/' in l.split()[0])
pid0=_cnt.most_common(1)[0][0]; runnable=set(); t_last=None; t_start=None
acc=collections.Counter(); samples1=collections.Counter(); samples_all=collections.Counter()
timeline=[]  # (t, count)
tids=set()
def adv(t):
    global t_last
    if t_last is not None: acc[min(len(runnable),2)] += t - t_last
    t_last = t
for line in out.splitlines():
    m = re.match(r'\s*(\d+)/(\d+)\s+([\d.]+):\s+(\S+):\s*(.*)', line)
    if not m: continue
    pid,tid,t,ev,rest = int(m[1]),int(m[2]),float(m[3]),m[4],m[5]
    if pid!=pid0: continue
    if t_start is None: t_start=t; runnable.add(tid)
    adv(t)
    if ev=='cpu-clock':
        runnable.add(tid)
        sym = rest.split()[1] if len(rest.split())>1 else '?'
        samples_all[sym]+=1
        if len(runnable)<2: samples1[sym]+=1
        timeline.append((t,len(runnable),sym,tid))
    elif ev=='sched:sched_switch':
        st = re.search(r'prev_state=(\S+)', rest)[1]; pp=int(re.search(r'prev_pid=(\d+)',rest)[1])
        if not st.startswith('R'): runnable.discard(pp)
    elif ev in ('sched:sched_wakeup','sched:sched_wakeup_new'):
        p=int(re.search(r'pid=(\d+)',rest)[1])
        if p in tids or ev.endswith('new'): runnable.add(p); tids.add(p)
    elif ev=='sched:sched_process_exit':
        p=int(re.search(r'pid=(\d+)',rest)[1]); runnable.discard(p)
    tids.add(tid)
tot=sum(acc.values())
print(f"span {tot*1e3:.1f} ms: 0 runnable {acc[0]*1e3:.1f} ms, 1 runnable {acc[1]*1e3:.1f} ms, 2+ {acc[2]*1e3:.1f} ms; idle core-ms {2*acc[0]*1e3+acc[1]*1e3:.1f}")
print("samples while <2 runnable (100us each):")
for s,c in samples1.most_common(25): print(f"  {c:5d} {s}")
if bucket_ms:
    b=collections.defaultdict(lambda:[0,0,collections.Counter()])
    for t,n,s,tid in timeline:
        k=int((t-t_start)*1000/bucket_ms); b[k][0]+=1; b[k][1]+= (n<2); b[k][2][s]+=1
    for k in sorted(b): print(f"{k*bucket_ms:7.1f}ms samples {b[k][0]:4d} single {b[k][1]:4d} top {b[k][2].most_common(3)}")
