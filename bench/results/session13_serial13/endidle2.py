# endidle2.py DATA...: span, idle core-ms overall and in the last 25 ms (2 cores)
import sys,subprocess
for d in sys.argv[1:]:
    out=subprocess.run(['perf','script','-i',d,'-F','time'],capture_output=True,text=True).stdout
    ts=[float(x.strip().rstrip(':')) for x in out.split()]
    t0,t1=ts[0],ts[-1]; span=(t1-t0)*1000
    last=sum(1 for t in ts if t1-t<0.025)
    print(d, f"span {span:.1f} ms idle {2*span-len(ts)/10:.1f} core-ms, last 25 ms idle {50-last/10:.1f}")
