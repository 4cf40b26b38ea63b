#!/usr/bin/env python3
"""Straightforward exact near-duplicate baseline: word 5-shingles (lowercased,
split on non-word characters, as the shared pair files), an inverted index
from shingle to documents, intersection counts per co-occurring pair, exact
Jaccard >= threshold. Prints the pairs as TSV (id_a, id_b, jaccard) to --out
and a timing line to stderr."""
import argparse, sys, time
from collections import defaultdict

from peer_corpus import records, words

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--out", default="-")
    ap.add_argument("--max-posting", type=int, default=0,
                    help="skip shingles in more documents than this (0: none)")
    a = ap.parse_args()
    t0 = time.time()
    ids, sets = [], []
    for d in records(a.corpus):
        w = words(d)
        ids.append(d["id"])
        sets.append({hash(" ".join(w[i:i + 5])) for i in range(max(0, len(w) - 4))})
    t1 = time.time()
    index = defaultdict(list)
    for doc, s in enumerate(sets):
        for sh in s:
            index[sh].append(doc)
    # Per document, count shared shingles with every later document (memory
    # stays one document's neighbourhood; time is the sum of posting^2).
    out = sys.stdout if a.out == "-" else open(a.out, "w")
    pairs = cooccurring = 0
    for x, s in enumerate(sets):
        inter = defaultdict(int)
        for sh in s:
            docs = index[sh]
            if len(docs) < 2 or (a.max_posting and len(docs) > a.max_posting):
                continue
            for y in docs:
                if y > x:
                    inter[y] += 1
        cooccurring += len(inter)
        for y in sorted(inter):
            c = inter[y]
            j = c / (len(s) + len(sets[y]) - c)
            if j >= a.threshold:
                out.write(f"{ids[x]}\t{ids[y]}\t{j:.4f}\n")
                pairs += 1
    t2 = time.time()
    print(f"exact_jaccard: {len(ids)} docs, {cooccurring} co-occurring pairs, {pairs} pairs "
          f">= {a.threshold}; read+shingle {t1 - t0:.2f} s, index+pairs {t2 - t1:.2f} s, "
          f"total {t2 - t0:.2f} s", file=sys.stderr)

main()
