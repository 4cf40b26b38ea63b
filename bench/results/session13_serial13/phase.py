# phase.py DATA SYM_FROM SYM_TO: 1 ms buckets from the last bucket containing SYM_FROM to the first after it containing SYM_TO
import sys,re,subprocess,collections
data,a,bsym=sys.argv[1:4]
out=subprocess.run(['perf','script','-i',data,'-F','tid,time,event,ip,sym'],capture_output=True,text=True).stdout
rows=[]
for l in out.splitlines():
    mm=re.match(r'\s*(\d+)\s+([\d.]+):\s+(\S+):\s*\S+\s*(.*)',l)
    if mm: rows.append((int(mm[1]),float(mm[2]),mm[4].strip()[:50]))
t0=rows[0][1]; b=collections.defaultdict(collections.Counter); s=collections.defaultdict(collections.Counter)
for t,ts,sym in rows:
    k=int((ts-t0)*1000); b[k][t]+=1; s[k][sym]+=1
ks=sorted(b)
start=max(k for k in ks if any(a in x for x in s[k]))
start=min(k for k in ks if any(a in x for x in s[k]) and k>start-30)
end=min(k for k in ks if k>start and any(bsym in x for x in s[k]))
for k in range(start,end+1):
    print(k, sum(b[k].values()), sorted(b[k].values(),reverse=True), s[k].most_common(3))
