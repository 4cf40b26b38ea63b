import os,sys,time,statistics,subprocess
bins=sys.argv[1:3]; n=int(sys.argv[3]); mode=sys.argv[4] if len(sys.argv)>4 else 'dedup'
res={b:[] for b in bins}
for i in range(n):
  for b in (bins if i%2==0 else bins[::-1]):
    t=time.time(); p=subprocess.Popen([b,mode,'--quiet','--threads','2','/tmp/sspeed/c20k.jsonl','-o','/dev/null'])
    _,st,ru=os.wait4(p.pid,0); w=time.time()-t
    res[b].append((w,ru.ru_utime+ru.ru_stime))
for b in bins:
  print(b, 'wall median %.3f'%statistics.median(x[0] for x in res[b]), 'cpu median %.3f'%statistics.median(x[1] for x in res[b]))
import math
r=[res[bins[1]][i][0]/res[bins[0]][i][0] for i in range(n)]
c=[res[bins[1]][i][1]/res[bins[0]][i][1] for i in range(n)]
print('new/old wall geomean %.3f cpu geomean %.3f, new lower wall in %d of %d'%(math.exp(sum(map(math.log,r))/n), math.exp(sum(map(math.log,c))/n), sum(x<1 for x in r), n))
