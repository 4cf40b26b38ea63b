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
