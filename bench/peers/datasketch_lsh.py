#!/usr/bin/env python3
"""datasketch peer of `storysift dedup`: MinHash with 128 permutations over
word 3-shingles (lowercased, split on non-word characters) of each text,
MinHashLSH at Jaccard 0.5 (datasketch picks the bands), a query per document;
the candidate pairs are the output. The usual datasketch dedup recipe. Prints
the pairs as TSV (id_a, id_b) to --out and a timing line to stderr. Needs
`pip install datasketch` (PyPI; Debian has no package); exits 3 without it."""
import argparse, sys, time

from peer_corpus import records, words

try:
    from datasketch import MinHash, MinHashLSH
except ImportError:
    print("datasketch_lsh: datasketch is not installed (pip install datasketch)",
          file=sys.stderr)
    sys.exit(3)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--shingle", type=int, default=3)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    t0 = time.time()
    k = a.shingle
    ids, sketches = [], []
    for d in records(a.corpus):
        w = words(d)
        m = MinHash(num_perm=a.num_perm)
        m.update_batch(" ".join(w[i:i + k]).encode() for i in range(max(1, len(w) - k + 1)))
        ids.append(d["id"])
        sketches.append(m)
    t1 = time.time()
    lsh = MinHashLSH(threshold=a.threshold, num_perm=a.num_perm)
    for i, m in enumerate(sketches):
        lsh.insert(i, m)
    pairs = set()
    for i, m in enumerate(sketches):
        for j in lsh.query(m):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    t2 = time.time()
    out = sys.stdout if a.out == "-" else open(a.out, "w")
    out.write("id_a\tid_b\n")
    for i, j in sorted(pairs):
        out.write(f"{ids[i]}\t{ids[j]}\n")
    print(f"datasketch_lsh: {len(ids)} docs, {len(pairs)} candidate pairs; "
          f"read + MinHash {t1 - t0:.2f} s, LSH {t2 - t1:.2f} s", file=sys.stderr)

main()
