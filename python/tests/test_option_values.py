"""Option values of the wrong type are errors naming the option, never a
cast failure or a silent conversion; paths are str or os.PathLike."""

import json
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
    with pytest.raises(ValueError, match=r"^max_hamming: 16 is not a finite number in \[0, 15\]"):
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


def minhash(**options):
    return storysift.minhash(TEXT, **options)


def normalize(**options):
    return storysift.normalize(TEXT, **options)


@pytest.mark.parametrize("call,option,value,message", [
    # 0 ran with the default 3 (the CLI: "0 is not ... [1, 64]").
    (dedup, "shingle_size", 0, r"is not a finite number in \[1, 64\]"),
    (minhash, "shingle_size", 0, r"is not a finite number in \[1, 64\]"),
    (dedup, "bands", 0, r"\[1, 4096\]"),
    (cluster, "label_terms", 5000, r"5000 is not a finite number in \[0, 1000\]"),
    (storysift.StoryAssigner, "label_terms", 1001, r"\[0, 1000\]"),
    (dedup, "threads", 5000, r"\[0, 4096\]"),
    # Stemming shapes TF-IDF terms only: accepted and ignored before.
    (dedup, "stem", True, "dedup compares words as written"),
    (minhash, "stem", True, "minhash sketches words as written"),
    (normalize, "stem", True, "normalize shows words as written"),
    (storysift.Deduplicator, "stem", True, "an index compares words as written"),
])
def test_values_the_cli_refuses_are_refused_not_replaced(call, option, value, message):
    with pytest.raises(ValueError, match=f"^{option}: .*{message}"):
        call(**{option: value})


def test_stem_is_taken_where_there_are_tfidf_terms_and_false_anywhere():
    assert cluster(stem=True) and storysift.StoryAssigner(stem=True).add(RECORDS[0])
    assert dedup(stem=False) == dedup() and normalize(stem=False) == normalize()


def test_minhash_keyword_num_perm_is_checked_as_the_flag():
    with pytest.raises(ValueError, match="^num_perm: "):
        storysift.minhash(TEXT, num_perm=0)


# Each call with the CLI command that takes the same options, and the CLI
# arguments around a flag.
WALKED = {
    "dedup": (dedup, ["dedup", "{input}"]),
    "cluster": (cluster, ["cluster", "{input}"]),
    "minhash": (minhash, ["dedup", "{input}"]),
    "normalize": (normalize, ["normalize", "{input}"]),
    "Deduplicator": (storysift.Deduplicator, ["index", "build", "{input}", "-o", "{out}"]),
    "StoryAssigner": (storysift.StoryAssigner,
                      ["cluster", "{input}", "--state", "{out}", "-o", "{out}.jsonl"]),
}
BAD_NUMBERS = (0, -1, 10**9)


def accepted_options(call):
    with pytest.raises(TypeError) as error:
        call(no_such_option=1)
    return str(error.value).split("known: ", 1)[1].split(", ")


def python_refuses(call, option, value):
    try:
        call(**{option: value})
    except ValueError:
        return True
    except TypeError as e:
        if f"{option}: expected" in str(e):
            return None  # Not a number option: walked elsewhere.
        raise
    return False


@pytest.mark.parametrize("name", sorted(WALKED))
def test_every_number_option_refuses_what_the_cli_refuses(name, tmp_path):
    """For every option the call takes, 0, a negative and a huge value are
    refused (ValueError) exactly where the CLI's flag refuses them (exit 2);
    stem=True likewise against --stem."""
    if not os.path.exists(CLI):
        pytest.skip("STORYSIFT_CLI is not set")
    call, command = WALKED[name]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    differ = []
    for option in accepted_options(call):
        values = [True] if option == "stem" else BAD_NUMBERS
        for value in values:
            refused = python_refuses(call, option, value)
            if refused is None:
                break
            out = tmp_path / f"{option}{value}"
            args = [a.format(input=source, out=out) for a in command]
            flag = "--" + option.replace("_", "-")
            args += [flag] if value is True else [f"{flag}={value}"]
            done = subprocess.run([CLI, *args, "-q"], capture_output=True, text=True)
            assert done.returncode in (0, 2), done.stderr
            if refused != (done.returncode == 2):
                differ.append(f"{option}={value}: Python {'refuses' if refused else 'takes'} "
                              f"it, the CLI {done.returncode}: {done.stderr.strip()}")
    assert differ == []
