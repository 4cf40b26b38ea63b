"""Distributed near-duplicate detection on Dask, equal to ``storysift dedup``.

The steps (docs/python.md has the data volumes):

1. each partition is read (``dedup_files``: by the C++ readers, on the worker)
   and sketched by the C++ core into compact rows: 128-byte b-bit MinHash
   rows, shingle-set sizes, 32 LSH band keys, dates and token counts;
   global ordinals are input order (partition index, then position);
2. consecutive partitions are combined into ``width`` groups of about equal
   documents (``width``: the ``num_buckets`` given, else the cluster's worker
   threads, or one per 2 million documents when that is more), so that the
   shuffles below have ``width``, not the partitions' count, on each side:
   the graph grows linearly with the partitions (1,541 tiny files made
   ~7 million tasks when every partition was a shuffle's side);
3. every document posts (band << 32 | key, ordinal) — 16 bytes per band —
   and the postings are shuffled into ``width`` buckets by key;
4. each bucket's documents sharing a key are the candidate pairs (the batch
   candidates), sent to the group of their first document;
5. that group attaches the first document's compact row (128-byte b-bit
   row + 4-byte set size) and sends the pair to the group of the second
   document, which verifies it by the batch rule: no text travels, and a
   row travels once per candidate pair, not once per document;
6. one small task groups the verified pairs with the library's non-chaining
   grouping and representative choice over the global ordinals, and writes
   the CLI's JSON lines.
"""

from __future__ import annotations

import collections
import glob as _glob
import json
import numbers
import os
import warnings
from typing import Any, Iterable, Sequence

import numpy as np

from . import _columns, _frame, _is_dataframe, _storysift

__all__ = ["dedup", "dedup_files"]


def _defaults(options: dict) -> dict:
    # Dask runs one task per worker thread: the C++ stages use one thread too.
    return dict(options, threads=options.get("threads", 1))


def _sketch_bag_partition(records: Any, options: dict, index: int) -> dict:
    return _storysift._sketch_records(list(records), options, f"partition{index}")


def _sketch_frame_partition(frame: Any, options: dict, index: int) -> dict:
    return _storysift._sketch_records(_columns(frame, options), options, f"partition{index}")


def _sketch_files(paths: Sequence[str], options: dict) -> dict:
    return _storysift._sketch_files(list(paths), options)


def _size(shard: dict) -> tuple:
    # A partition of records: which fields named by *_field options it has.
    return int(shard["n"]), shard.get("fields")


def _check_num_buckets(num_buckets: Any) -> None:
    if num_buckets is None:
        return
    if isinstance(num_buckets, bool) or not isinstance(num_buckets, numbers.Integral):
        raise TypeError(f"num_buckets: expected an int or None, got {type(num_buckets).__name__}")
    if not 1 <= num_buckets < 2**32:
        raise ValueError(f"num_buckets: must be in 1..2**32-1 (None: the cluster's worker "
                         f"threads), got {num_buckets}")


# Documents per shuffle group at most, unless the cluster has more worker
# threads: a group task holds its documents' rows, band keys and postings
# (about 0.8 KB a document).
_DOCS_PER_GROUP = 2_000_000


def _worker_threads() -> int:
    """Threads of the scheduler a compute() call would use now."""
    import dask
    import dask.base
    import dask.local

    scheduler = dask.base.get_scheduler()
    nthreads = getattr(getattr(scheduler, "__self__", None), "nthreads", None)
    if callable(nthreads):  # A distributed.Client's get.
        return max(1, sum(nthreads().values()))
    if scheduler is dask.local.get_sync:
        return 1
    return max(1, dask.config.get("num_workers", None) or os.cpu_count() or 1)


def _width(num_buckets: int | None, documents: int) -> int:
    if num_buckets is not None:
        return int(num_buckets)
    return max(_worker_threads(), -(-documents // _DOCS_PER_GROUP))


def _group_cuts(sizes: Sequence[int], groups: int) -> list:
    """Bounds of `groups` runs of consecutive partitions (none without a
    partition) holding about equal documents: [0, ..., len(sizes)]."""
    parts = len(sizes)
    groups = max(1, min(groups, parts))
    ends = np.cumsum(sizes)
    total = int(ends[-1]) if parts else 0
    cuts = [0]
    for g in range(1, groups):
        if total:
            cut = int(np.searchsorted(ends, total * g / groups, side="left")) + 1
        else:
            cut = parts * g // groups
        cuts.append(min(max(cut, cuts[-1] + 1), parts - (groups - g)))
    return cuts + [parts]


def _combine(shards: list) -> dict:
    """Consecutive shards as one: their rows, set sizes and band keys end to
    end (ordinals stay in input order), and each shard's metadata, which the
    last step reads shard by shard."""
    if len(shards) == 1:
        arrays = {k: shards[0][k] for k in ("verify", "set_sizes", "band_keys")}
    else:
        arrays = {k: np.concatenate([s[k] for s in shards])
                  for k in ("verify", "set_sizes", "band_keys")}
    return dict(arrays, metas=[_meta(s) for s in shards])


def _metas(group: dict) -> list:
    return group["metas"]


def _meta(shard: dict) -> dict:
    keep = ("ids", "published", "dated", "num_tokens", "entries", "skips", "skip_examples",
            "inputs", "warning_count", "first_warning")
    return {k: shard[k] for k in keep}


def _map_postings(group: dict, first: int, options: dict, num_buckets: int) -> tuple:
    keys, ordinals = _storysift._band_postings(group["verify"], group["set_sizes"],
                                               group["band_keys"], first, options)
    bucket = _storysift._band_key_buckets(keys, num_buckets)
    return _split(bucket, num_buckets, keys, ordinals)


def _split(part: np.ndarray, parts: int, *arrays: np.ndarray) -> tuple:
    """`arrays` cut into `parts` pieces by each row's part (stable)."""
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(parts + 1))
    return tuple(tuple(x[order[bounds[k]:bounds[k + 1]]] for x in arrays) for k in range(parts))


def _group_of(ordinals: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    return np.searchsorted(firsts, ordinals, side="right") - 1


def _reduce_pairs(pieces: list, firsts: np.ndarray) -> tuple:
    """Candidate pairs of one bucket, cut by the group of their first document."""
    keys = np.concatenate([p[0] for p in pieces])
    ordinals = np.concatenate([p[1] for p in pieces])
    a, b = _storysift._pairs_sharing_key(keys, ordinals)
    groups = len(firsts) - 1
    return _split(_group_of(a, firsts), groups, a, b)


def _attach_rows(cells: list, group: dict, first: int, firsts: np.ndarray) -> tuple:
    """Candidates whose first document lies in this group, each with that
    document's compact row (b-bit row and set size), cut by the group of
    the second document: the only sketch bytes that travel."""
    a = np.concatenate([c[0] for c in cells])
    b = np.concatenate([c[1] for c in cells])
    if len(a):
        # The same pair comes from every bucket of a band key it shares.
        pairs = np.unique(np.stack([a, b], axis=1), axis=0)
        a, b = pairs[:, 0].copy(), pairs[:, 1].copy()
    local = (a - np.uint64(first)).astype(np.intp)
    groups = len(firsts) - 1
    return _split(_group_of(b, firsts), groups, a, b, group["verify"][local],
                  group["set_sizes"][local])


def _verify(cells: list, group: dict, first: int, options: dict) -> tuple:
    """Verifies the candidates whose second document lies in this group."""
    a = np.concatenate([c[0] for c in cells])
    b = np.concatenate([c[1] for c in cells])
    if not len(a):
        return a, b, np.empty(0, np.float64)
    verify_a = np.concatenate([c[2] for c in cells])
    sizes_a = np.concatenate([c[3] for c in cells])
    passes, similarity = _storysift._verify_pairs(
        verify_a, sizes_a, group["verify"], group["set_sizes"],
        np.arange(len(a), dtype=np.uint32), (b - np.uint64(first)).astype(np.uint32), options)
    keep = passes.astype(bool)
    return a[keep], b[keep], similarity[keep]


def _finish(metas: list, verified: list, options: dict, files: bool, allow_empty: bool) -> tuple:
    """The verdict lines; the warnings of the whole input (each partition's
    count and first one, and the ids one partition repeats from an earlier
    one); and, for files, the inputs that gave no document (after the CLI's
    checks: no document at all, a CSV without a text column, raise)."""
    metas = [m for group in metas for m in group]
    a = np.concatenate([v[0] for v in verified]) if verified else np.empty(0, np.uint64)
    b = np.concatenate([v[1] for v in verified]) if verified else np.empty(0, np.uint64)
    s = np.concatenate([v[2] for v in verified]) if verified else np.empty(0, np.float64)
    lines, duplicates, first_duplicate, empty = _storysift._finish_dedup(
        metas, a, b, s, options, files, allow_empty)
    count = sum(m["warning_count"] for m in metas) + duplicates
    firsts = [m["first_warning"] for m in metas if m["first_warning"]]
    first = firsts[0] if firsts else (first_duplicate or None)
    return lines, count, first, empty


def _run(shards: list, options: dict, num_buckets: int | None, files: bool = False,
         allow_empty: bool = True) -> list:
    import dask
    from dask import delayed

    if not shards:
        return []
    shards = list(dask.persist(*shards))
    sizes, fields = zip(*dask.compute(*[delayed(_size)(s) for s in shards]))
    if not files:
        # Each *_field option must name a field of some record of the whole
        # collection, as storysift.dedup checks its list; partitions are read
        # without that check.
        _storysift._check_fields(list(fields), options)
    buckets = _width(num_buckets, sum(sizes))
    cuts = _group_cuts(sizes, buckets)
    groups = [delayed(_combine)(shards[lo:hi]) for lo, hi in zip(cuts, cuts[1:])]
    group_sizes = [sum(sizes[lo:hi]) for lo, hi in zip(cuts, cuts[1:])]
    firsts = np.concatenate([[0], np.cumsum(group_sizes)]).astype(np.uint64)
    # Each step below has one task per group or bucket, and each shuffle
    # groups x buckets (or groups x groups) pieces: no step grows with the
    # partitions' count.
    ngroups = len(groups)
    metas = [delayed(_metas)(g) for g in groups]
    mapped = [delayed(_map_postings, nout=buckets)(g, int(firsts[k]), options, buckets)
              for k, g in enumerate(groups)]
    reduced = [delayed(_reduce_pairs, nout=ngroups)([m[j] for m in mapped], firsts)
               for j in range(buckets)]
    attached = [delayed(_attach_rows, nout=ngroups)([r[k] for r in reduced], g,
                                                     int(firsts[k]), firsts)
                for k, g in enumerate(groups)]
    verified = [delayed(_verify)([t[k] for t in attached], g, int(firsts[k]), options)
                for k, g in enumerate(groups)]
    lines, warning_count, first_warning, empty = delayed(_finish)(
        metas, verified, options, files, allow_empty).compute()
    for e in empty:
        warnings.warn(f"storysift: {e}", stacklevel=3)
    verdicts = [json.loads(line) for line in lines.splitlines()]
    skipped = [v for v in verdicts if v["role"] == "skipped"]
    # As the CLI: skipped records, then records read with a warning, warn,
    # and fail the call under strict.
    problems = []
    if skipped:
        reasons = collections.Counter(v["reason"] for v in skipped)
        problems.append(f"{len(skipped)} records skipped: {dict(reasons)}")
    if warning_count:
        plural = "" if warning_count == 1 else "s"
        problems.append(f"{warning_count} warning{plural}; first at {first_warning}")
    if problems:
        message = "storysift: " + "; ".join(problems)
        if options.get("strict"):
            raise ValueError(f"strict: {message}")
        warnings.warn(message, stacklevel=3)
    return verdicts


def dedup(collection: Any, *, num_buckets: int | None = None, **options: Any) -> Any:
    """Near-duplicate verdicts of a dask.bag of record dicts or a dask DataFrame.

    Returns what ``storysift.dedup`` returns on the same records in the same
    order (a list of dicts; a pandas DataFrame for a dask DataFrame): the same
    groups, representatives and roles as ``storysift dedup``. Skipped records'
    origins are ``partitionK:N``. ``num_buckets`` is the shuffle's width, an
    int >= 1: band keys go to this many buckets, and consecutive partitions
    are combined into at most this many groups for the steps after sketching,
    so the graph has about 3 x num_buckets² tasks besides a few per
    partition. None: the worker threads of the scheduler in use (one more
    group per 2 million documents beyond them). Any width gives the same
    verdicts. Options: those of storysift.dedup
    with method=minhash and grouping=nonchaining (exact_verify is not
    distributable); ``threads`` per task defaults to 1.
    """
    import dask.bag
    import dask.dataframe
    from dask import delayed

    _check_num_buckets(num_buckets)
    options = _defaults(options)
    if isinstance(collection, dask.dataframe.DataFrame):
        parts = collection.to_delayed()
        shards = [delayed(_sketch_frame_partition)(p, options, k) for k, p in enumerate(parts)]
        return _frame(_run(shards, options, num_buckets), collection)
    if isinstance(collection, dask.bag.Bag):
        parts = collection.to_delayed()
        shards = [delayed(_sketch_bag_partition)(p, options, k) for k, p in enumerate(parts)]
        return _run(shards, options, num_buckets)
    raise TypeError("collection must be a dask.bag.Bag or a dask.dataframe.DataFrame")


def dedup_files(paths_or_glob: str | Iterable[str], *, files_per_partition: int = 1,
                num_buckets: int | None = None, allow_empty: bool = False,
                **options: Any) -> list:
    """Near-duplicate verdicts of files that each worker reads itself.

    ``paths_or_glob``: a glob pattern (matches sorted) or a list of paths, in
    the order ``storysift dedup PATH...`` would take them; any input the CLI
    reads (JSON lines, CSV, WARC, compressed, ...). The client holds no
    document, only the final verdicts. Returns the CLI's verdicts as dicts,
    equal to ``storysift dedup`` on the same paths. Options: those of
    ``dedup``, and the CLI's reading flags input_format, encoding,
    max_line_bytes. As the CLI, an input that gives no document is named in a
    warning, and ``ValueError`` is raised when no input gives any (unless
    ``allow_empty``, as ``--allow-empty``) or a CSV/TSV input has no text
    column. ``num_buckets`` as for ``dedup``.
    """
    from dask import delayed

    if isinstance(paths_or_glob, (str, os.PathLike)):
        paths = sorted(_glob.glob(os.fspath(paths_or_glob)))
        if not paths:
            raise FileNotFoundError(f"no file matches {os.fspath(paths_or_glob)!r}")
    else:
        paths = [os.fspath(p) for p in paths_or_glob]
        if not paths and not allow_empty:
            raise ValueError("no input files")
    if files_per_partition < 1:
        raise ValueError("files_per_partition must be >= 1")
    _check_num_buckets(num_buckets)
    options = _defaults(options)
    groups = [paths[i:i + files_per_partition] for i in range(0, len(paths), files_per_partition)]
    shards = [delayed(_sketch_files)(g, options) for g in groups]
    return _run(shards, options, num_buckets, files=True, allow_empty=allow_empty)
