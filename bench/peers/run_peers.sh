#!/usr/bin/env bash
# Usage: bench/peers/run_peers.sh CORPUS.jsonl [BUILD_DIR]
# Runs storysift dedup/cluster and the peers on the same corpus in one go
# and prints wall and CPU seconds, peak RSS and the ratios. Peers:
#   datasketch_lsh.py      datasketch MinHash-128 + MinHashLSH at 0.5 (#19's dedup peer)
#   minhash_lsh_numpy.py   the same method as datasketch does it, in numpy: run where
#                          datasketch is missing (a lower bound on datasketch's time)
#   sklearn_components.py  scikit-learn TF-IDF + exact all-pairs cosine >= 0.2 +
#                          connected components (#19's cluster peer)
#   exact_jaccard.py       straightforward exact word-5-shingle Jaccard (inverted index)
#   sklearn_tfidf.py       scikit-learn TfidfVectorizer + brute-force cosine 10-NN
# Needs Debian's python3-sklearn (/usr/bin/python3); datasketch (PyPI only) runs
# under $DATASKETCH_PYTHON (default /usr/bin/python3); where that python lacks
# it, minhash_lsh_numpy.py stands in, twice: permutations drawn once (a lower bound on
# datasketch's time) and drawn per document as datasketch does (its estimate).
# Each storysift run is repeated $REPEAT times (default 3) before the peers and
# once more after each peer, so that its median (printed) comes from the same
# minutes as the peers' runs: this VM's speed drifts within minutes. See
# docs/performance.md.
set -euo pipefail
corpus=${1:?usage: run_peers.sh CORPUS.jsonl [BUILD_DIR]}
build=${2:-build}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(cd "$(dirname "$0")" && pwd)

# run NAME CMD...: appends "NAME wall user sys maxrss_kb" to $tmp/times. The corpus
# is read into the page cache first, for every run alike: a VM that reclaims cold
# page cache (session 16's ran DAMON and kept ~2 GB) had evicted a third of the
# corpus after the peers, and a storysift run after a memory-hungry peer could
# read part of it from disk (c20k cluster after drop_caches: +0.1-0.2 s in two
# of three tries).
run() {
  local name=$1; shift
  cat "$corpus" > /dev/null
  /usr/bin/time -o "$tmp/t" -f "%e %U %S %M" "$@" > /dev/null 2> "$tmp/$name.err" || {
    cat "$tmp/$name.err" >&2; exit 1; }
  echo "$name $(cat "$tmp/t")" >> "$tmp/times"
  grep -v '^storysift: ' "$tmp/$name.err" | grep -v '^\s*$' | sed "s/^/  [$name] /" || true
}

echo "corpus: $corpus ($(wc -l < "$corpus") docs, $(du -m "$corpus" | cut -f1) MB)"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; scripts at commit $(git -C "$here" rev-parse --short HEAD)"
# The binary may come from another checkout than these scripts: name it.
echo "binary: $build/storysift, sha256 $(sha256sum "$build/storysift" | cut -c1-16), built $(date -u -r "$build/storysift" '+%F %H:%M') UTC"
repeat=${REPEAT:-3}
ds_py=${DATASKETCH_PYTHON:-$py}
echo '{"id":"tiny","text":"One tiny document."}' > "$tmp/tiny.jsonl"
storysift_round() {
  run startup "$build/storysift" dedup --quiet "$tmp/tiny.jsonl"
  run dedup_t1 "$build/storysift" dedup --quiet --threads 1 "$corpus"
  run dedup_t2 "$build/storysift" dedup --quiet --threads 2 "$corpus"
  run cluster_t1 "$build/storysift" cluster --quiet --threads 1 "$corpus"
  run cluster_t2 "$build/storysift" cluster --quiet --threads 2 "$corpus"
}
for i in $(seq "$repeat"); do storysift_round; done
"$build/storysift" dedup --quiet --threads 2 --pairs -o "$tmp/ss_pairs.tsv" "$corpus"
if "$ds_py" -c "import datasketch" 2> /dev/null; then
  run datasketch_lsh "$ds_py" "$here/datasketch_lsh.py" "$corpus" --out "$tmp/ds_pairs.tsv"
else
  echo "datasketch_lsh: not run ($ds_py has no datasketch; set DATASKETCH_PYTHON); minhash_lsh_numpy stands in"
  run minhash_lsh_numpy $py "$here/minhash_lsh_numpy.py" "$corpus" --out "$tmp/ds_pairs.tsv"
  storysift_round
  # The same, with datasketch's per-MinHash permutation draw: its own time.
  run minhash_lsh_numpy_draw $py "$here/minhash_lsh_numpy.py" "$corpus" --draw-per-document \
    --out "$tmp/ds_draw_pairs.tsv"
  cmp -s "$tmp/ds_pairs.tsv" "$tmp/ds_draw_pairs.tsv" || {
    echo "minhash_lsh_numpy: --draw-per-document changed the pairs" >&2; exit 1; }
fi
storysift_round
run sklearn_components $py "$here/sklearn_components.py" "$corpus"
storysift_round
run exact_jaccard $py "$here/exact_jaccard.py" "$corpus" --out "$tmp/exact_pairs.tsv"
storysift_round
run sklearn_tfidf $py "$here/sklearn_tfidf.py" "$corpus"
storysift_round

$py - "$tmp/times" "$tmp/ss_pairs.tsv" "$tmp/exact_pairs.tsv" "$tmp/ds_pairs.tsv" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, wall, user, sysc, rss = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(sysc), int(rss) / 1024))
# The median run by wall time of each repeated one.
t = {name: sorted(r)[len(r) // 2] for name, r in runs.items()}
print(f"\n{'run':<24}{'wall_s':>9}{'cpu_s':>9}{'rss_MiB':>9}  (median of n; all walls)")
for name, (w, c, r) in t.items():
    walls = " ".join(f"{x[0]:.3f}" for x in runs[name])
    print(f"{name:<24}{w:9.3f}{c:9.3f}{r:9.0f}  n={len(runs[name])}: {walls}")
def ratio(a, b):
    if a in t:
        print(f"{a} / {b}: wall x{t[a][0] / t[b][0]:.1f}, cpu x{t[a][1] / t[b][1]:.1f}")
print()
ratio("datasketch_lsh", "dedup_t2")
ratio("minhash_lsh_numpy", "dedup_t2")
ratio("minhash_lsh_numpy_draw", "dedup_t2")
ratio("sklearn_components", "cluster_t2")
ratio("exact_jaccard", "dedup_t1")
ratio("exact_jaccard", "dedup_t2")
ratio("sklearn_tfidf", "cluster_t1")
ratio("sklearn_tfidf", "cluster_t2")
def pairs(path):
    return {tuple(sorted(l.rstrip("\n").split("\t")[:2])) for l in open(path)
            if l.strip() and not l.startswith("id_a\t")}
ss, ex, ds = pairs(sys.argv[2]), pairs(sys.argv[3]), pairs(sys.argv[4])
if ds:
    print(f"\nstorysift dedup pairs vs the MinHash-LSH peer's candidate pairs: {len(ss)} vs {len(ds)}; "
          f"storysift covers {len(ss & ds) / len(ds):.3f} of them")
hit = len(ss & ex)
print(f"\nstorysift dedup pairs vs exact Jaccard >= 0.8: {len(ss)} vs {len(ex)}; "
      f"recall {hit / max(1, len(ex)):.3f}, precision {hit / max(1, len(ss)):.3f}")
PY
