# endidle.py BIN MODE RUNS: FIFO perf timelines; per run: span, missing core-ms overall, in the first 10 ms and in the last 25 ms.
import sys,re,subprocess,collections,statistics
b,mode,runs=sys.argv[1],sys.argv[2],int(sys.argv[3])
res=[]
for r in range(runs):
    subprocess.run(['chrt','-f','10','perf','record','-q','-o','/tmp/pipe13/e.data','-e','cpu-clock','-c','100000',b,mode,'--quiet','--threads','2','/tmp/sspeed/c20k.jsonl','-o','/dev/null'],check=True,stderr=subprocess.DEVNULL)
    out=subprocess.run(['perf','script','-i','/tmp/pipe13/e.data','-F','time'],capture_output=True,text=True).stdout
    ts=[float(x.strip().rstrip(':')) for x in out.split()]
    t0,t1=ts[0],ts[-1]; span=(t1-t0)*1000
    first=sum(1 for t in ts if t-t0<0.010); last=sum(1 for t in ts if t1-t<0.025)
    res.append((span, 2*span-len(ts)/10, 20-first/10, 50-last/10))
for name,i in (('span',0),('idle',1),('idle first 10ms',2),('idle last 25ms',3)):
    print(f"{b} {mode} {name}: median {statistics.median(x[i] for x in res):.1f} ms  all {[round(x[i],1) for x in res]}")
