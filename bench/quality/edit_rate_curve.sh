#!/usr/bin/env bash
# Recall of planted copies against their edit rate: word edits (0-30% of
# words substituted, inserted or deleted) and OCR look-alike confusions
# (0-10% of ASCII letters and digits), for storysift at its defaults and for
# exact word-3-shingle Jaccard (the measure MinHash estimates; datasketch's
# question "what recall does MinHash give at this edit rate?"). Prints
# markdown tables.
#
# Corpora: bench/corpus gen_corpus with --real-originals on Reuters-21578
# (articles of 150-900 words, none sharing much text with another:
# reuters.neardup_pairs.tsv and overlap_pairs.py dropped), 1,200 documents,
# a third of them copies of one kind at a fixed rate. Recall: a copy is found
# when it lands in its original's group (storysift eval --by copy_kind).
# "exact J >= t": --exact-verify with 64 x 2 LSH bands (candidates for 99.8%
# of pairs at Jaccard 0.3), no containment, no short-pair rule, no folding.
#
# Usage: bench/quality/edit_rate_curve.sh   (env: BUILD=build DATA=... DOCS=1200)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${BUILD:-$ROOT/build}"
DATA="${DATA:-$ROOT/../shared/data}"
DOCS="${DOCS:-1200}"
SS="$BUILD/storysift"
GEN="$BUILD/gen_corpus"
BASES="$DATA/reuters21578/reuters.jsonl"
if [[ ! -f "$BASES" ]]; then
  echo "edit_rate_curve: shared data not found under $DATA; nothing to measure"
  exit 0
fi
for tool in "$SS" "$GEN"; do
  [[ -x "$tool" ]] || { echo "edit_rate_curve: $tool not built" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "edit_rate_curve: jq is required" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
python3 "$ROOT/bench/quality/overlap_pairs.py" "$BASES" > "$TMP/overlap.tsv"

EXACT="--exact-verify --containment 0 --short-shingles 0 --no-lookalike-fold --bands 64 --rows 2"
recall() {  # recall CORPUS KIND FLAGS...
  local corpus="$1" kind="$2"
  shift 2
  "$SS" dedup "$corpus.jsonl" -q "$@" -o "$TMP/d.jsonl"
  "$SS" eval "$TMP/d.jsonl" "$corpus.gold.jsonl" --gold-field copy_group --by copy_kind \
    --json | jq -r ".by_copy_kind.$kind.recall" | xargs printf '%.3f'
}

curve() {  # curve KIND LABEL RATE_NAME RATES...  (RATE_NAME: edit or ocr)
  local kind="$1" label="$2" name="$3"
  shift 3
  echo "| $label | storysift defaults | exact J >= 0.5 | exact J >= 0.4 | storysift false pairs |"
  echo "|---|---|---|---|---|"
  for rate in "$@"; do
    local c="$TMP/c_${kind}_$rate"
    "$GEN" --input "$BASES" --out "$c.jsonl" --docs "$DOCS" --copy-share 0.3333334 --seed 16 \
      --real-originals --exclude-pairs "$DATA/reuters21578/reuters.neardup_pairs.tsv" \
      --exclude-pairs "$TMP/overlap.tsv" --kinds "$kind" \
      "--$name-rate-min" "$rate" "--$name-rate-max" "$rate" 2>/dev/null
    local fp
    "$SS" dedup "$c.jsonl" -q -o "$TMP/d.jsonl"
    fp=$("$SS" eval "$TMP/d.jsonl" "$c.gold.jsonl" --gold-field copy_group --json |
         jq -r .pairs.false_positive)
    # shellcheck disable=SC2086
    echo "| $(printf '%.0f' "$(echo "$rate * 100" | bc)") % | $(recall "$c" "$kind") |" \
         "$(recall "$c" "$kind" $EXACT --threshold 0.5) |" \
         "$(recall "$c" "$kind" $EXACT --threshold 0.4) | $fp |"
  done
  echo
}

echo "## Recall against edit rate ($DOCS docs a point, Reuters originals)"
echo
echo "storysift $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
curve word_edits "words edited" edit 0 0.05 0.10 0.15 0.20 0.25 0.30
curve ocr_noise "characters confused" ocr 0 0.01 0.02 0.03 0.05 0.07 0.10
