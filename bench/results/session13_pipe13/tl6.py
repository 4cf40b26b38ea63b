import sys,re,subprocess,collections
data=sys.argv[1]; bms=float(sys.argv[2]); show=sys.argv[3] if len(sys.argv)>3 else 'ends'
out=subprocess.run(['perf','script','-i',data,'-F','tid,time,event,ip,sym'],capture_output=True,text=True).stdout
rows=[]
for l in out.splitlines():
    mm=re.match(r'\s*(\d+)\s+([\d.]+):\s+(\S+):\s*(\S+)\s*(.*)',l)
    if mm and mm[3]=='cpu-clock': rows.append((int(mm[1]),float(mm[2]),mm[5][:45]))
t0=rows[0][1]; b=collections.defaultdict(collections.Counter); s=collections.defaultdict(collections.Counter)
for t,ts,sym in rows:
    k=int((ts-t0)*1000/bms); b[k][t]+=1; s[k][sym]+=1
full=2*bms*10
print(data, 'samples',len(rows),'span ms',(rows[-1][1]-t0)*1000, 'missing core-ms', sum(full-sum(b[k].values()) for k in b)/10)
ks=sorted(b)
sel = ks if show=='all' else ks[:8]+ks[-12:]
for k in sel: print(f"{k*bms:6.1f} {sum(b[k].values()):4d} {sorted(b[k].values(),reverse=True)} {s[k].most_common(3)}")
