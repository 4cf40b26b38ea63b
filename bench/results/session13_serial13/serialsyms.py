# serialsyms.py DATA...: symbols sampled in 1 ms buckets where only one thread ran (>=8 samples), summed over runs; idle core-ms per run.
import sys,re,subprocess,collections
tot=collections.Counter(); idle=[]
for data in sys.argv[1:]:
    out=subprocess.run(['perf','script','-i',data,'-F','tid,time,event,ip,sym'],capture_output=True,text=True).stdout
    rows=[]
    for l in out.splitlines():
        mm=re.match(r'\s*(\d+)\s+([\d.]+):\s+(\S+):\s*\S+\s*(.*)',l)
        if mm and mm[3].startswith('cpu-clock'): rows.append((int(mm[1]),float(mm[2]),mm[4].strip()[:60]))
    t0=rows[0][1]; b=collections.defaultdict(collections.Counter); s=collections.defaultdict(collections.Counter)
    for t,ts,sym in rows:
        k=int((ts-t0)*1000); b[k][t]+=1; s[k][sym]+=1
    single=0
    for k in b:
        if len(b[k])==1 and sum(b[k].values())>=8: tot.update(s[k]); single+=1
    idle.append(single)
print('single-thread 1ms buckets per run', idle)
for sym,c in tot.most_common(25): print(c, sym)
