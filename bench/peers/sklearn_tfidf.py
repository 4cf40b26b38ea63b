#!/usr/bin/env python3
"""scikit-learn peer of storysift's story stage: TfidfVectorizer (sublinear
tf, English stop words, smoothed idf, L2 norm; title + text) and the k
nearest cosine neighbours of every document (NearestNeighbors, brute force
on the sparse matrix). Prints a timing line to stderr. Needs Debian's
python3-sklearn (/usr/bin/python3)."""
import argparse, sys, time
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from peer_corpus import records, title_and_text

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--k", type=int, default=10)
    a = ap.parse_args()
    t0 = time.time()
    docs = [title_and_text(d) for d in records(a.corpus)]
    t1 = time.time()
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    t2 = time.time()
    nn = NearestNeighbors(n_neighbors=min(a.k, len(docs)), metric="cosine",
                          algorithm="brute", n_jobs=1).fit(x)
    dist, _ = nn.kneighbors(x)
    t3 = time.time()
    print(f"sklearn_tfidf: {len(docs)} docs, vocabulary {x.shape[1]}, nnz {x.nnz}; "
          f"read {t1 - t0:.2f} s, tfidf {t2 - t1:.2f} s, {a.k}-NN cosine {t3 - t2:.2f} s, "
          f"total {t3 - t0:.2f} s", file=sys.stderr)

main()
