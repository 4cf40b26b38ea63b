"""Option values of the wrong type are errors naming the option, never a
cast failure or a silent conversion; paths are str or os.PathLike."""

import os
import pathlib
import subprocess

import numpy as np
import pytest

import storysift
from conftest import CLI

TEXT = "Shares of the company rose sharply after the quarterly report was published " * 6
RECORDS = [{"id": "a", "text": TEXT}, {"id": "b", "text": TEXT + " (Reuters)"}]


def dedup(**options):
    return storysift.dedup(RECORDS, **options)


def cluster(**options):
    return storysift.cluster(RECORDS, **options)


@pytest.mark.parametrize("call,option,value,error", [
    (dedup, "threshold", "0.5", TypeError),
    (dedup, "threshold", True, TypeError),
    (dedup, "num_perm", 128.0, TypeError),
    (dedup, "num_perm", True, TypeError),
    (dedup, "num_perm", 2**40, ValueError),
    (dedup, "threads", 2.0, TypeError),
    (dedup, "strict", "no", TypeError),
    (dedup, "strict", 1, TypeError),
    (dedup, "char_shingles", 4, TypeError),
    (dedup, "text_field", 5, TypeError),
    (dedup, "text_field", b"text", TypeError),
    (dedup, "max_doc_bytes", -1, ValueError),
    (cluster, "window_days", "3", TypeError),
    (cluster, "story_threshold", [1], TypeError),
    (cluster, "idf", 5, TypeError),
    (storysift.Deduplicator, "retention_days", "7", TypeError),
    # Bounded before it becomes seconds (2e14 days overflowed int64).
    (storysift.Deduplicator, "retention_days", 2e14, ValueError),
    (storysift.Deduplicator, "retention_days", 146098, ValueError),
    (storysift.StoryAssigner, "retention_days", 2e14, ValueError),
    (storysift.StoryAssigner, "label_terms", 2.5, TypeError),
])
def test_a_wrong_typed_option_is_an_error_naming_it(call, option, value, error):
    with pytest.raises(error, match=f"^{option}: "):
        call(**{option: value})


def test_a_simhash_distance_past_the_index_is_refused_naming_its_range():
    """16 bits failed in the index ("num_blocks = 17 must be in (max_distance
    = 16, 16]"), naming neither the option nor what it may be."""
    with pytest.raises(ValueError, match=r"^max_hamming: 16 is outside \[0, 15\]"):
        dedup(method="simhash", max_hamming=16)
    with pytest.raises(ValueError, match=r"^threshold: 0.75 with method simhash lets 16 of 64 bits"):
        dedup(method="simhash", threshold=0.75)
    assert len(dedup(method="simhash", max_hamming=15)) == len(RECORDS)


def test_numpy_scalars_are_taken_as_the_python_scalars():
    plain = dedup(threshold=0.5, num_perm=64, exact_verify=True)
    assert dedup(threshold=np.float32(0.5), num_perm=np.int64(64), exact_verify=np.bool_(True)) == plain
    assert dedup(threshold=1) == dedup(threshold=1.0)  # An int is a number.


def test_paths_may_be_pathlike(tmp_path, seeds):
    if not os.path.exists(CLI):
        pytest.skip("STORYSIFT_CLI is not set")
    model = tmp_path / "idf.bin"
    subprocess.run([CLI, "idf", "build", "-q", "-o", str(model), *seeds], check=True)
    assert cluster(idf=model) == cluster(idf=str(model))
    assert storysift.StoryAssigner(idf=model).add(RECORDS[0])["is_new_story"]
    index = tmp_path / "feed.idx"
    with storysift.Deduplicator(index) as d:
        d.add(RECORDS[0])
    assert len(storysift.Deduplicator(index)) == 1
    again = storysift.Deduplicator.load(pathlib.Path(index))
    again.add(RECORDS[1])
    again.save(tmp_path / "copy.idx")
    assert len(storysift.Deduplicator.load(tmp_path / "copy.idx")) == 2


def test_an_idf_model_of_other_term_options_is_refused_naming_them(tmp_path, seeds):
    if not os.path.exists(CLI):
        pytest.skip("STORYSIFT_CLI is not set")
    model = tmp_path / "stemmed.idf"
    subprocess.run([CLI, "idf", "build", "-q", "--stem", "-o", str(model), *seeds], check=True)
    with pytest.raises(ValueError, match="stem: model on, run off"):
        cluster(idf=model)
    with pytest.raises(ValueError, match="stem: model on, run off"):
        storysift.StoryAssigner(idf=model)
    assert cluster(idf=model, stem=True)  # The model's own options.
    assert storysift.StoryAssigner(idf=model, stem=True).add(RECORDS[0])["is_new_story"]


def test_a_saved_story_state_keeps_its_idf_model_and_refuses_another(tmp_path, seeds):
    if not os.path.exists(CLI):
        pytest.skip("STORYSIFT_CLI is not set")
    model = tmp_path / "seeds.idf"
    other = tmp_path / "two_seeds.idf"
    subprocess.run([CLI, "idf", "build", "-q", "-o", str(model), *seeds], check=True)
    subprocess.run([CLI, "idf", "build", "-q", "-o", str(other), *seeds[:2]], check=True)
    state = tmp_path / "news.sta"
    with storysift.StoryAssigner(state, idf=model) as a:
        a.add(RECORDS[0])
    with pytest.raises(ValueError, match="holds another IDF model"):
        storysift.StoryAssigner(state, idf=other)
    assert "a" in storysift.StoryAssigner(state, idf=model)
    assert "a" in storysift.StoryAssigner(state)  # As saved.
    plain = tmp_path / "plain.sta"
    with storysift.StoryAssigner(plain) as a:
        a.add(RECORDS[0])
    with pytest.raises(ValueError, match="saved without an IDF model"):
        storysift.StoryAssigner(plain, idf=model)
