#!/usr/bin/env python3
"""scikit-learn peer of `storysift cluster`: TfidfVectorizer (sublinear tf,
English stop words, smoothed idf, L2 norm; title + text), exact all-pairs
cosine (the sparse product X X^T, in row blocks) kept at >= --threshold
(storysift's story threshold, 0.2), and the connected components of that
graph as stories (scipy). Prints a timing line to stderr. Needs Debian's
python3-sklearn (/usr/bin/python3)."""
import argparse, sys, time
import numpy as np
from scipy.sparse import vstack
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from peer_corpus import records, title_and_text

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--threshold", type=float, default=0.2)
    ap.add_argument("--block", type=int, default=2000)
    a = ap.parse_args()
    t0 = time.time()
    docs = [title_and_text(d) for d in records(a.corpus)]
    t1 = time.time()
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    t2 = time.time()
    xt = x.T.tocsc()
    rows = []
    for start in range(0, x.shape[0], a.block):
        sims = x[start:start + a.block] @ xt  # Exact cosine: rows are L2-normed.
        sims.data[sims.data < a.threshold] = 0
        sims.eliminate_zeros()
        rows.append(sims)
    graph = vstack(rows).tocsr()
    t3 = time.time()
    n, labels = connected_components(graph, directed=False)
    t4 = time.time()
    print(f"sklearn_components: {len(docs)} docs, vocabulary {x.shape[1]}, "
          f"{graph.nnz} pairs >= {a.threshold}, {n} stories; read {t1 - t0:.2f} s, "
          f"tfidf {t2 - t1:.2f} s, all-pairs cosine {t3 - t2:.2f} s, components "
          f"{t4 - t3:.2f} s, total {t4 - t0:.2f} s", file=sys.stderr)

main()
