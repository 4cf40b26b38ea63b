"""Shared fixtures: the CLI built beside the module, a generated corpus with
known copies (from the shared Reuters data; skipped when it is absent)."""

import json
import os
import random
import subprocess

import pytest

CLI = os.environ.get("STORYSIFT_CLI", "")
GEN_CORPUS = os.environ.get("STORYSIFT_GEN_CORPUS", "")
SHARED = os.environ.get("STORYSIFT_SHARED_DATA_DIR", "")
DATA = os.environ.get("STORYSIFT_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "data"))
CORPUS_DOCS = 3000
CORPUS_PARTS = 8


def run_cli(*args):
    if not os.path.exists(CLI):
        pytest.skip("STORYSIFT_CLI is not set")
    done = subprocess.run([CLI, *args, "-q"], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture(scope="session")
def seeds():
    folder = os.path.join(DATA, "seeds")
    paths = sorted(os.path.join(folder, n) for n in os.listdir(folder))
    return paths


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """3,000 documents (30 % planted copies of Reuters articles) split into 8 files."""
    reuters = os.path.join(SHARED, "reuters21578", "reuters.jsonl")
    if not os.path.exists(reuters) or not os.path.exists(GEN_CORPUS):
        pytest.skip("needs the shared Reuters data and gen_corpus")
    folder = tmp_path_factory.mktemp("corpus")
    whole = folder / "corpus.jsonl"
    subprocess.run([GEN_CORPUS, "--input", reuters, "--out", str(whole), "--docs",
                    str(CORPUS_DOCS), "--copy-share", "0.3", "--seed", "17"],
                   check=True, capture_output=True)
    lines = whole.read_text().splitlines()
    # Bad records too: they must be reported in place, as the CLI does.
    lines[5] = '["not", "an", "object"]'
    lines[11] = '{"id": "no-text", "title": "x"}'
    lines[23] = '{"id": "blank", "text": "   "}'
    size = (len(lines) + CORPUS_PARTS - 1) // CORPUS_PARTS
    parts = []
    for k in range(CORPUS_PARTS):
        part = folder / f"part{k}.jsonl"
        part.write_text("\n".join(lines[k * size:(k + 1) * size]) + "\n")
        parts.append(str(part))
    records = [json.loads(line) for line in lines]
    return {"parts": parts, "records": records}


WORDS = ("bank rate point inflation storm port coast harvest cocoa shares profit quarter "
         "minister election court ruling oil output refinery strike union wage drought rain "
         "crop export tariff market index bond yield budget deficit").split()


def synthetic_text(seed, words=60):
    """A text of `words` words drawn by `seed`: equal seeds give copies."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


def without_origin(rows):
    """Verdicts without the skipped records' origin (records:N or partitionK:N
    in Python, file:line in the CLI) and without a DataFrame's empty cells."""
    return [{k: v for k, v in r.items() if k != "origin" and v == v} for r in rows]
