"""Python package against the CLI on the same corpus (wall time, seconds).

    python3 bench/python/bench_python.py CORPUS.jsonl [--parts 8] [--cli build/storysift]

Runs, alternating each `--rounds` times:
  cli      storysift dedup PART... -o /dev/null   (the corpus split into --parts files)
  records  storysift.dedup(records), records already parsed into Python dicts
  dask     storysift.dask.dedup_files(PARTS) on a LocalCluster of 2 worker
           processes, 1 thread each (cluster start not timed)
and prints each run, the medians and the ratios to the CLI (targets: dask
within 3x, records within 1.5x). It checks that all three give the same
verdicts. Make the 250k corpus with
  build/gen_corpus --input ../shared/data/reuters21578/reuters.jsonl \\
      --out /tmp/c250k.jsonl --docs 250000 --copy-share 0.3 --seed 1
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def split(corpus, parts, folder):
    with open(corpus, encoding="utf-8") as f:
        lines = f.readlines()
    size = (len(lines) + parts - 1) // parts
    paths = []
    for k in range(parts):
        path = os.path.join(folder, f"part{k:03d}.jsonl")
        with open(path, "w", encoding="utf-8") as out:
            out.writelines(lines[k * size:(k + 1) * size])
        paths.append(path)
    return paths, [json.loads(line) for line in lines]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cli", default="build/storysift")
    args = ap.parse_args()

    import distributed

    import storysift
    import storysift.dask

    with tempfile.TemporaryDirectory() as folder:
        paths, records = split(args.corpus, args.parts, folder)
        cli_out = os.path.join(folder, "cli.jsonl")
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        client = distributed.Client(cluster)
        storysift.dask.dedup_files(paths[:1])  # Warm-up: workers import the module.
        times = {"cli": [], "records": [], "dask": []}
        for _ in range(args.rounds):
            t = time.perf_counter()
            subprocess.run([args.cli, "dedup", *paths, "-q", "--threads", str(args.threads),
                            "-o", cli_out], check=True)
            times["cli"].append(time.perf_counter() - t)
            t = time.perf_counter()
            in_python = storysift.dedup(records, threads=args.threads)
            times["records"].append(time.perf_counter() - t)
            t = time.perf_counter()
            on_dask = storysift.dask.dedup_files(paths)
            times["dask"].append(time.perf_counter() - t)
        with open(cli_out, encoding="utf-8") as f:
            expected = [json.loads(line) for line in f]
        client.close()
        cluster.close()
    same = in_python == expected and on_dask == expected
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"documents {len(records)}, parts {args.parts}, threads {args.threads}")
    for name, values in times.items():
        print(f"{name:8s} " + " ".join(f"{v:.2f}" for v in values) + f"  median {medians[name]:.2f} s")
    print(f"records/cli {medians['records'] / medians['cli']:.2f}x (target 1.5x)")
    print(f"dask/cli    {medians['dask'] / medians['cli']:.2f}x (target 3x)")
    print(f"verdicts equal to the CLI: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
