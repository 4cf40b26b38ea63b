"""Dedup a pandas DataFrame, then cluster it into stories.

    python3 examples/python/dedup_dataframe.py [corpus.jsonl]

Without an argument it uses a few made-up headlines; with a JSON lines file
(e.g. one made by build/gen_corpus) it reads that.
"""

import sys

import pandas as pd

import storysift

SAMPLE = [
    ("a1", "2024-03-04", "Central bank raises rates",
     "The central bank raised its key interest rate by half a point on Monday, "
     "citing inflation that has stayed above its target for a year."),
    ("a2", "2024-03-04", "Bank lifts rates by half a point",
     "The central bank raised its key interest rate by half a point on Monday, "
     "citing inflation that has stayed above its target for a year. (Reuters)"),
    ("a3", "2024-03-05", "Storm closes ports",
     "A winter storm closed three ports on the northern coast on Tuesday and "
     "grounded flights at the regional airport."),
]


def main():
    if len(sys.argv) > 1:
        frame = pd.read_json(sys.argv[1], lines=True)
    else:
        frame = pd.DataFrame(SAMPLE, columns=["doc", "published", "headline", "body"])
    fields = dict(id_field="doc", date_field="published", title_field="headline",
                  text_field="body") if "body" in frame else {}
    verdicts = storysift.dedup(frame, **fields)
    print(verdicts["role"].value_counts().to_string())
    copies = verdicts[verdicts["role"] == "copy"]
    print(copies[["id", "representative_id", "similarity"]].head().to_string(index=False))

    stories = storysift.cluster(frame, **fields)
    print(f"{len(stories)} stories; largest:")
    print(stories.sort_values("size", ascending=False)[["story_id", "size", "label"]]
          .head().to_string(index=False))


if __name__ == "__main__":
    main()
