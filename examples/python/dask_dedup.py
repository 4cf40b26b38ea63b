"""Dedup files on a Dask cluster: each worker reads its own files.

    python3 examples/python/dask_dedup.py 'corpus/part*.jsonl' [SCHEDULER]

Without a scheduler address it starts a local cluster of 2 worker processes.
The verdicts equal `storysift dedup corpus/part*.jsonl` (same groups,
representatives and roles).
"""

import collections
import sys

import distributed

import storysift.dask


def main():
    pattern = sys.argv[1]
    if len(sys.argv) > 2:
        client = distributed.Client(sys.argv[2])
    else:
        client = distributed.Client(distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None))
    with client:
        verdicts = storysift.dask.dedup_files(pattern)
    roles = collections.Counter(v["role"] for v in verdicts)
    print(f"{len(verdicts)} records: {dict(roles)}")


if __name__ == "__main__":
    main()
