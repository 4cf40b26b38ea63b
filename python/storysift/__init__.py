"""storysift: near-duplicate and story-cluster detection for news, from Python.

Every call runs storysift's C++ core (the same calls as the ``storysift`` CLI),
with the GIL released while it works. Options have the CLI flags' names with
underscores (``--num-perm`` is ``num_perm``) and the same defaults.

Records are dicts (or a pandas DataFrame's rows) read by the CLI's JSON rules:
the text in ``text`` (or ``content``, ``body``, ...), the id in ``id`` (or
``doc_id``, ...), ``title``, ``date`` (ISO 8601, news forms, epoch seconds,
``datetime``), ``source``, ``url``; ``*_field`` options name one field instead
(dotted paths reach into nested dicts). Values are read as the same record in
a JSON line: None, NaN, NaT and ``pandas.NA`` are JSON's null, numpy scalars
the Python scalars they hold (``np.int64(7)`` is the id ``"7"``),
``np.datetime64`` and ``pandas.Timestamp`` dates; a str's lone surrogates
(``open(..., errors="surrogateescape")``) are the bytes they stand for,
repaired as the CLI repairs them. A record that cannot be read is not
lost: it gets a ``"role": "skipped"`` verdict with its reason and a warning
is issued; so is one for records read with a warning (a duplicate id, a date
not understood, text repaired, truncated or holding a NUL). ``strict=True``
raises ``ValueError`` instead, as ``--strict`` fails the CLI.
"""

from __future__ import annotations

import collections
import errno
import json
import numbers
import os
import warnings
from typing import Any, Iterable, Mapping

from . import _storysift

__all__ = [
    "dedup",
    "cluster",
    "minhash",
    "normalize",
    "Deduplicator",
    "StoryAssigner",
    "FIELD_ALIASES",
]

FIELD_ALIASES: Mapping[str, list] = _storysift.FIELD_ALIASES
_FIELD_OPTIONS = ("id", "title", "text", "date", "source", "url")


def _is_dataframe(records: Any) -> bool:
    return type(records).__name__ == "DataFrame" and hasattr(records, "columns")


def _read_names(options: Mapping) -> set:
    """The record fields a call reads: each field's aliases, or the one a
    ``*_field`` option names (a dotted path reads its first part's column)."""
    names = set()
    for field, aliases in FIELD_ALIASES.items():
        named = options.get(f"{field}_field")
        for name in [named] if isinstance(named, str) and named else aliases:
            names.update((name, name.split(".", 1)[0]))
    return names


def _columns(frame: Any, options: Mapping) -> dict:
    """A DataFrame as {"__columns__": {name: list}}: the binding reads rows.
    ValueError for a column name it reads that heads two columns (also 1 and
    "1"): reading one would drop the other, as the CLI refuses a CSV header
    ``id,text,text``. Other repeated columns are never read: one is kept."""
    names = [str(c) for c in frame.columns]
    positions = collections.defaultdict(list)
    for i, name in enumerate(names):
        positions[name].append(i)
    read = _read_names(options)
    for name, where in positions.items():
        if len(where) > 1 and name in read:
            shown = ", ".join(f"{i + 1} ({frame.columns[i]!r})" for i in where)
            raise ValueError(f"the DataFrame names column {name!r} more than once: columns "
                             f"{shown}; which one to read cannot be told, and reading one "
                             "would drop the others. Rename all but one")
    return {"__columns__": {name: frame.iloc[:, i].tolist() for i, name in enumerate(names)}}


def _records_arg(records: Any, options: Mapping) -> Any:
    if _is_dataframe(records):
        return _columns(records, options)
    if isinstance(records, (str, bytes, Mapping)):
        raise TypeError("records must be an iterable of dicts or a pandas DataFrame")
    return records if isinstance(records, list) else list(records)


def _lines(result: dict) -> list:
    # What the CLI prints on stderr: skipped records, and records read with a
    # warning (duplicate id, date not understood, text repaired, truncated or
    # holding a NUL).
    if result["skipped"] or result["warnings"]:
        counts = [f"{result['skipped']} records skipped"] if result["skipped"] else []
        if result["warnings"]:
            n = result["warnings"]
            counts.append(f"{n} warning{'' if n == 1 else 's'}")
        warnings.warn(f"storysift: {', '.join(counts)}\n{result['summary']}", stacklevel=3)
    return [json.loads(line) for line in result["lines"].splitlines()]


def _frame(rows: list, like: Any) -> Any:
    import pandas  # Only when a DataFrame was given.

    return pandas.DataFrame(rows)


def dedup(records: Iterable[Mapping] | Any, **options: Any) -> Any:
    """Near-duplicate verdicts, one per record in input order, as ``storysift dedup``.

    Each verdict is ``{"id", "cluster_id", "representative_id", "similarity",
    "role"}`` with role ``original``, ``copy`` or ``unique``, or ``{"id": None,
    "role": "skipped", "reason", "origin"}`` for a record that could not be read
    (``origin`` is ``records:N``, 1-based). Returns a list of dicts, or a
    DataFrame with those columns when ``records`` is a DataFrame.

    Options (CLI defaults): method, threshold, num_perm, verify_bits, scheme,
    shingle_size, char_shingles, no_lookalike_fold, containment,
    short_threshold, short_shingles, bands, rows, exact_verify, grouping,
    keep, max_hamming; id_field ... url_field, max_doc_bytes, stem, markup,
    threads, strict. Raises ValueError for a bad option value, TypeError for
    an unknown option or a value of the wrong type (``num_perm=128.0``).
    """
    rows = _lines(_storysift._dedup(_records_arg(records, options), options))
    return _frame(rows, records) if _is_dataframe(records) else rows


def cluster(records: Iterable[Mapping] | Any, **options: Any) -> Any:
    """Stories, as ``storysift cluster``: one dict per story.

    Each story is ``{"story_id", "label", "headline", "size", "first_published",
    "last_published", "novelty_order", "articles": [{"id", "novelty",
    "new_terms", "copy_of"}]}``, stories in order of their first article.
    Returns a list of dicts, or a DataFrame of those columns for a DataFrame.

    Options: the dedup options, and story_threshold, window_days, linkage,
    mode, idf (a model file from ``storysift idf build``), label_terms,
    new_terms, title_weight, name_weight, table_word_weight, short_text_terms,
    cohesion_split, stray_join.
    """
    rows = _lines(_storysift._cluster(_records_arg(records, options), options))
    return _frame(rows, records) if _is_dataframe(records) else rows


def minhash(texts: str | Iterable[str], num_perm: int = 128, **options: Any) -> Any:
    """MinHash signatures of texts as a numpy uint64 array of shape (n, num_perm).

    The sketch ``dedup`` computes (normalized text, word 3-shingles with OCR
    look-alikes folded, one-permutation MinHash with optimal densification);
    a single str or bytes gives shape (num_perm,); a dict is refused
    (``TypeError``: its keys are no texts, pass ``.values()``). A str's lone
    surrogates are read as in records (``errors="surrogateescape"`` bytes as
    the CLI reads them, others U+FFFD with a ``UserWarning``); bytes as those
    bytes, as a file's. The estimated Jaccard of two texts is
    ``(a == b).mean()``, as with datasketch's ``MinHash.jaccard``. Options: the
    sketch options of ``dedup`` (scheme, shingle_size, char_shingles,
    no_lookalike_fold) and markup, stem; others raise ``TypeError``.
    """
    if isinstance(texts, Mapping):
        raise TypeError("minhash: texts is a str or an iterable of str, not a dict "
                        "(its keys would be sketched; pass .values())")
    if not isinstance(texts, (str, bytes, list)):
        texts = list(texts)
    return _storysift._minhash(texts, dict(options, num_perm=num_perm))


def normalize(text: str, **options: Any) -> dict:
    """What the detectors see of ``text``: ``{"clean", "folded", "tokens"}``.

    ``clean`` is the text without markup, entities and boilerplate; ``tokens``
    the folded tokens (NFKC, case folded, accents off). Lone surrogates in
    ``text`` are read as in records (``errors="surrogateescape"`` bytes as the
    CLI reads them: Windows-1252, else U+FFFD with a ``UserWarning``).
    Options: markup (auto, html, plain), stem.
    """
    return _storysift._normalize(text, options)


def _record(record: Mapping | str, id: str | None) -> dict:
    if isinstance(record, str):
        return {"text": record} if id is None else {"text": record, "id": id}
    if not isinstance(record, Mapping):
        raise TypeError("a record is a dict or a str (its text)")
    record = dict(record)
    if id is not None:
        record["id"] = id
    return record


def _stage_path(path: Any) -> bytes:
    """A stage's file as the binding takes it: TypeError for what is no path
    (an int would be read as a file descriptor), IsADirectoryError for a
    directory (it would fail later, as a RuntimeError after the work)."""
    try:
        path = os.fspath(path)
    except TypeError:
        raise TypeError(f"path: expected str, bytes or os.PathLike, got "
                        f"{type(path).__name__}") from None
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "a directory, not a file to load or save", path)
    return os.fsencode(path)


# Options that shape how records are read or how long documents are kept:
# given when a saved stage is opened, they apply. The others are saved with
# the stage and can only be checked against it.
_RUN_OPTIONS = frozenset({"id_field", "title_field", "text_field", "date_field", "source_field",
                          "url_field", "max_doc_bytes", "threads", "strict", "retention_days"})


def _check_saved(options: dict, check_options: bool) -> bool:
    """Whether opening a saved stage compares its options with ``options``:
    only when some of them are saved ones. Without check_options those are
    refused, not ignored."""
    saved = sorted(k for k in options if k not in _RUN_OPTIONS)
    if saved and not check_options:
        raise TypeError(f"{', '.join(saved)}: a saved index or state keeps the options it was "
                        "saved with; give them with check_options=True to check them, "
                        "or leave them out")
    return bool(saved)


def _check_wait(wait: Any) -> float:
    """``wait`` as the CLI's ``--wait``: seconds, 0..a week (the library's
    bound, so a mistyped value fails rather than hangs a nightly job)."""
    if isinstance(wait, bool) or not isinstance(wait, numbers.Real):
        raise TypeError(f"wait: expected a number of seconds, got {type(wait).__name__}")
    try:
        return float(wait)
    except OverflowError:
        raise ValueError(f"wait: {wait} is out of range") from None


class _Stage:
    """Shared lifecycle: create or load, save, context manager, pickling.
    Paths are str, bytes or os.PathLike, as open() takes them.

    A stage opened on a path is that file's writer: it holds the lock
    ``storysift index build|add`` takes (``PATH.lock`` beside the file) from
    before it reads the file until ``close()`` (the end of a ``with`` block),
    so two writers, Python or CLI, never lose each other's documents: a
    second one waits up to ``wait`` seconds (default 0: at once) and then
    raises ``TimeoutError``. The lock is held from the open, not taken at
    save time, so that a second writer fails before its work rather than
    after it. ``read_only=True`` takes no lock and never saves to the path
    (``save()`` to it raises ``ValueError``): for looking a file up while a
    writer runs."""

    _impl_type: Any = None

    def __init__(self, path: str | os.PathLike | None = None, *, check_options: bool = True,
                 wait: float = 0, read_only: bool = False, **options: Any):
        self._open(path, options, check_options, wait, read_only, must_exist=False)

    @classmethod
    def load(cls, path: str | os.PathLike, *, check_options: bool = False, wait: float = 0,
             read_only: bool = False, **options: Any):
        """Loads a saved index (FileNotFoundError if absent). The reading
        options (``*_field``, ``strict``, ...) and ``retention_days`` given
        apply; the saved ones (threshold, ...) need check_options=True, and
        then ValueError when it was built with others (TypeError without).
        Like the constructor, it holds the file's lock until ``close()``
        (``wait``), unless ``read_only``."""
        self = cls.__new__(cls)
        self._open(path, options, check_options, wait, read_only, must_exist=True)
        return self

    def _open(self, path: Any, options: dict, check_options: bool, wait: Any, read_only: bool,
              must_exist: bool) -> None:
        self.path = path
        self._options = options
        self._wait = _check_wait(wait)
        self._read_only = bool(read_only)
        self._lock = None
        self._closed = False
        if path is None:
            if read_only:
                raise ValueError("read_only: there is no path to read")
            self._impl = self._impl_type.create(options)
            return
        file = _stage_path(path)
        if must_exist and not os.path.exists(file):
            # Said before the lock, whose file would otherwise stay beside nothing.
            raise FileNotFoundError(errno.ENOENT, "cannot load: no such file", os.fsdecode(file))
        load = must_exist or read_only or os.path.exists(file)
        # Saved options given without check_options: TypeError before any lock.
        check = _check_saved(options, check_options) if load else False
        if not read_only:
            # Before the file is read: a writer saving it meanwhile would
            # otherwise be overwritten by this one's save.
            self._lock = _storysift._FileLock.acquire(file, self._wait)
        try:
            if not load and os.path.exists(file):  # Made by the writer waited for.
                load, check = True, _check_saved(options, check_options)
            # Saved options given must match the saved index's; none given:
            # as saved. Reading options and retention_days apply.
            self._impl = (self._impl_type.load(file, options, check) if load
                          else self._impl_type.create(options))
        except BaseException:
            self._release()
            raise

    def __reduce__(self):
        # Pickled as the bytes save() writes (options, documents, clock) and
        # the options it reads records with, so that a copy sent to a Dask
        # worker judges as the original does. The copy has no path (nor
        # lock): copies saving over the original's file on close() would
        # lose each other's documents (save(path) writes one where wanted).
        return (_restore_stage, (type(self), self._impl.to_bytes(), self._options))

    def add(self, record: Mapping | str, id: str | None = None) -> dict:
        """Verdict for the record, then keeps it. ValueError for a missing or
        duplicate id, or a record without text."""
        if isinstance(record, str) and id is None:
            raise ValueError("add(text) keeps the document under an id: add(text, id=...)")
        return self._impl.add(_record(record, id))

    def query(self, record: Mapping | str, id: str | None = None) -> dict:
        """The verdict ``add`` would give, without keeping anything."""
        return self._impl.query(_record(record, id))

    def save(self, path: str | os.PathLike | None = None) -> None:
        """Writes the index atomically to ``path`` (default: the one opened,
        under the lock held since the open). Another path is locked for the
        save (``wait`` as given when opening), as ``storysift index build``
        locks it, and replaced whole. ValueError for the path opened after
        ``close()`` or with ``read_only``."""
        if path is None or (self.path is not None and _same_file(path, self.path)):
            self._save_own()
            return
        lock = _storysift._FileLock.acquire(_stage_path(path), self._wait)
        try:
            self._impl.save(_stage_path(path))
        finally:
            lock.release()

    def _save_own(self) -> None:
        if self.path is None:
            raise ValueError("save: no path")
        if self._read_only:
            raise ValueError(f"save: {os.fsdecode(_stage_path(self.path))} was opened with "
                             "read_only=True: a writer may have saved it since; open it "
                             "without read_only to write it")
        if self._lock is None:
            raise ValueError(f"save: {os.fsdecode(_stage_path(self.path))} was closed, and its "
                             "lock released: a writer may have saved it since; open it again")
        self._lock.check_still_held()
        self._impl.save(_stage_path(self.path))

    def evict_older_than(self, utc_seconds: int) -> int:
        return self._impl.evict_older_than(utc_seconds)

    def __contains__(self, id: str) -> bool:
        # Ids, here and in remove/story_of, are read as a record's id is
        # (lone surrogates repaired the same way), so they name what add() kept.
        return self._impl.contains(id)

    @property
    def memory_usage(self) -> int:
        return self._impl.memory_usage()

    def close(self) -> None:
        """Saves to the path it was opened with, if any (not with
        ``read_only``), and releases its lock. A second close does nothing."""
        if self._closed:
            return
        try:
            if self.path is not None and not self._read_only:
                self._save_own()
        finally:
            self._closed = True
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            # Nothing saved after an error, but the lock goes: the exception
            # (and this stage with it) may live on in a traceback.
            self._closed = True
            self._release()


def _same_file(a: Any, b: Any) -> bool:
    return os.path.realpath(_stage_path(a)) == os.path.realpath(_stage_path(b))


def _restore_stage(cls: type, state: bytes, options: dict) -> _Stage:
    self = cls.__new__(cls)
    self.path = None
    self._options = options
    self._wait = 0.0
    self._read_only = False
    self._lock = None
    self._closed = False
    self._impl = cls._impl_type.from_bytes(state, options)
    return self


class Deduplicator(_Stage):
    """Streaming near-duplicate detection: ``storysift::Deduplicator``.

    ``Deduplicator(path=None, **options)`` opens the index saved at ``path``
    (or a new one); ``with Deduplicator("feed.idx") as d:`` saves it on a
    clean exit. Opened on a path it holds the file's lock (the one ``storysift
    index add`` takes) until then: another writer raises ``TimeoutError``, at
    once or after ``wait=SECONDS``; ``read_only=True`` reads without the lock
    and never saves there. ``add(record)`` returns ``{"is_new", "duplicate_of",
    "similarity", "stored", "future_dated", "evicted"}``: exactly
    ``dedup(..., keep="first")`` in arrival order; with ``retention_days``,
    ``stored`` is False for a record older than the window (judged, not
    kept), ``future_dated`` True for one whose date did not move the clock
    (more than a day ahead, or alone a month past every other date), and
    ``evicted`` counts the documents the add evicted first.
    Options: the dedup options and ``retention_days``. A record that cannot
    be read raises ``ValueError``; one read with a warning (a date not
    understood, text repaired, truncated or holding a NUL) gives a
    ``UserWarning``, or with ``strict=True`` a ``ValueError``, as in ``dedup``.
    """

    _impl_type = _storysift._Deduplicator

    def remove(self, id: str) -> int:
        """Removes a document (a representative with its copies); returns how
        many were removed. KeyError for an unknown id."""
        return self._impl.remove(id)

    def __len__(self) -> int:
        return self._impl.size()

    @property
    def num_representatives(self) -> int:
        return self._impl.num_representatives()


class StoryAssigner(_Stage):
    """Streaming story assignment: ``storysift::StoryAssigner``.

    ``add(record)`` returns ``{"story_id", "is_new_story", "similarity",
    "label", "stored", "future_dated", "evicted"}`` against the open stories'
    centroids; with ``retention_days``, ``evicted`` counts the documents the
    add retired first (stories whose newest article is older than the window
    before the clock), ``stored`` is False for a record older than the
    window itself: it is matched against the stories held (``story_id`` the
    one it belongs to, with that story's label, or None) but joins none,
    starts none and is not kept, as ``Deduplicator`` does (``query`` says so
    too), and ``future_dated`` is True for a record whose date
    did not move that clock (more than a day ahead, or alone a month past
    every other date: a mistyped year): it is kept, but retires nothing.
    Opened on a path, it holds the file's lock until ``close()`` as
    ``Deduplicator`` does (``wait``, ``read_only``). Options: story_threshold,
    window_days, idf, title_weight, name_weight, table_word_weight,
    label_terms, retention_days, stem, markup, strict (records are read and
    warned of as by ``Deduplicator``). A saved state keeps the IDF model it
    was created with: opening it with an ``idf`` that is not that model is a
    ``ValueError``.
    """

    _impl_type = _storysift._StoryAssigner

    def remove(self, id: str) -> None:
        """Removes a document from its story. KeyError for an unknown id."""
        self._impl.remove(id)

    def story_of(self, id: str) -> str | None:
        return self._impl.story_of(id)
