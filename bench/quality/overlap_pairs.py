#!/usr/bin/env python3
"""Pairs of articles that share much text, for gen_corpus --exclude-pairs.

Usage: overlap_pairs.py BASES.jsonl [MIN_CONTAINMENT] > pairs.tsv

Prints `id_a id_b containment` for every pair whose exact word-5-shingle
containment |A n B| / min(|A|, |B|) is >= MIN_CONTAINMENT (default 0.3),
shingles as for the shared pair files (lowercased, split on non-word
characters). The gold pair files list Jaccard >= 0.5 only; abridged and
extended versions of one wire story (Jaccard 0.3-0.5, containment 0.5-1)
are near-duplicates too, and a corpus of "distinct" originals must drop
them, or its copies' recall and precision are measured against wrong labels.
Shingles found in more than 50 articles (boilerplate phrases) are not
counted: they cannot make a pair on their own.
"""
import collections
import json
import re
import sys


def shingles(text):
    w = re.findall(r"\w+", text.lower())
    if len(w) < 5:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + 5]) for i in range(len(w) - 4)}


def main():
    path = sys.argv[1]
    floor = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
    ids, sets = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = d.get("text") or d.get("body") or ""
            if not text:
                continue
            ids.append(str(d.get("id", d.get("doc_id"))))
            sets.append(shingles(text))
    postings = collections.defaultdict(list)
    for i, s in enumerate(sets):
        for sh in s:
            postings[sh].append(i)
    shared = collections.Counter()
    for docs in postings.values():
        if 1 < len(docs) <= 50:
            for x in range(len(docs)):
                for y in range(x + 1, len(docs)):
                    shared[(docs[x], docs[y])] += 1
    print("id_a\tid_b\tcontainment")
    for (a, b), n in sorted(shared.items()):
        small = min(len(sets[a]), len(sets[b]))
        if small and n / small >= floor:
            print(f"{ids[a]}\t{ids[b]}\t{n / small:.4f}")


if __name__ == "__main__":
    main()
