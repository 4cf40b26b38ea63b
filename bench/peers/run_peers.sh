#!/usr/bin/env bash
# Usage: bench/peers/run_peers.sh CORPUS.jsonl [BUILD_DIR]
# Runs storysift dedup/cluster and the two peers on the same corpus in one go
# and prints wall and CPU seconds, peak RSS and the ratios. Peers:
#   exact_jaccard.py  straightforward exact word-5-shingle Jaccard (inverted index)
#   sklearn_tfidf.py  scikit-learn TfidfVectorizer + brute-force cosine 10-NN
# Needs Debian's python3-sklearn (/usr/bin/python3). See docs/performance.md.
set -euo pipefail
corpus=${1:?usage: run_peers.sh CORPUS.jsonl [BUILD_DIR]}
build=${2:-build}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(cd "$(dirname "$0")" && pwd)

# run NAME CMD...: appends "NAME wall user sys maxrss_kb" to $tmp/times.
run() {
  local name=$1; shift
  /usr/bin/time -o "$tmp/t" -f "%e %U %S %M" "$@" > /dev/null 2> "$tmp/$name.err" || {
    cat "$tmp/$name.err" >&2; exit 1; }
  echo "$name $(cat "$tmp/t")" >> "$tmp/times"
  grep -v '^storysift: ' "$tmp/$name.err" | grep -v '^\s*$' | sed "s/^/  [$name] /" || true
}

echo "corpus: $corpus ($(wc -l < "$corpus") docs, $(du -m "$corpus" | cut -f1) MB)"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; commit $(git -C "$here" rev-parse --short HEAD)"
run dedup_t1 "$build/storysift" dedup --quiet --threads 1 "$corpus"
run dedup_t2 "$build/storysift" dedup --quiet --threads 2 "$corpus"
"$build/storysift" dedup --quiet --threads 2 --pairs -o "$tmp/ss_pairs.tsv" "$corpus"
run cluster_t1 "$build/storysift" cluster --quiet --threads 1 "$corpus"
run cluster_t2 "$build/storysift" cluster --quiet --threads 2 "$corpus"
run exact_jaccard $py "$here/exact_jaccard.py" "$corpus" --out "$tmp/exact_pairs.tsv"
run sklearn_tfidf $py "$here/sklearn_tfidf.py" "$corpus"

$py - "$tmp/times" "$tmp/ss_pairs.tsv" "$tmp/exact_pairs.tsv" <<'PY'
import sys
t = {}
for line in open(sys.argv[1]):
    name, wall, user, sysc, rss = line.split()
    t[name] = (float(wall), float(user) + float(sysc), int(rss) / 1024)
print(f"\n{'run':<15}{'wall_s':>9}{'cpu_s':>9}{'rss_MiB':>9}")
for name, (w, c, r) in t.items():
    print(f"{name:<15}{w:9.2f}{c:9.2f}{r:9.0f}")
def ratio(a, b):
    print(f"{a} / {b}: wall x{t[a][0] / t[b][0]:.1f}, cpu x{t[a][1] / t[b][1]:.1f}")
print()
ratio("exact_jaccard", "dedup_t1")
ratio("exact_jaccard", "dedup_t2")
ratio("sklearn_tfidf", "cluster_t1")
ratio("sklearn_tfidf", "cluster_t2")
def pairs(path):
    return {tuple(sorted(l.split("\t")[:2])) for l in open(path)
            if l.strip() and not l.startswith("id_a\t")}
ss, ex = pairs(sys.argv[2]), pairs(sys.argv[3])
hit = len(ss & ex)
print(f"\nstorysift dedup pairs vs exact Jaccard >= 0.8: {len(ss)} vs {len(ex)}; "
      f"recall {hit / max(1, len(ex)):.3f}, precision {hit / max(1, len(ss)):.3f}")
PY
