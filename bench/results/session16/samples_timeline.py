# Session 16 analysis aid: perf script -F comm,tid,cpu,time,ip,sym of a system-wide
# perf record, binned by time: idle samples and the top symbols per bin.
import sys, re, collections
# perf script -F comm,tid,cpu,time,sym output
rows=[]
for line in sys.stdin:
    m=re.match(r'\s*(\S+)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+\S+\s+(.*)', line)
    if not m: continue
    comm,tid,cpu,t,sym=m.groups(); rows.append((float(t),comm,sym.strip()))
s=min(r[0] for r in rows if r[1]=='storysift')
binms=int(sys.argv[1]) if len(sys.argv)>1 else 20
bins=collections.defaultdict(collections.Counter); idle=collections.Counter()
for t,comm,sym in rows:
    b=int((t-s)*1000/binms)
    if comm=='swapper': idle[b]+=1
    elif comm=='storysift':
        sym=re.sub(r'\(.*','',sym); sym=sym.split('::')[-1] if '::' in sym else sym
        bins[b][sym[:28]]+=1
for b in sorted(bins):
    print(f"{b*binms:5d}ms idle={idle[b]:2d} ", ", ".join(f"{k}={v}" for k,v in bins[b].most_common(3)))
