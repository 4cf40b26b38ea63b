"""storysift.dedup / cluster on records in Python equal the CLI on the file."""

import json

import storysift
from conftest import run_cli, without_origin


def test_dedup_of_records_equals_the_cli(corpus):
    out = storysift.dedup(corpus["records"])
    expected = run_cli("dedup", *corpus["parts"])
    assert without_origin(out) == without_origin(expected)
    assert sum(r["role"] == "copy" for r in out) > 500  # The planted copies are found.


def test_cluster_of_records_equals_the_cli(corpus):
    records = [r for r in corpus["records"] if isinstance(r, dict)]
    assert storysift.cluster(records, threads=2) == run_cli("cluster", *corpus["parts"])


def test_simhash_and_named_settings_equal_the_cli(corpus):
    # threshold -> max_hamming for simhash, keep and grouping by name: one
    # mapping (storysift/job_options.h) behind both.
    out = storysift.dedup(corpus["records"], method="simhash", threshold=0.9, keep="longest",
                          grouping="components")
    expected = run_cli("dedup", "--method", "simhash", "--threshold", "0.9", "--keep", "longest",
                       "--grouping", "components", *corpus["parts"])
    assert without_origin(out) == without_origin(expected)
