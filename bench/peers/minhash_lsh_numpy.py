#!/usr/bin/env python3
"""Stand-in for #19's datasketch peer where datasketch cannot be installed
(it is on PyPI only; this machine reaches Debian's archive alone). The same
method as datasketch_lsh.py, done the way datasketch does it, in numpy:

* each word 3-shingle (joined by spaces, UTF-8) hashed by the first four
  bytes of its SHA-1, little-endian (datasketch's sha1_hash32);
* 128 universal hashes (a * h + b) mod (2^61 - 1), kept to 32 bits, with
  (a, b) drawn from numpy's RandomState(1) as datasketch draws them; the
  product wraps at 64 bits first, as numpy's uint64 does in datasketch;
* one vectorized update per document (MinHash.update_batch: a (shingles x
  128) array, its column minima);
* LSH at Jaccard 0.5: the (bands, rows) that minimize the false positive
  plus false negative probability integrals with weights 0.5 / 0.5
  (datasketch's _optimal_param), each band's slice of hash values (as
  bytes) a key into that band's dict, one query per document.

One shortcut makes it faster than datasketch, so the ratio against it is a
lower bound: the permutations are drawn once, not per
MinHash (datasketch draws 256 numbers in a Python loop for every document).
--draw-per-document drops the shortcut: each document draws its own (the
same values), as `MinHash(num_perm=128)` does in datasketch_lsh.py, the
issue's recipe; that run estimates datasketch's own time. Prints the
candidate pairs as TSV (id_a, id_b) to --out and a timing line to stderr."""
import hashlib
import sys
import time

import numpy as np

from peer_corpus import minhash_peer_args, records, word_shingles, write_pairs

MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)


def permutations(num_perm, seed=1):
    gen = np.random.RandomState(seed)
    pairs = [(gen.randint(1, MERSENNE, dtype=np.uint64),
              gen.randint(0, MERSENNE, dtype=np.uint64)) for _ in range(num_perm)]
    return np.array(pairs, dtype=np.uint64).T


def sha1_32(data):
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


try:
    from scipy.integrate import quad  # What datasketch integrates with.

    def integral(f, lo, hi):
        return quad(f, lo, hi)[0]
except ImportError:
    def integral(f, lo, hi, steps=200):
        # Midpoint rule: smooth integrands on [0, 1], ample for picking (b, r).
        width = (hi - lo) / steps
        return sum(f(lo + (i + 0.5) * width) for i in range(steps)) * width


def optimal_bands(threshold, num_perm, fp_weight=0.5, fn_weight=0.5):
    best, best_error = (1, 1), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = integral(lambda s: 1 - (1 - s ** r) ** b, 0.0, threshold)
            fn = integral(lambda s: 1 - (1 - (1 - s ** r) ** b), threshold, 1.0)
            error = fp * fp_weight + fn * fn_weight
            if error < best_error:
                best, best_error = (b, r), error
    return best


def main():
    a = minhash_peer_args(__doc__, lambda ap: ap.add_argument(
        "--draw-per-document", action="store_true",
        help="draw the permutations for every document, as datasketch's MinHash() does"))
    t0 = time.time()
    k = a.shingle
    mul, add = permutations(a.num_perm)
    ids, sketches = [], []
    for d in records(a.corpus):
        if a.draw_per_document:
            mul, add = permutations(a.num_perm)
        hv = np.array([sha1_32(s) for s in word_shingles(d, k)], dtype=np.uint64).reshape(-1, 1)
        values = np.full(a.num_perm, MAX_HASH, dtype=np.uint64)
        if hv.size:
            values = np.minimum(values, (((hv * mul + add) % MERSENNE) & MAX_HASH).min(axis=0))
        ids.append(d["id"])
        sketches.append(values)
    t1 = time.time()
    bands, rows = optimal_bands(a.threshold, a.num_perm)
    tables = [dict() for _ in range(bands)]
    keys = []
    for i, values in enumerate(sketches):
        doc_keys = [bytes(values[b * rows:(b + 1) * rows].byteswap().data) for b in range(bands)]
        keys.append(doc_keys)
        for table, key in zip(tables, doc_keys):
            table.setdefault(key, set()).add(i)
    pairs = set()
    for i, doc_keys in enumerate(keys):
        met = set()
        for table, key in zip(tables, doc_keys):
            met.update(table.get(key, ()))
        for j in met:
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    t2 = time.time()
    write_pairs(a.out, ids, pairs)
    name = "minhash_lsh_numpy" + (" --draw-per-document" if a.draw_per_document else "")
    print(f"{name}: {len(ids)} docs, {len(pairs)} candidate pairs, "
          f"{bands} bands x {rows} rows; read + MinHash {t1 - t0:.2f} s, LSH {t2 - t1:.2f} s",
          file=sys.stderr)


main()
