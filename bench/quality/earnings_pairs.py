#!/usr/bin/env python3
"""Reuters earnings wires: how often a story pairs two different companies.

An earnings wire is a Reuters article whose topics include "earn" and whose
title names the company's ticker in angle brackets ("NATIONAL FUEL GAS CO
<NFG> 1ST QTR NET"). Two companies' results are two events, so every
same-story pair of earnings wires with different tickers is a wrong pair.
A ticker's exchange suffix (<IRDV.O>) names the same company as the bare
ticker (<IRDV>). Also counts stories (size >= 5) whose label holds a bare number or a wire
abbreviation.

Usage: earnings_pairs.py STORIES.jsonl REUTERS.jsonl   (prints one JSON line)
"""
import json
import re
import sys
from itertools import combinations

TICKER = re.compile(r"<([^<>]+)>")
# An exchange suffix of a Reuters instrument code: <IRDV.O> and <IRDV> are
# one company (as lib/src/rank/story_split.cc reads them).
EXCHANGE_SUFFIX = re.compile(r"^([A-Z0-9]+)\.[A-Z]{1,2}$")


def company(ticker):
    ticker = ticker.strip().upper()
    m = EXCHANGE_SUFFIX.match(ticker)
    return m.group(1) if m else ticker
# Reuters wire shorthand that names no event (shares, million, dollars...).
WIRE_ABBREVIATIONS = {
    "vs", "shr", "shrs", "mln", "dlrs", "dlr", "cts", "ct", "avg", "qtr", "1st", "2nd", "3rd",
    "4th", "pct", "revs", "oper", "lbs", "bln", "qtly", "div", "usda", "avg", "mths", "yr",
}


def main():
    stories_path, reuters_path = sys.argv[1], sys.argv[2]
    ticker_of = {}
    with open(reuters_path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            m = TICKER.search(doc.get("title") or "")
            if m and "earn" in (doc.get("topics") or []):
                ticker_of[str(doc["id"])] = company(m.group(1))
    pairs = cross = stories5 = bad_label = 0
    with open(stories_path, encoding="utf-8") as f:
        for line in f:
            story = json.loads(line)
            ids = [a["id"] for a in story["articles"]]
            tickers = [ticker_of[i] for i in ids if i in ticker_of]
            for x, y in combinations(tickers, 2):
                pairs += 1
                cross += x != y
            if len(ids) >= 5:
                stories5 += 1
                label = [t.lower() for t in story.get("label", [])]
                if any(re.fullmatch(r"[\d.,]+", t) or t in WIRE_ABBREVIATIONS for t in label):
                    bad_label += 1
    print(json.dumps({
        "earnings_wires": len(ticker_of),
        "same_story_pairs": pairs,
        "cross_company_pairs": cross,
        "cross_company_share": round(cross / pairs, 4) if pairs else 0.0,
        "stories_ge5": stories5,
        "stories_ge5_bad_label": bad_label,
    }))


if __name__ == "__main__":
    main()
