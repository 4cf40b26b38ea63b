#!/usr/bin/env bash
# Story-clustering quality on every dev set, at default settings unless
# extra `cluster` flags are given: ECB+ (pairwise and B-cubed F1 vs gold
# events), the tweets (NMI/AMI vs gold stories), Reuters earnings wires
# (share of same-story pairs that join two companies, labels with numbers or
# wire abbreviations), and the seeds among all BBC articles (one story, no
# intruder). Prints one markdown table row per set.
#
# Usage: bench/quality/story_quality.sh [CLUSTER FLAGS...]
#        (env: BUILD=build DATA=../shared/data); exits 0 when data is absent.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${BUILD:-$ROOT/build}"
DATA="${DATA:-$ROOT/../shared/data}"
SS="$BUILD/storysift"
if [[ ! -f "$DATA/ecbplus/ecbplus_topics_1-25.jsonl" ]]; then
  echo "story_quality: shared data not found under $DATA; nothing to measure"
  exit 0
fi
command -v jq >/dev/null || { echo "story_quality: jq is required" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
f3() { printf '%.3f' "$1"; }

# ECB+: gold field `cluster`, id field doc_id.
"$SS" cluster "$DATA/ecbplus/ecbplus_topics_1-25.jsonl" --id-field doc_id -q "$@" -o "$TMP/e.jsonl"
"$SS" eval "$TMP/e.jsonl" "$DATA/ecbplus/ecbplus_topics_1-25.jsonl" --gold-field cluster \
  --json > "$TMP/e.json"
echo "ecb+ bcubed_f1 $(f3 "$(jq .clusters.bcubed_f1 "$TMP/e.json")")" \
  "pair_f1 $(f3 "$(jq .clusters.pair_f1 "$TMP/e.json")")" \
  "nmi $(f3 "$(jq .clusters.normalized_mutual_info "$TMP/e.json")")"

# Tweets: gold field `story`.
T="$DATA/mstream_tweets/tweets.jsonl"
if [[ -f "$T" ]]; then
  "$SS" cluster "$T" -q "$@" -o "$TMP/t.jsonl"
  "$SS" eval "$TMP/t.jsonl" "$T" --gold-field story --json > "$TMP/t.json"
  echo "tweets nmi $(f3 "$(jq .clusters.normalized_mutual_info "$TMP/t.json")")" \
    "ami $(f3 "$(jq .clusters.adjusted_mutual_info "$TMP/t.json")")" \
    "bcubed_f1 $(f3 "$(jq .clusters.bcubed_f1 "$TMP/t.json")")"
fi

R="$DATA/reuters21578/reuters.jsonl"
if [[ -f "$R" ]]; then
  "$SS" cluster "$R" -q "$@" -o "$TMP/r.jsonl"
  echo "reuters $(python3 "$ROOT/bench/quality/earnings_pairs.py" "$TMP/r.jsonl" "$R")"
fi

B="$DATA/bbc/bbc.jsonl"
if [[ -f "$B" ]]; then
  "$SS" cluster "$ROOT/data/seeds" "$B" -q "$@" -o "$TMP/b.jsonl"
  jq -c 'select(any(.articles[]; .id | test("^00[012]_"))) |
         {size, seeds: [.articles[] | select(.id | test("^00[012]_"))] | length}' \
    "$TMP/b.jsonl" | sed 's/^/seeds+bbc /'
fi
