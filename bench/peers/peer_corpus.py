"""What every peer reads from the corpus (JSON lines, as gen_corpus writes
them), written once so the peers differ only in the method they time."""
import json
import re

_WORD = re.compile(r"\w+")


def records(path):
    """The corpus's records, one dict at a time, in file order."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def title_and_text(record):
    """What the TF-IDF peers vectorize: the title, a newline, the text."""
    return record.get("title", "") + "\n" + record.get("text", "")


def words(record):
    """The dedup peers' tokens: the text lowercased, split on non-word
    characters (as the shared pair files were made)."""
    return _WORD.findall(record.get("text", "").lower())


def minhash_peer_args(description, extra=None):
    """The MinHash-LSH peers' command line: corpus, --threshold, --num-perm,
    --shingle, --out; `extra(parser)` adds a peer's own flags."""
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("corpus")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--shingle", type=int, default=3)
    ap.add_argument("--out", default="-")
    if extra is not None:
        extra(ap)
    return ap.parse_args()


def word_shingles(record, k):
    """The record's word k-shingles as UTF-8 (words joined by spaces; a text
    shorter than k words is one shingle)."""
    w = words(record)
    return (" ".join(w[i:i + k]).encode() for i in range(max(1, len(w) - k + 1)))


def write_pairs(path, ids, pairs):
    """Candidate pairs of indices into ids, as TSV (id_a, id_b), sorted."""
    import sys
    out = sys.stdout if path == "-" else open(path, "w")
    out.write("id_a\tid_b\n")
    for i, j in sorted(pairs):
        out.write(f"{ids[i]}\t{ids[j]}\n")
    if out is not sys.stdout:
        out.close()
