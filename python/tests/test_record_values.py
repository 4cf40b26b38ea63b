"""Record values as the CLI reads the same record from a JSON line: pandas'
and numpy's missing values are JSON's null, numpy scalars the Python
scalars they hold, and a str's lone surrogates the invalid bytes they stand
for, repaired as the CLI repairs them."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import storysift
from conftest import run_cli
from conftest import synthetic_text as text


def as_jsonl(records, path):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


def renamed(verdicts, path):
    """The CLI's verdicts on the file at `path`, with its fallback ids
    (the path as given, then :N) named as the API names them (records:N)."""
    return json.loads(json.dumps(verdicts).replace(f'"{path}:', '"records:'))


def test_missing_dataframe_cells_are_json_nulls_as_in_the_cli(tmp_path):
    records = [{"id": None, "text": text(1)},
               {"id": 2, "text": text(2), "date": "2020-01-05T10:00:00"},
               {"id": 3, "text": text(3), "date": None},
               {"id": None, "text": text(4), "date": "2020-01-06T08:30:00"},
               {"id": 5, "text": text(1) + " again"}]
    path = tmp_path / "nulls.jsonl"
    as_jsonl(records, path)
    report = tmp_path / "report.json"
    want = run_cli("dedup", str(path), "--report", str(report))
    assert json.loads(report.read_text())["warnings"] == []
    frame = pd.read_json(path, lines=True)  # Null ids are NaN, null dates NaT.
    assert frame["id"].isna().sum() == 2 and frame["date"].isna().sum() == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # No unparsed_date, no duplicate id 'nan'.
        got = storysift.dedup(frame)
    assert got.to_dict("records") == renamed(want, path)
    assert list(got["id"]) == ["records:1", "2", "3", "records:4", "5"]


@pytest.mark.parametrize("missing", [None, float("nan"), np.float32("nan"), pd.NaT, pd.NA,
                                     np.datetime64("NaT")], ids=repr)
def test_a_missing_value_is_null_for_the_id_and_the_date(missing):
    stories = storysift.cluster([{"id": missing, "text": text(1), "date": missing}], strict=True)
    assert stories[0]["articles"][0]["id"] == "records:1"
    assert stories[0]["first_published"] is None


def test_numpy_scalar_ids_read_as_the_python_scalars_the_cli_reads(tmp_path):
    values = [(np.int64(7), 7), (np.uint16(8), 8), (np.float32(7.5), 7.5),
              (np.float64(9.0), 9.0), (np.bool_(True), True), (np.str_("x"), "x")]
    path = tmp_path / "ids.jsonl"
    want = run_cli("dedup", as_jsonl([{"id": plain, "text": text(i)}
                                      for i, (_, plain) in enumerate(values)], path))
    assert [r["id"] for r in want] == ["7", "8", "7.5", "9", f"{path}:5", "x"]
    got = storysift.dedup([{"id": value, "text": text(i)} for i, (value, _) in enumerate(values)],
                          strict=True)
    assert got == renamed(want, path)


def test_int_ids_beyond_64_bits_fall_back_to_the_positional_id_as_in_the_cli(tmp_path):
    """A JSON number beyond 64 bits is no value to the CLI (the record's id
    is file:line); Python read the int's decimal text as the id."""
    ids = [2**64, 2**64 - 1, -2**63, -2**63 - 1, 10**30, 7]
    path = tmp_path / "wide.jsonl"
    want = run_cli("dedup", as_jsonl([{"id": v, "text": text(i)} for i, v in enumerate(ids)],
                                     path))
    assert [r["id"] for r in want] == [f"{path}:1", str(2**64 - 1), str(-2**63), f"{path}:4",
                                       f"{path}:5", "7"]
    records = [{"id": v, "text": text(i)} for i, v in enumerate(ids)]
    assert storysift.dedup(records, strict=True) == renamed(want, path)
    # As a date such a number is counted, as the CLI counts it (a warning
    # that fails strict), and an infinite float (JSON's 1e400) is no id.
    report = tmp_path / "report.json"
    run_cli("dedup", as_jsonl([{"id": "a", "text": text(1), "date": 2**64}], path),
            "--report", str(report))
    assert [w["origin"] for w in json.loads(report.read_text())["warnings"]] == [f"{path}:1"]
    with pytest.raises(ValueError, match="strict"):
        storysift.dedup([{"id": "a", "text": text(1), "date": 2**64}], strict=True)
    assert storysift.dedup([{"id": float("inf"), "text": text(1)}])[0]["id"] == "records:1"


@pytest.mark.parametrize("date", [np.int64(1577872800), np.float64(1577872800.0),
                                  np.datetime64("2020-01-01T10:00:00"),
                                  np.datetime64("2020-01-01T10:00:00.000000000"),
                                  pd.Timestamp("2020-01-01T10:00:00")], ids=repr)
def test_numpy_and_pandas_dates_read_as_datetime(date):
    stories = storysift.cluster([{"id": "a", "text": text(1), "date": date}], strict=True)
    assert stories[0]["first_published"] == "2020-01-01T10:00:00Z"


FLOAT_DATES = [2017.9, 20170302.5, 2017.0, 20170302.0, 1488448800.5, 1488448800123.5,
               1488448800123.0, -100000000.5, 12345678.9, 1971.0]


def test_float_dates_read_as_the_cli_reads_json_numbers(tmp_path):
    # A float is a date by its value, as a JSON number is: a fraction only on
    # epoch seconds or milliseconds (2017.9 was floored to 2017-01-01).
    records = [{"id": str(i), "text": text(i), "date": d} for i, d in enumerate(FLOAT_DATES)]
    path = tmp_path / "dates.jsonl"
    want = run_cli("cluster", as_jsonl(records, path), "--story-threshold", "0.99")
    first = {s["articles"][0]["id"]: s["first_published"] for s in want}
    assert [first[str(i)] for i in range(len(FLOAT_DATES))] == [
        None, None, "2017-01-01T00:00:00Z", "2017-03-02T00:00:00Z", "2017-03-02T10:00:00Z",
        "2017-03-02T10:00:00Z", "2017-03-02T10:00:00Z", "1966-10-31T14:13:19Z", None,
        "1971-01-01T00:00:00Z"]
    with pytest.warns(UserWarning, match="unparsed_date"):
        assert storysift.cluster(records, story_threshold=0.99) == want


def write_undecodable(path):
    """JSON lines holding bytes that are not UTF-8: Windows-1252 é (0xE9) in
    every field, and 0x81, which Windows-1252 leaves undefined."""
    body = text(1).encode()
    lines = [b'{"id": "a\xe9", "title": "Caf\xe9 news", "text": "' + body + b' caf\xe9 au lait", '
             b'"source": "Le Caf\xe9", "url": "http://example.com/caf\xe9", "date": "2020-01-0\xe9"}',
             b'{"id": "b", "text": "' + text(2).encode() + b' undefined \x81 byte"}',
             b'{"id": "c", "text": "' + body + b' cafe au lait", "date": "2020-01-02"}']
    path.write_bytes(b"\n".join(lines) + b"\n")
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return [json.loads(line) for line in f]


def test_surrogate_escaped_strings_are_repaired_as_the_cli_repairs_the_bytes(tmp_path):
    path = tmp_path / "cp1252.jsonl"
    records = write_undecodable(path)
    assert "\udce9" in records[0]["text"] and "\udc81" in records[1]["text"]
    report = tmp_path / "report.json"
    want = run_cli("dedup", str(path), "--report", str(report))
    reasons = sorted(w["reason"] for w in json.loads(report.read_text())["warnings"])
    assert reasons == ["unparsed_date", "utf8_repaired"]
    assert want[0]["id"] == "a\u00e9"
    with pytest.warns(UserWarning, match="2 warnings") as caught:
        assert storysift.dedup(records) == want
    message = str(caught[0].message)
    assert "utf8_repaired" in message and "unparsed_date" in message
    with pytest.warns(UserWarning):
        assert storysift.cluster(records) == run_cli("cluster", str(path))
    # The streaming stage reads a record the same way.
    d = storysift.Deduplicator()
    with pytest.warns(UserWarning, match="utf8_repaired"):
        assert d.add(records[1])["is_new"]
    assert d.add(records[2])["is_new"] and "b" in d


def test_other_lone_surrogates_become_replacement_characters_with_a_warning():
    record = {"id": "x\ud800", "text": text(1) + " \udfff", "\udce9": "a key is just not matched"}
    with pytest.warns(UserWarning, match="(?s)1 warning.*utf8_repaired"):
        out = storysift.dedup([record])
    assert out[0]["id"] == "x\ufffd\ufffd\ufffd" and out[0]["role"] == "unique"


def test_a_mapping_or_list_date_is_counted_as_the_cli_counts_it(tmp_path):
    records = [{"id": "a", "text": text(1), "date": {"y": 2017}},
               {"id": "b", "text": text(2), "date": ["2017-03-02"]},
               {"id": "c", "text": text(3), "date": {"y": 2017}, "published": "2017-03-02"}]
    path = tmp_path / "dates.jsonl"
    report = tmp_path / "report.json"
    run_cli("dedup", as_jsonl(records, path), "--report", str(report))
    cli = [w["origin"] for w in json.loads(report.read_text())["warnings"]]
    assert cli == [f"{path}:1", f"{path}:2"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        storysift.dedup(records)
    said = " ".join(str(w.message) for w in caught)
    assert "records:1" in said or "'a'" in said or "a:" in said, said
    with pytest.raises(ValueError):
        storysift.dedup(records, strict=True)
    storysift.dedup(records[2:], strict=True)  # A later name holds the date.


def test_text_arguments_with_lone_surrogates_are_repaired_as_records_are(tmp_path):
    """normalize and minhash take a surrogate-escaped str as the bytes it
    stands for, made UTF-8 as the CLI makes them (Windows-1252 é), and warn
    where a byte became U+FFFD, as a record's text does."""
    path = tmp_path / "cp1252.jsonl"
    records = write_undecodable(path)
    escaped, undefined = records[0]["text"], records[1]["text"]
    decoded = escaped.replace("\udce9", "\u00e9")
    cli = run_cli("normalize", str(path), "--json")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Windows-1252 reads é: nothing to warn of.
        assert storysift.normalize(escaped) == storysift.normalize(decoded)
        assert storysift.normalize(escaped.encode("utf-8", "surrogateescape")) == \
            storysift.normalize(decoded)
        assert (storysift.minhash([escaped, decoded])[0] ==
                storysift.minhash(decoded)).all()
    assert storysift.normalize(decoded)["clean"] == cli[0]["clean"]
    with pytest.warns(UserWarning, match="utf8_repaired"):
        got = storysift.normalize(undefined)
    assert got["clean"] == cli[1]["clean"] and "\ufffd" in got["clean"]
    with pytest.warns(UserWarning, match="utf8_repaired"):
        signatures = storysift.minhash([undefined, decoded])
    assert (signatures[0] == storysift.minhash(undefined.replace("\udc81", "\ufffd"))).all()
    with pytest.raises(TypeError, match="text must be str"):
        storysift.normalize(7)
    with pytest.raises(TypeError, match="texts must be str"):
        storysift.minhash([decoded, 7])


def test_id_arguments_with_lone_surrogates_name_the_record_added():
    """contains, remove and story_of read an id as add() read it from the
    record: a surrogate-escaped byte as Windows-1252, another lone surrogate
    as U+FFFD."""
    d = storysift.Deduplicator()
    with pytest.warns(UserWarning, match="utf8_repaired"):
        d.add({"id": "x\ud800", "text": text(1)})
    d.add({"id": "caf\udce9", "text": text(2)})
    assert "caf\udce9" in d and "caf\u00e9" in d and "x\ud800" in d
    assert "caf\udce8" not in d
    assert d.remove("caf\udce9") == 1 and "caf\u00e9" not in d
    assert d.remove("x\ud800") == 1 and len(d) == 0
    with pytest.raises(KeyError):
        d.remove("caf\udce9")
    s = storysift.StoryAssigner()
    s.add({"id": "caf\udce9", "text": text(3)})
    assert "caf\udce9" in s
    assert s.story_of("caf\udce9") == s.story_of("caf\u00e9") is not None
    s.remove("caf\udce9")
    assert s.story_of("caf\u00e9") is None


def test_bytes_values_in_records_are_read_as_those_bytes(tmp_path):
    """A bytes text was a missing_text skip and a bytes id gave way to the
    positional one without a word: they are read as the bytes are in a file
    (UTF-8, else Windows-1252), as the CLI reads the same bytes."""
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(b'{"id": "caf\xe9", "title": "Caf\xe9 news", "text": "' +
                     text(1).encode() + b' caf\xe9", "date": "2020-01-05"}\n')
    want = run_cli("cluster", str(path))
    record = {"id": b"caf\xe9", "title": b"Caf\xe9 news",
              "text": text(1).encode() + b" caf\xe9", "date": b"2020-01-05"}
    with warnings.catch_warnings():
        # A Windows-1252 read is counted, not warned of (no --strict
        # failure), as for a surrogate-escaped str.
        warnings.simplefilter("error")
        got = storysift.cluster([record], strict=True)
        assert storysift.dedup([{"id": b"k1", "text": text(2).encode()}])[0]["id"] == "k1"
        s = storysift.StoryAssigner()
        assert s.add(record)["is_new_story"]
    assert got == want
    assert got[0]["articles"][0]["id"] == "caf\u00e9"
    assert got[0]["first_published"] == "2020-01-05T00:00:00Z"
    assert "caf\u00e9" in s and b"caf\xe9" in s


def test_a_dataframe_with_a_read_column_twice_is_refused_naming_it():
    """It raised AttributeError ('DataFrame' object has no attribute
    'tolist'); the CLI refuses a CSV header id,text,text naming the column."""
    frame = pd.DataFrame([["1", text(1), text(2)]], columns=["id", "text", "text"])
    for call in (storysift.dedup, storysift.cluster):
        with pytest.raises(ValueError, match=r"names column 'text' more than once: "
                                             r"columns 2 \('text'\), 3 \('text'\)"):
            call(frame)
    # 7 and "7" are one name to a record; a named field counts, not its aliases.
    body = pd.DataFrame([[text(1), text(1), text(2)]], columns=["body", 7, "7"])
    with pytest.raises(ValueError, match="names column '7' more than once"):
        storysift.dedup(body, text_field="7")
    assert storysift.dedup(body)["id"].tolist() == ["records:1"]  # "7" is not read.
