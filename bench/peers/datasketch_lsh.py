#!/usr/bin/env python3
"""datasketch peer of `storysift dedup`: MinHash with 128 permutations over
word 3-shingles (lowercased, split on non-word characters) of each text,
MinHashLSH at Jaccard 0.5 (datasketch picks the bands), a query per document;
the candidate pairs are the output. The usual datasketch dedup recipe. Prints
the pairs as TSV (id_a, id_b) to --out and a timing line to stderr. Needs
`pip install datasketch` (PyPI; Debian has no package); exits 3 without it."""
import sys, time

from peer_corpus import minhash_peer_args, records, word_shingles, write_pairs

try:
    from datasketch import MinHash, MinHashLSH
except ImportError:
    print("datasketch_lsh: datasketch is not installed (pip install datasketch)",
          file=sys.stderr)
    sys.exit(3)

def main():
    a = minhash_peer_args(__doc__)
    t0 = time.time()
    k = a.shingle
    ids, sketches = [], []
    for d in records(a.corpus):
        m = MinHash(num_perm=a.num_perm)
        m.update_batch(word_shingles(d, k))
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
    write_pairs(a.out, ids, pairs)
    print(f"datasketch_lsh: {len(ids)} docs, {len(pairs)} candidate pairs; "
          f"read + MinHash {t1 - t0:.2f} s, LSH {t2 - t1:.2f} s", file=sys.stderr)

main()
