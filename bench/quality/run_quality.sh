#!/usr/bin/env bash
# Near-duplicate quality measurements for storysift: prints markdown tables.
#
#  1. Reuters-21578 and BBC labelled near-duplicate pairs (exact word-5-shingle
#     Jaccard >= 0.5): `dedup --pairs` for both methods at a few settings,
#     precision/recall against the gold pairs at or above the threshold.
#  2. Generated corpora (bench/corpus gen_corpus on Reuters and BBC bases,
#     copy share 0.3, 8 copy kinds): recall per copy kind (a copy is found
#     when it lands in its original's group) and false pairs (clustered pairs
#     that are not copies of one original), for several settings.
#  3. ECB+ (different articles on the same event) and the three seeds: pairs
#     found, which should be none.
#
# Usage: bench/quality/run_quality.sh   (env: BUILD=build DOCS=20000 DATA=...)
# Needs build/storysift, build/gen_corpus and jq; exits 0 when data is absent.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${BUILD:-$ROOT/build}"
DATA="${DATA:-$ROOT/../shared/data}"
DOCS="${DOCS:-20000}"
SS="$BUILD/storysift"
GEN="$BUILD/gen_corpus"

if [[ ! -f "$DATA/reuters21578/reuters.jsonl" || ! -f "$DATA/bbc/bbc.jsonl" ]]; then
  echo "run_quality: shared data not found under $DATA; nothing to measure"
  exit 0
fi
for tool in "$SS" "$GEN"; do
  [[ -x "$tool" ]] || { echo "run_quality: $tool not built" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "run_quality: jq is required" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# eval --json field helper: jget FILE.json '.pairs.precision'
jget() { jq -r "$2" "$1"; }
fmt() { printf '%.3f' "$1"; }

echo "# storysift near-duplicate quality"
echo
echo "storysift $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $DOCS generated docs"
echo

# --- 1. Gold pair files ------------------------------------------------------
gold_table() {
  local name="$1" input="$2" gold="$3"
  echo "## $name gold pairs (exact word-5-shingle Jaccard)"
  echo
  echo "| method | setting | gold pairs (J >= g) | predicted | precision | recall | F1 |"
  echo "|---|---|---|---|---|---|---|"
  local run
  while read -r method setting g flags; do
    # shellcheck disable=SC2086
    "$SS" dedup "$input" -q --pairs $flags -o "$TMP/p.tsv"
    "$SS" eval "$TMP/p.tsv" "$gold" --min-gold "$g" --json > "$TMP/e.json"
    echo "| $method | $setting | $(jget "$TMP/e.json" .pairs.gold) (g=$g) |" \
         "$(jget "$TMP/e.json" .pairs.predicted) |" \
         "$(fmt "$(jget "$TMP/e.json" .pairs.precision)") |" \
         "$(fmt "$(jget "$TMP/e.json" .pairs.recall)") |" \
         "$(fmt "$(jget "$TMP/e.json" .pairs.f1)") |"
  done <<ROWS
minhash k=5,t=0.5 0.5 --shingle-size 5 --threshold 0.5 --containment 0
minhash k=5,t=0.7 0.7 --shingle-size 5 --threshold 0.7 --containment 0
minhash k=5,t=0.8 0.8 --shingle-size 5 --threshold 0.8 --containment 0
minhash k=5,t=0.9 0.9 --shingle-size 5 --threshold 0.9 --containment 0
minhash k=5,t=0.8,exact 0.8 --shingle-size 5 --threshold 0.8 --containment 0 --exact-verify
minhash k=3,t=0.5 0.5 --threshold 0.5 --containment 0
minhash k=3,t=0.6 0.5 --containment 0
minhash default 0.5 
minhash no-fold 0.5 --no-lookalike-fold
minhash no-short-rule 0.5 --short-shingles 0
minhash pre-#16 0.5 --threshold 0.6 --short-shingles 0 --bands 32 --rows 4 --no-lookalike-fold
simhash h=3 0.8 --method simhash --max-hamming 3
simhash h=6 0.7 --method simhash --max-hamming 6
simhash h=10 0.5 --method simhash --max-hamming 10
ROWS
  echo
}
gold_table "Reuters-21578" "$DATA/reuters21578/reuters.jsonl" \
  "$DATA/reuters21578/reuters.neardup_pairs.tsv"
gold_table "BBC" "$DATA/bbc/bbc.jsonl" "$DATA/bbc/bbc.neardup_pairs.tsv"

# --- 2. Generated copies -----------------------------------------------------
KINDS="exact header_footer word_edits truncated dropped_sentences wire_style html_wrapped ocr_noise"
gen_table() {
  local name="$1" base="$2"
  local corpus="$TMP/gen_$name.jsonl"
  "$GEN" --input "$base" --out "$corpus" --docs "$DOCS" --copy-share 0.3 --seed 7 2>/dev/null
  local gold="${corpus%.jsonl}.gold.jsonl"
  echo "## Generated from $name: $DOCS docs, copy share 0.3 (recall per copy kind)"
  echo
  local header="| method | setting |" rule="|---|---|"
  for k in $KINDS; do header+=" $k |"; rule+="---|"; done
  echo "$header false pairs | pair precision | seconds |"
  echo "$rule---|---|---|"
  while read -r method setting flags; do
    local start end
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$SS" dedup "$corpus" -q $flags -o "$TMP/d.jsonl"
    end=$(date +%s.%N)
    "$SS" eval "$TMP/d.jsonl" "$gold" --gold-field copy_group --by copy_kind --json \
      > "$TMP/e.json"
    local row="| $method | $setting |"
    for k in $KINDS; do
      row+=" $(fmt "$(jget "$TMP/e.json" ".by_copy_kind.$k.recall")") |"
    done
    row+=" $(jget "$TMP/e.json" .pairs.false_positive) |"
    row+=" $(fmt "$(jget "$TMP/e.json" .pairs.precision)") |"
    row+=" $(printf '%.1f' "$(echo "$end - $start" | bc)") |"
    echo "$row"
  done <<ROWS
minhash default 
minhash pre-#16 --threshold 0.6 --short-shingles 0 --bands 32 --rows 4 --no-lookalike-fold
minhash no-fold --no-lookalike-fold
minhash containment-off --containment 0
minhash containment=0.8 --containment 0.8
minhash k=5,t=0.8,no-containment --shingle-size 5 --threshold 0.8 --containment 0
minhash t=0.5 --threshold 0.5 --containment 0
minhash t=0.6 --threshold 0.6 --containment 0
minhash t=0.7 --threshold 0.7 --containment 0
minhash t=0.8 --threshold 0.8 --containment 0
minhash t=0.9 --threshold 0.9 --containment 0
minhash k=5 --shingle-size 5
minhash k=4 --shingle-size 4
minhash num_perm=64 --num-perm 64
minhash num_perm=256 --num-perm 256
minhash exact-verify --exact-verify
simhash h=3 --method simhash --max-hamming 3
simhash h=6 --method simhash --max-hamming 6
simhash h=10 --method simhash --max-hamming 10
ROWS
  echo
}
gen_table reuters "$DATA/reuters21578/reuters.jsonl"
gen_table bbc "$DATA/bbc/bbc.jsonl"

# --- 3. Same event, different article: must not pair -------------------------
echo "## Different articles on the same event (must not pair)"
echo
echo "ECB+ topics hold articles from different sites on one event; some are the same"
echo "wire story republished (a near-duplicate, rightly paired). \"low-overlap\" counts"
echo "found pairs sharing under 20% of their word 5-shingles (exact): different articles."
echo
echo "| corpus | method | setting | docs | same-event article pairs | pairs found | of them same event | low-overlap pairs |"
echo "|---|---|---|---|---|---|---|---|"
ECB="$DATA/ecbplus/ecbplus_topics_1-25.jsonl"
if [[ -f "$ECB" ]]; then
  "$SS" dedup "$ECB" -q --pairs --shingle-size 5 --exact-verify --threshold 0.2 \
    --containment 0 --bands 64 --rows 2 -o "$TMP/ecb_ref.tsv"
  while read -r method setting flags; do
    # shellcheck disable=SC2086
    "$SS" dedup "$ECB" -q --pairs $flags -o "$TMP/p.tsv"
    "$SS" eval "$TMP/p.tsv" "$ECB" --gold-field cluster --json > "$TMP/e.json"
    "$SS" eval "$TMP/p.tsv" "$TMP/ecb_ref.tsv" --json > "$TMP/r.json"
    echo "| ECB+ 1-25 | $method | $setting | $(grep -c . "$ECB") |" \
         "$(jget "$TMP/e.json" .pairs.gold) | $(jget "$TMP/e.json" .pairs.predicted) |" \
         "$(jget "$TMP/e.json" .pairs.true_positive) |" \
         "$(jget "$TMP/r.json" .pairs.false_positive) |"
  done <<ROWS
minhash default 
minhash t=0.5 --threshold 0.5 --containment 0
minhash k=5,t=0.8 --shingle-size 5 --threshold 0.8 --containment 0
simhash h=3 --method simhash --max-hamming 3
simhash h=6 --method simhash --max-hamming 6
simhash h=10 --method simhash --max-hamming 10
ROWS
fi
SEEDS="$DATA/seeds"
if [[ -d "$SEEDS" ]]; then
  while read -r method setting flags; do
    # shellcheck disable=SC2086
    n=$("$SS" dedup "$SEEDS" -q --pairs $flags | tail -n +2 | grep -c . || true)
    echo "| seeds | $method | $setting | 3 | 3 | $n | $n | $n |"
  done <<ROWS
minhash default 
minhash t=0.5 --threshold 0.5 --containment 0
simhash h=6 --method simhash --max-hamming 6
ROWS
fi
echo
