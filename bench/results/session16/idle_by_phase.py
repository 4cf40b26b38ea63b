# Session 16 analysis aid: idle core time per phase of a storysift run.
# perf record -a -e sched:sched_switch -o P -- storysift cluster ... 2> marks.txt (a build
# printing "M <phase> <steady ms>" lines), perf script -i P -F comm,tid,cpu,time,event,trace > sw.txt,
# then python3 idle_by_phase.py sw.txt marks.txt
import sys, re, collections, time
# argv1: perf script output (sched_switch -a), argv2: stderr markers
ev=[]
for line in open(sys.argv[1]):
    m=re.match(r'\s*(\S+)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch:.*prev_comm=(\S+) prev_pid=(\d+).*prev_state=(\S+) ==> next_comm=(\S+) next_pid=(\d+)',line)
    if m: ev.append((float(m.group(4)),int(m.group(3)),m.group(5),m.group(8)))
ev.sort()
# idle intervals (any CPU) after storysift switched out to swapper, until that CPU switches again
bycpu=collections.defaultdict(list)
for e in ev: bycpu[e[1]].append(e)
idle=[]
for cpu,es in bycpu.items():
    for a,b in zip(es,es[1:]):
        if a[2]=='storysift' and a[3].startswith('swapper'): idle.append((a[0],b[0]))
marks=[]
for l in open(sys.argv[2]):
    f=l.split()
    if f and f[0]=='M': marks.append((float(f[2])/1e3,f[1]))
# perf times are CLOCK_MONOTONIC seconds (perf clock ~ sched_clock); steady_clock also monotonic; assume same base
marks.sort()
first=ev[0][0]; last=ev[-1][0]
ph=[('start',first)]+[(n,t) for t,n in marks]+[('end',last+1)]
# merge consecutive M names into phases, aggregate by phase name
agg=collections.Counter(); dur=collections.Counter()
for (n1,t1),(n2,t2) in zip(ph,ph[1:]):
    key=n1
    dur[key]+=t2-t1
    for a,b in idle:
        o=max(0,min(b,t2)-max(a,t1))
        agg[key]+=o
print('phase (time after marker)       wall_ms  idle_core_ms')
for k in dur: print('%-28s %8.1f %8.1f'%(k,dur[k]*1e3,agg[k]*1e3))
print('total idle %.1f ms, span %.1f ms'%(sum(b-a for a,b in idle)*1e3,(last-first)*1e3))
