"""The Python API: its results equal the CLI's, its errors are exceptions."""

import json
import os
import pickle
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pytest

import storysift
from conftest import CLI, run_cli


def seed_records(paths):
    return [{"id": os.path.basename(p), "text": open(p, encoding="utf-8").read()} for p in paths]


def test_normalize_strips_markup_and_folds_tokens():
    out = storysift.normalize("<p>Russia&#39;s  ENVOY met “Sessions”</p>")
    assert out["clean"].startswith("Russia")
    assert out["tokens"] == ["russia", "s", "envoy", "met", "sessions"]


def test_minhash_is_uint64_and_estimates_jaccard():
    base = " ".join(f"word{i}" for i in range(400))
    edited = base.replace("word7 ", "other ").replace("word300 ", "other ")
    unrelated = " ".join(f"term{i}" for i in range(400))
    sig = storysift.minhash([base, edited, unrelated])
    assert sig.dtype == np.uint64 and sig.shape == (3, 128)
    assert (sig[0] == sig[1]).mean() > 0.9
    assert (sig[0] == sig[2]).mean() < 0.1
    assert storysift.minhash(base, num_perm=64).shape == (64,)
    assert np.array_equal(storysift.minhash(base), sig[0])


def as_jsonl(records, path):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


def test_dedup_of_seeds_equals_the_cli(seeds, tmp_path):
    records = seed_records(seeds)
    assert storysift.dedup(records) == run_cli("dedup", as_jsonl(records, tmp_path / "s.jsonl"))


def test_bad_records_are_reported_in_place_and_strict_raises():
    records = [{"id": "a", "text": "one two three four five six"}, "not a dict",
               {"id": "b"}, {"id": "c", "body": "  "}]
    with pytest.warns(UserWarning, match="3 records skipped"):
        out = storysift.dedup(records)
    assert [r["role"] for r in out] == ["unique", "skipped", "skipped", "skipped"]
    assert [r.get("reason") for r in out[1:]] == ["not_object", "missing_text", "empty_text"]
    assert out[2]["origin"] == "records:3"
    with pytest.raises(ValueError, match="strict"):
        storysift.dedup(records, strict=True)


def test_record_warnings_warn_and_strict_raises_as_the_cli(tmp_path):
    # Read, but with a warning: a duplicate id and a date not understood.
    # The CLI prints them and fails under --strict; so does the API.
    records = [{"id": "a", "text": "one two three four five six", "date": "2020-01-05"},
               {"id": "a", "text": "seven eight nine ten eleven twelve"},
               {"id": "b", "text": "thirteen fourteen fifteen sixteen", "date": "2020-13-45"}]
    path = as_jsonl(records, tmp_path / "w.jsonl")
    report = tmp_path / "report.json"
    run_cli("dedup", path, "--report", str(report))
    want = json.loads(report.read_text())
    assert len(want["warnings"]) == 2
    for call in (storysift.dedup, storysift.cluster):
        with pytest.warns(UserWarning, match="2 warnings") as caught:
            call(records)
        assert "duplicate_id" in str(caught[0].message)
        assert "unparsed_date" in str(caught[0].message)
        with pytest.raises(ValueError, match="strict: 2 warning.s.; first at records:2: id 'a'"):
            call(records, strict=True)
    done = subprocess.run([CLI, "dedup", "--strict", "-q", path], capture_output=True, text=True)
    assert done.returncode == 1 and "2 warning(s); first at" in done.stderr
    # A clean run passes under strict, with no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(storysift.dedup(records[:1], strict=True)) == 1


def test_options_have_the_cli_names_and_checks():
    records = [{"text": "a b c d"}]
    with pytest.raises(TypeError, match="unknown option 'treshold'"):
        storysift.dedup(records, treshold=0.5)
    with pytest.raises(ValueError, match="threshold"):
        storysift.dedup(records, threshold=1.5)
    with pytest.raises(ValueError, match="keep"):
        storysift.dedup(records, keep="newest")
    with pytest.raises(ValueError, match="no record has the field \"body_text\""):
        storysift.dedup(records, text_field="body_text")
    # A setting of the other method is refused, as by the CLI (exit 2).
    with pytest.raises(ValueError, match="num_perm applies to method minhash, not simhash"):
        storysift.dedup(records, method="simhash", num_perm=64)
    # normalize and minhash take only what they read (nothing accepted and
    # then ignored): a dedup option there is unknown.
    assert storysift.normalize("<b>A</b> b", markup="plain")["tokens"] == ["b", "a", "b", "b"]
    assert storysift.minhash("a b c d e", shingle_size=2, num_perm=8).shape == (8,)
    with pytest.raises(TypeError, match="unknown option 'threshold'; known: markup, stem"):
        storysift.normalize("a b c", threshold=0.5)
    with pytest.raises(TypeError, match="unknown option 'keep'"):
        storysift.minhash("a b c", keep="first")


def test_dataframe_in_dataframe_out_with_named_columns():
    import pandas as pd  # Installed by scripts/setup.sh: required, not skipped.
    text = "The central bank raised its key rate by half a point on Tuesday " * 8
    frame = pd.DataFrame({"key": ["x1", "x2", "x3"], "body": [text, text + " Reuters", "other"],
                          "when": pd.to_datetime(["2024-01-02", "2024-01-01", None])})
    out = storysift.dedup(frame, id_field="key", text_field="body", date_field="when")
    assert isinstance(out, pd.DataFrame)
    # keep=earliest: x2 is dated first, so it represents the pair.
    assert list(out["role"]) == ["copy", "original", "unique"]
    assert list(out["representative_id"]) == ["x2", "x2", "x3"]


def test_deduplicator_retention_judges_an_older_record_without_keeping_it():
    texts = [" ".join(f"w{i}x{k}" for k in range(30)) for i in range(3)]
    d = storysift.Deduplicator(retention_days=7)
    assert d.add({"id": "a", "text": texts[0], "date": "1987-03-20"})["stored"]
    assert d.add({"id": "b", "text": texts[2], "date": "1987-03-20"})["stored"]
    old = d.add({"id": "old", "text": texts[0], "date": "1987-03-01"})
    assert old["duplicate_of"] == "a" and not old["stored"]
    # Alone a century past the others (two of 1987): it moves no clock.
    typo = d.add({"id": "typo", "text": texts[1], "date": "2087-03-06"})
    assert typo["stored"] and typo["future_dated"] and typo["evicted"] == 0
    assert len(d) == 3 and "old" not in d


def test_deduplicator_round_trip(tmp_path):
    text = "Shares of the company rose sharply after the quarterly report was published " * 6
    path = str(tmp_path / "feed.idx")
    with storysift.Deduplicator(path, threshold=0.5) as d:
        assert d.add(text, id="a")["is_new"]
        assert d.add({"id": "b", "text": text + " (Reuters)"})["duplicate_of"] == "a"
        assert len(d) == 2 and "b" in d
        with pytest.raises(ValueError):
            d.add(text, id="a")  # The id is stored already.
        with pytest.raises(ValueError, match="id"):
            d.add(text)  # No id.
    assert len(storysift.Deduplicator(path)) == 2  # Reopened as saved.
    again = storysift.Deduplicator.load(path, read_only=True)  # Other loads go on.
    assert again.query(text)["duplicate_of"] == "a"
    assert again.remove("a") == 2
    with pytest.raises(KeyError):
        again.remove("a")
    with pytest.raises(ValueError, match="threshold"):
        storysift.Deduplicator.load(path, check_options=True, threshold=0.9)


def test_stages_saved_under_a_compressed_name_are_compressed_and_load_back(tmp_path, seeds):
    text = "Shares of the company rose sharply after the quarterly report was published " * 6
    magics = {".gz": b"\x1f\x8b", ".zst": b"\x28\xb5\x2f\xfd", ".xz": b"\xfd7zXZ\x00"}
    for suffix, magic in magics.items():
        path = tmp_path / ("feed.idx" + suffix)
        with storysift.Deduplicator(path, threshold=0.5) as d:
            d.add(text, id="a")
        assert path.read_bytes().startswith(magic)
        assert storysift.Deduplicator.load(path).query(text + " (AP)")["duplicate_of"] == "a"
        with storysift.Deduplicator(path) as d:  # Reopened, added to, saved compressed again.
            d.add("A different story about the weather turning cold in the north " * 5, id="b")
        assert path.read_bytes().startswith(magic) and len(storysift.Deduplicator(path)) == 2
        stories = tmp_path / ("stories.bin" + suffix)
        with storysift.StoryAssigner(stories) as s:
            for r in seed_records(seeds):
                s.add(r)
        assert stories.read_bytes().startswith(magic)
        assert storysift.StoryAssigner.load(stories).story_of(os.path.basename(seeds[0])) == "s0001"


def test_streaming_stages_warn_of_record_warnings_and_strict_raises():
    undated = {"id": "c", "text": "Apples ripen early in the orchards this year", "date": "2020-13-45"}
    for stage in (storysift.Deduplicator, storysift.StoryAssigner):
        with pytest.warns(UserWarning, match="date not understood .*unparsed_date"):
            stage().add(dict(undated))
        strict = stage(strict=True)
        with pytest.raises(ValueError, match="strict: date not understood"):
            strict.add(dict(undated))
        with pytest.raises(ValueError, match="strict: date not understood"):
            strict.query(dict(undated))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            strict.add({"id": "d", "text": "Pears ripen late this year", "date": "2020-01-02"})
        assert "c" not in strict and "d" in strict


def test_story_assigner_round_trip(tmp_path, seeds):
    path = str(tmp_path / "stories.bin")
    with storysift.StoryAssigner(path) as s:
        verdicts = [s.add(r) for r in seed_records(seeds)]
    assert verdicts[0]["is_new_story"]
    assert {v["story_id"] for v in verdicts} == {"s0001"}
    loaded = storysift.StoryAssigner.load(path)
    assert loaded.story_of(os.path.basename(seeds[1])) == "s0001"


def test_cluster_of_seeds_equals_the_cli(seeds, tmp_path):
    records = seed_records(seeds)
    stories = storysift.cluster(records)
    assert stories == run_cli("cluster", as_jsonl(records, tmp_path / "s.jsonl"))
    assert len(stories) == 1 and stories[0]["size"] == 3


def dated_story_records(days, topics=3, first="1987-03-01"):
    """`topics` stories, one article of each a day for `days` days."""
    import datetime
    start = datetime.date.fromisoformat(first)
    return [{"id": f"{start + datetime.timedelta(days=d)}-{k}",
             "text": " ".join(f"t{k}w{j}" for j in range(30)) + f" day{d}",
             "date": str(start + datetime.timedelta(days=d))}
            for d in range(days) for k in range(topics)]


def test_story_assigner_clock_takes_no_typoed_date_and_follows_a_later_batch():
    """One article dated 2017 by a typo among March 1987's moved the clock
    30 years on: every story was retired at once. It counts at the clock now
    (future_dated, nothing evicted); a batch six weeks on moves it."""
    s = storysift.StoryAssigner(retention_days=7)
    march = dated_story_records(3)
    for r in march:
        assert s.add(r)["evicted"] == 0
    typo = s.add({"id": "typo", "text": march[0]["text"], "date": "2017-03-03"})
    assert typo["future_dated"] and typo["evicted"] == 0
    following = s.add(dated_story_records(4)[-2])  # Topic 1 on March 4th.
    assert not following["is_new_story"] and not following["future_dated"]
    assert following["evicted"] == 0
    assert all(r["id"] in s for r in march) and "typo" in s
    # query says what add would, and keeps nothing.
    assert s.query(march[0]["text"], id="q")["future_dated"] is False
    later = [s.add(r) for r in dated_story_records(2, first="1987-04-15")]
    assert later[0]["future_dated"] and later[0]["evicted"] == 0  # Alone, for now.
    assert not later[1]["future_dated"] and later[1]["evicted"] == len(march) + 2
    assert "typo" not in s and march[0]["id"] not in s and "1987-04-15-0" in s


def test_story_assigner_retention_judges_an_older_record_without_keeping_it():
    """An article older than the window joined its story (or started one,
    taking a story number, that the next add retired): it is matched against
    the stories held and kept by none, as the Deduplicator's stored=False."""
    s = storysift.StoryAssigner(retention_days=7, window_days=30)
    recent = dated_story_records(3, first="1987-03-20")
    assert all(s.add(r)["stored"] for r in recent)
    old = dict(recent[0], id="old", date="1987-03-01")
    assert s.query(dict(old))["stored"] is False
    verdict = s.add(old)
    assert verdict["stored"] is False and verdict["story_id"] == "s0001"
    assert verdict["is_new_story"] is False and verdict["label"]
    stray = {"id": "stray", "text": "harbour cranes idle as dockers strike over pay",
             "date": "1987-03-01"}
    lone = s.add(dict(stray))
    assert lone["stored"] is False and lone["story_id"] is None
    assert lone["is_new_story"] is False and lone["label"] == []
    assert "old" not in s and "stray" not in s and all(r["id"] in s for r in recent)
    fresh = s.add(dict(stray, id="fresh", date="1987-03-22"))
    assert fresh["stored"] and fresh["is_new_story"] and fresh["story_id"] == "s0004"


def test_streaming_stages_pickle_as_their_saved_state(tmp_path):
    """Dask sends a stage to its workers by pickling it: a copy judges as the
    original does, reads records with the same options, and has no path, so
    that copies never save over the original's file."""
    path = tmp_path / "stories.sta"
    records = dated_story_records(2)
    s = storysift.StoryAssigner(path, retention_days=7, strict=True)
    for r in records:
        s.add(r)
    copy = pickle.loads(pickle.dumps(s))
    assert copy.path is None
    nxt = dated_story_records(3)[-1]
    assert copy.add(dict(nxt)) == s.add(dict(nxt))
    with pytest.raises(ValueError, match="strict: date not understood"):
        copy.add({"id": "bad", "text": "x y z", "date": "2020-13-45"})
    copy.close()
    assert not path.exists()
    d = storysift.Deduplicator(threshold=0.6)
    d.add({"id": "a", "text": records[0]["text"]})
    again = pickle.loads(pickle.dumps(d))
    assert len(again) == 1 and again.query(records[0]["text"])["duplicate_of"] == "a"


def test_stage_paths_that_are_directories_or_no_paths_are_refused_up_front(tmp_path):
    for stage in (storysift.Deduplicator, storysift.StoryAssigner):
        with pytest.raises(IsADirectoryError):
            stage(tmp_path)
        with pytest.raises(IsADirectoryError):
            stage.load(tmp_path)
        kept = stage()
        with pytest.raises(IsADirectoryError):
            kept.save(tmp_path)
        # An int is no path: os.path.exists(5) would test file descriptor 5.
        with pytest.raises(TypeError, match="path: expected str, bytes or os.PathLike"):
            stage(5)
        # Its lock, beside it, is the first file the save makes.
        with pytest.raises(FileNotFoundError, match="cannot open lock file .*no-such-dir"):
            kept.save(tmp_path / "no-such-dir" / "state")


def test_story_assigner_query_needs_no_id_as_the_deduplicators():
    s = storysift.StoryAssigner()
    r = dated_story_records(1)[0]
    s.add(r)
    assert s.query(r["text"])["story_id"] == "s0001"
    assert s.query({"text": r["text"]})["is_new_story"] is False


def test_minhash_takes_bytes_as_one_text_and_refuses_a_dict():
    text = "the harbour strike ended after talks between the union and the port"
    assert (storysift.minhash(text.encode()) == storysift.minhash(text)).all()
    with pytest.raises(TypeError, match="not a dict"):
        storysift.minhash({"a1": text})


def test_minhash_holds_its_texts_while_another_thread_empties_the_list():
    """minhash works without the GIL on the strs' own UTF-8: a list emptied
    by another thread meanwhile freed them under it (large strs go back to
    the system at once)."""
    texts = [" ".join(f"w{i}x{k}" for k in range(40000)) for i in range(48)]
    expected = storysift.minhash(list(texts))
    out = []
    worker = threading.Thread(target=lambda: out.append(storysift.minhash(texts)))
    worker.start()
    time.sleep(0.02)
    texts.clear()
    worker.join()
    assert (out[0] == expected).all()


def test_reopening_a_saved_stage_keeps_its_retention_unless_one_is_given(tmp_path):
    """Any option given on reopening (strict=True, a *_field) made the saved
    stage compare all its options with the defaults (a stage saved with
    another threshold was refused) and reset its retention to 0 (keep
    everything) without a word; retention_days given to load() was ignored."""
    first = [{"id": f"a{k}", "text": " ".join(f"t{k}w{j}" for j in range(30)),
              "date": f"2020-01-0{k + 1}"} for k in range(2)]

    def later(day):
        return {"id": f"later{day}", "text": "an unrelated harbour strike report " * 4,
                "date": f"2020-01-{day:02d}"}

    for stage, saved in ((storysift.Deduplicator, {"threshold": 0.8}),
                         (storysift.StoryAssigner, {"story_threshold": 0.3})):
        path = tmp_path / stage.__name__
        with stage(path, retention_days=7, **saved) as s:
            for r in first:
                s.add(r)
        assert stage(path, strict=True).add(later(10))["evicted"] == 2  # Kept: 7 days.
        assert stage.load(path, text_field="text").add(later(4))["evicted"] == 0
        assert stage(path, retention_days=1).add(later(4))["evicted"] == 2  # Given: applies.
        assert stage.load(path, retention_days=1).add(later(4))["evicted"] == 2
        name = next(iter(saved))
        with pytest.raises(TypeError, match=f"{name}: a saved index or state keeps"):
            stage.load(path, **saved)
        assert len(stage.load(path, check_options=True, **saved).query(first[0])) > 0


# A writer process: opens the stage on argv[1] (waiting for the lock), adds
# three documents of its own, works a while, saves on leaving the block.
WRITER = r'''
import sys, time, storysift
stage, path, name = sys.argv[1:4]
with getattr(storysift, stage)(path, wait=60) as s:
    for i in range(3):
        s.add({"id": f"{name}-{i}", "text": f"{name} report {i} on topic {name * 3} words {i * 7}"})
    time.sleep(0.5)
'''


@pytest.mark.parametrize("stage", [storysift.Deduplicator, storysift.StoryAssigner])
def test_two_processes_writing_one_saved_stage_keep_each_others_documents(tmp_path, stage):
    """Each worker loaded the file, added its documents and saved over the
    other's: 4 documents of 7 were left, without an error. The second
    writer now waits for the first one's lock and loads what it saved."""
    path = tmp_path / "feed.idx"
    with stage(path) as s:
        s.add({"id": "seed", "text": "seed article about the harvest in the north this week"})
    workers = [subprocess.Popen([sys.executable, "-c", WRITER, stage.__name__, str(path), n])
               for n in ("alpha", "beta")]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    saved = stage.load(path, read_only=True)
    ids = ["seed"] + [f"{n}-{i}" for n in ("alpha", "beta") for i in range(3)]
    assert [i for i in ids if i not in saved] == []


@pytest.mark.parametrize("stage", [storysift.Deduplicator, storysift.StoryAssigner])
def test_a_second_writer_of_a_stage_file_fails_or_waits_and_readers_never_block(tmp_path,
                                                                                stage):
    path = tmp_path / "feed.idx"
    first = {"id": "first", "text": "the harbour strike ended after talks with the union"}
    second = {"id": "second", "text": "drought cut the cocoa harvest in the west this year"}
    with stage(path) as s:
        s.add(first)
        with pytest.raises(TimeoutError, match="another writer holds its lock.*wait=SECONDS"):
            stage(path)
        s.save()
        with pytest.raises(TimeoutError, match="still locked after waiting 0.1 s"):
            stage.load(path, wait=0.1)
        reader = stage(path, read_only=True)  # No lock: it reads the last save.
        assert "first" in reader
        reader.add(second)
        with pytest.raises(ValueError, match="read_only=True"):
            reader.save()
        reader.close()  # Saves nothing.
        # Another writer waits; it goes on once this one has saved and closed.
        opened = []
        waiter = threading.Thread(target=lambda: opened.append(stage(path, wait=30)))
        waiter.start()
        time.sleep(0.3)
        assert not opened
        s.add(second)
    waiter.join(timeout=30)
    assert "second" in opened[0]
    with pytest.raises(TimeoutError):
        stage(path)  # The waiter is the writer now, until it closes.
    opened[0].close()
    with pytest.raises(ValueError, match="was closed"):
        opened[0].save()
    # An error in the block saves nothing, but frees the lock.
    with pytest.raises(KeyError):
        with stage.load(path) as s:
            s.add({"id": "third", "text": "an unrelated report on bond yields and budgets"})
            raise KeyError("failed")
    with stage(path) as s:
        assert "third" not in s
    with pytest.raises(FileNotFoundError):
        stage.load(tmp_path / "missing.idx", read_only=True)
    assert not (tmp_path / "missing.idx.lock").exists()


def test_the_wait_for_a_stage_lock_is_checked_as_the_clis(tmp_path):
    path = tmp_path / "feed.idx"
    for wait, error in ((-1, ValueError), (float("nan"), ValueError), (8 * 86400, ValueError),
                        ("5", TypeError), (True, TypeError)):
        with pytest.raises(error, match="wait"):
            storysift.Deduplicator(path, wait=wait)
    assert not path.exists()


def test_the_cli_and_a_python_stage_never_lose_each_others_documents(tmp_path):
    """`storysift index add` locks IDX.lock; the Python stage took no lock,
    so the CLI's add was overwritten by the Python save (or the reverse)."""
    if not os.path.exists(CLI):
        pytest.skip("STORYSIFT_CLI is not set")
    index = tmp_path / "f2.idx"
    seed = as_jsonl([{"id": "seed", "text": "seed article about the harvest in the north"}],
                    tmp_path / "seed.jsonl")
    cli_doc = as_jsonl([{"id": "cli-1", "text": "the cli added an article on gulf shipping rates"}],
                       tmp_path / "cli.jsonl")
    subprocess.run([CLI, "index", "build", seed, "-o", str(index), "-q"], check=True)
    with storysift.Deduplicator(index) as d:
        d.add({"id": "py-1", "text": "python added a report about rail strikes in the capital"})
        held = subprocess.run([CLI, "index", "add", str(index), cli_doc, "-q"],
                              capture_output=True, text=True)
        assert held.returncode == 3 and "locked by another storysift process" in held.stderr
        waiting = subprocess.Popen([CLI, "index", "add", str(index), cli_doc, "-q",
                                    "--wait", "60"])
        time.sleep(0.3)
        assert waiting.poll() is None
    assert waiting.wait(timeout=60) == 0
    # The CLI holds the lock while it reads its standard input.
    reading = subprocess.Popen([CLI, "index", "add", str(index), "-", "-q", "--wait", "60"],
                               stdin=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while True:  # Until the CLI has the lock.
        try:
            storysift.Deduplicator(index)  # Dropped at once, and its lock: nothing saved.
        except TimeoutError:
            break
        assert time.time() < deadline
        time.sleep(0.05)
    opened = []
    waiter = threading.Thread(target=lambda: opened.append(storysift.Deduplicator(index, wait=60)))
    waiter.start()
    reading.communicate('{"id": "cli-2", "text": "a second cli article on bond yields"}\n',
                        timeout=60)
    assert reading.returncode == 0
    waiter.join(timeout=60)
    with opened[0] as d:
        d.add({"id": "py-2", "text": "python again, on the drought and the cocoa crop"})
    saved = storysift.Deduplicator.load(index, read_only=True)
    assert [i for i in ("seed", "py-1", "cli-1", "cli-2", "py-2") if i not in saved] == []
