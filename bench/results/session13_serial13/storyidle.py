# storyidle.py DATA...: per run, ms and idle core-ms (2 cores) from the first CollectTopTerms/TopTermPositions sample to the first LabelOfRow sample (candidates + agglomeration)
import sys,re,subprocess
for data in sys.argv[1:]:
    out=subprocess.run(['perf','script','-i',data,'-F','tid,time,event,ip,sym'],capture_output=True,text=True).stdout
    rows=[]
    for l in out.splitlines():
        mm=re.match(r'\s*(\d+)\s+([\d.]+):\s+(\S+):\s*\S+\s*(.*)',l)
        if mm: rows.append((float(mm[2]),mm[4]))
    a=next(t for t,s in rows if 'TopTermPositions' in s)
    b=next(t for t,s in rows if t>a and 'LabelOfRow' in s)
    c=next(t for t,s in rows if t>b and 'RankByNovelty' in s)
    n1=sum(1 for t,s in rows if a<=t<b); n2=sum(1 for t,s in rows if b<=t<c)
    print(data, f"cand+aggl {1000*(b-a):.1f} ms idle {2*1000*(b-a)-n1/10:.1f} core-ms | labels {1000*(c-b):.1f} ms idle {2*1000*(c-b)-n2/10:.1f}")
