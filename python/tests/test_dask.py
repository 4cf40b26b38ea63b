"""storysift.dask on a 2-worker LocalCluster equals `storysift dedup`."""

import json
import subprocess
import warnings

import numpy as np
import pytest

from conftest import CLI, CORPUS_PARTS, run_cli, synthetic_text, without_origin

# Imported, not skipped when absent: scripts/setup.sh installs Debian's
# python3-dask, -distributed and -pandas, so a missing one fails the suite
# instead of silently dropping the Dask tests.
import dask.bag as dask_bag  # noqa: E402
import dask.dataframe as dask_dataframe  # noqa: E402
import distributed  # noqa: E402
import pandas  # noqa: E402

import storysift.dask  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def expected(corpus):
    return run_cli("dedup", *corpus["parts"])


def test_dedup_files_equals_the_cli(client, corpus, expected):
    assert storysift.dask.dedup_files(corpus["parts"]) == expected


def test_dedup_files_with_fewer_buckets_and_grouped_files(client, corpus, expected):
    out = storysift.dask.dedup_files(corpus["parts"], files_per_partition=3, num_buckets=3)
    assert out == expected


def test_dedup_of_a_bag_equals_the_cli(client, corpus, expected):
    bag = dask_bag.from_sequence(corpus["records"], npartitions=CORPUS_PARTS)
    out = storysift.dask.dedup(bag)
    # Skipped records name their partition instead of the file.
    assert without_origin(out) == without_origin(expected)


def test_dedup_of_a_dask_dataframe_equals_the_cli(client, corpus, expected):
    records = [r for r in corpus["records"] if isinstance(r, dict)]
    frame = dask_dataframe.from_pandas(pandas.DataFrame(records), npartitions=CORPUS_PARTS)
    out = storysift.dask.dedup(frame, keep="longest")
    want = [r for r in run_cli("dedup", "--keep", "longest", *corpus["parts"])
            if r["role"] != "skipped" or r["reason"] != "not_object"]
    assert without_origin(out.to_dict("records")) == without_origin(want)


def test_exact_verify_is_refused(client, corpus):
    with pytest.raises(ValueError, match="exact_verify"):
        storysift.dask.dedup_files(corpus["parts"][:1], exact_verify=True)


def test_skipped_records_warn_and_strict_raises(client, corpus):
    with pytest.warns(UserWarning, match="3 records skipped"):
        storysift.dask.dedup_files(corpus["parts"][:1])
    with pytest.raises(ValueError, match="strict"):
        storysift.dask.dedup_files(corpus["parts"][:1], strict=True)


def test_record_warnings_across_partitions_warn_and_strict_raises(client, tmp_path):
    # Duplicate ids within a partition and across two, and a date not
    # understood: the warnings `storysift dedup` gives on the same records.
    records = [{"id": "a", "text": "alpha beta gamma delta epsilon"},
               {"id": "b", "text": "zeta eta theta iota kappa"},
               {"id": "a", "text": "lambda mu nu xi omicron"},
               {"id": "c", "text": "pi rho sigma tau upsilon", "date": "2020-13-45"},
               {"id": "c", "text": "phi chi psi omega aleph"}]
    path = tmp_path / "w.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    report = tmp_path / "report.json"
    run_cli("dedup", str(path), "--report", str(report))
    assert len(json.loads(report.read_text())["warnings"]) == 3
    bag = dask_bag.from_sequence(records, partition_size=2)
    assert bag.npartitions == 3
    with pytest.warns(UserWarning, match="3 warnings; first at ") as got:
        out = storysift.dask.dedup(bag)
    assert [r["id"] for r in out] == ["a", "b", "a", "c", "c"]
    # Partition 1 (records a, c) warns first: its date; the id `a` it repeats
    # from partition 0 is counted by the finish step.
    assert "date not understood" in str(got[0].message)
    with pytest.raises(ValueError, match="strict: .*3 warnings"):
        storysift.dask.dedup(bag, strict=True)
    clean = dask_bag.from_sequence(records[:2], partition_size=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(storysift.dask.dedup(clean, strict=True)) == 2


def test_dedup_files_fails_as_the_cli_when_inputs_give_nothing(client, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"id": "q", "text": "real words are here today"}) + "\n")
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("id,foo\n1,hello\n")
    # The CLI: exit 1 when nothing is read or a CSV has no text column.
    for paths in ([empty], [no_text, one]):
        done = subprocess.run([CLI, "dedup", "-q", *map(str, paths)], capture_output=True)
        assert done.returncode == 1
    with pytest.raises(ValueError, match="no documents read: .*empty.jsonl: 0 documents"):
        storysift.dask.dedup_files([str(empty)])
    with pytest.raises(ValueError, match="no_text.csv: CSV header .* has no text column"):
        storysift.dask.dedup_files([str(no_text), str(one)])
    with pytest.raises(ValueError, match="no input files"):
        storysift.dask.dedup_files([])
    # An input that gives nothing beside one that does, or with allow_empty,
    # is named in a warning.
    with pytest.warns(UserWarning, match="empty.jsonl: 0 documents .no records."):
        out = storysift.dask.dedup_files([str(empty), str(one)])
    assert out == run_cli("dedup", str(empty), str(one))
    with pytest.warns(UserWarning, match="empty.jsonl: 0 documents"):
        assert storysift.dask.dedup_files([str(empty)], allow_empty=True) == []


def test_dedup_files_reads_compressed_csv_like_the_cli(client, corpus, tmp_path):
    import csv
    import gzip

    rows = [r for r in corpus["records"][:600] if isinstance(r, dict) and r.get("text", "").strip()]
    paths = []
    for k in range(3):
        path = tmp_path / f"part{k}.csv.gz"
        with gzip.open(path, "wt", encoding="windows-1252", errors="replace", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "title", "text", "date"])
            for r in rows[k::3]:
                w.writerow([r["id"], r.get("title", ""), r["text"], r.get("date", "")])
        paths.append(str(path))
    out = storysift.dask.dedup_files(paths, encoding="windows-1252", input_format="csv")
    assert out == run_cli("dedup", "--encoding", "windows-1252", "--input-format", "csv", *paths)
    with pytest.raises(ValueError, match="encoding"):
        storysift.dask.dedup_files(paths, encoding="no-such-charset")


def test_a_named_field_need_only_be_in_some_partition(client):
    # "body" in the first ten records only: a partition without it reads its
    # records as missing text, as storysift.dedup reads them.
    records = ([{"id": f"b{i}", "body": synthetic_text(i % 6)} for i in range(10)] +
               [{"id": f"c{i}", "content": synthetic_text(i % 6)} for i in range(10)])
    with pytest.warns(UserWarning, match="10 records skipped"):
        want = storysift.dedup(records, text_field="body")
    assert sum(r["role"] == "copy" for r in want) == 4
    for npartitions in (1, 2, 3, 5):
        bag = dask_bag.from_sequence(records, npartitions=npartitions)
        with pytest.warns(UserWarning, match="10 records skipped"):
            got = storysift.dask.dedup(bag, text_field="body")
        # Skipped records name their partition.
        assert without_origin(got) == without_origin(want)


def test_a_named_field_in_no_record_raises_as_storysift_dedup(client):
    records = [{"id": f"r{i}", "text": synthetic_text(i)} for i in range(6)]
    with pytest.raises(ValueError, match="no record has the field") as want:
        storysift.dedup(records, text_field="body")
    with pytest.raises(ValueError) as got:
        storysift.dask.dedup(dask_bag.from_sequence(records, npartitions=3), text_field="body")
    assert str(got.value) == str(want.value)
    frame = dask_dataframe.from_pandas(pandas.DataFrame(records), npartitions=2)
    with pytest.raises(ValueError) as got:
        storysift.dask.dedup(frame, text_field="body")
    assert str(got.value) == str(want.value)


def test_values_are_read_as_storysift_dedup_reads_them(client):
    # numpy scalars, missing values and lone surrogates on the workers.
    records = [{"id": np.int64(7), "text": synthetic_text(1) + " caf\udce9"},
               {"id": "x\ud800", "text": synthetic_text(1) + " \udc81"},
               {"id": "n", "text": synthetic_text(2), "date": float("nan")},
               {"id": np.str_("t"), "text": synthetic_text(3), "date": np.datetime64("2020-01-02")}]
    with pytest.warns(UserWarning, match="utf8_repaired"):
        want = storysift.dedup(records)
    assert [r["id"] for r in want] == ["7", "x\ufffd\ufffd\ufffd", "n", "t"]
    with pytest.warns(UserWarning, match="1 warning; first at partition0:2: invalid UTF-8"):
        got = storysift.dask.dedup(dask_bag.from_sequence(records, npartitions=2))
    assert got == want


def test_num_buckets_is_a_positive_int_or_none(client):
    records = [{"id": "a", "text": synthetic_text(1)}]
    bag = dask_bag.from_sequence(records, npartitions=1)
    for bad in (0, -1, 2**32):
        with pytest.raises(ValueError, match="^num_buckets: "):
            storysift.dask.dedup(bag, num_buckets=bad)
    with pytest.raises(ValueError, match="^num_buckets: "):
        storysift.dask.dedup_files(["unread.jsonl"], num_buckets=-1)
    with pytest.raises(TypeError, match="^num_buckets: "):
        storysift.dask.dedup(bag, num_buckets=2.0)
    assert storysift.dask.dedup(bag, num_buckets=1) == storysift.dedup(records)


def test_a_dask_dataframe_with_a_read_column_twice_is_refused(client):
    frame = pandas.DataFrame([["1", synthetic_text(1), synthetic_text(2)]],
                             columns=["id", "text", "text"])
    with pytest.raises(ValueError, match="names column 'text' more than once"):
        storysift.dask.dedup(dask_dataframe.from_pandas(frame, npartitions=1))


class TaskCounter:
    """Counts the tasks of every graph the local scheduler is given, and
    fails a graph that takes the total past `limit` before it runs."""

    def __init__(self, limit):
        from dask.callbacks import Callback

        self.tasks = 0
        counter = self

        class Count(Callback):
            def _start(self, dsk):
                counter.tasks += len(dsk)
                assert counter.tasks <= limit, f"{counter.tasks} tasks, more than {limit}"

        self.callback = Count()


def copies_corpus(n):
    """`n` records, every third a near copy of the record two before it."""
    return [{"id": f"d{i}", "text": synthetic_text(i - 2 if i % 3 == 2 else i) +
             (f" extra{i}" if i % 3 == 2 else "")} for i in range(n)]


@pytest.mark.parametrize("parts", [6, 12, 24, 48, 1541])
def test_the_graph_grows_linearly_with_the_partitions(tmp_path, parts):
    """Every partition was a side of two shuffles (postings into one bucket
    per partition, pairs out to every partition): ~3 x parts² tasks; 48
    tiny files took 40-62 s and 1,541 partitions never finished. The
    partitions are combined into the scheduler's width (here 4 threads)
    first; the verdicts stay those of storysift.dedup."""
    import dask

    records = copies_corpus(1541 if parts == 1541 else 384)
    want = storysift.dedup(records)
    assert sum(r["role"] == "copy" for r in want) > 100
    limit = 6 * parts + 3 * 4 ** 2 + 60
    counter = TaskCounter(limit)
    with dask.config.set(scheduler="threads", num_workers=4), counter.callback:
        if parts == 1541:
            got = storysift.dask.dedup(dask_bag.from_sequence(records, npartitions=parts))
        else:
            per = len(records) // parts
            paths = []
            for k in range(parts):
                paths.append(str(tmp_path / f"f{k:04}.jsonl"))
                with open(paths[-1], "w") as f:
                    f.writelines(json.dumps(r) + "\n" for r in records[k * per:(k + 1) * per])
            got = storysift.dask.dedup_files(paths)
    assert got == want
    assert counter.tasks <= limit
