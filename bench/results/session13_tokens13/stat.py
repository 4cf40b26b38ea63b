import sys, statistics as st
rows=[l.split() for l in open(sys.argv[1])]
names=[]
for r in rows:
    if r[0] not in names: names.append(r[0])
n=[float(r[1]) for r in rows if r[0]==names[0]]; o=[float(r[1]) for r in rows if r[0]==names[1]]
print(names[0],'med',st.median(n),names[1],'med',st.median(o),'pairwise',round(st.median([a/b for a,b in zip(n,o)]),4), sum(a<b for a,b in zip(n,o)),'of',len(n))
