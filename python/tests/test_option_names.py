"""The binding's keyword options are the CLI's flags (--num-perm is num_perm):
a flag added to one and missing from the other fails here."""

import os
import re
import subprocess

import pytest
import storysift
from conftest import CLI

# Flags about the CLI's own outputs and terminal, which a Python caller gets
# as return values instead, and the daily state run's (the binding has no
# state run).
CLI_ONLY = {"help", "output", "report", "quiet", "progress", "allow_empty", "pairs", "explain",
            "keep_first", "html", "format", "min_size", "state", "retention_days", "wait",
            "accept_option_change"}
# Flags about reading files: storysift.dask.dedup_files takes them; calls on
# records refuse them (records are read as given).
FILE_ONLY = {"input_format", "encoding", "max_line_bytes"}


def cli_flags(command):
    if not os.path.exists(CLI):
        pytest.skip("STORYSIFT_CLI is not set")
    text = subprocess.run([CLI, command, "--help"], check=True, capture_output=True,
                          text=True).stdout
    return {m.replace("-", "_") for m in re.findall(r"--([a-z][a-z0-9-]+)", text)}


def python_options(call):
    with pytest.raises(TypeError) as error:
        call([{"text": "a"}], no_such_option=1)
    return set(str(error.value).split("known: ", 1)[1].split(", "))


@pytest.mark.parametrize("command,call", [("dedup", storysift.dedup),
                                          ("cluster", storysift.cluster)])
def test_keywords_are_the_cli_flags(command, call):
    flags = cli_flags(command) - CLI_ONLY
    assert len(flags) > 20
    assert FILE_ONLY <= flags
    assert python_options(call) == flags - FILE_ONLY
    for option in sorted(FILE_ONLY):
        with pytest.raises(TypeError, match=f"'{option}' is for reading files"):
            call([{"text": "a"}], **{option: "csv" if option == "input_format" else 1})
    with pytest.raises(TypeError, match="'encoding' is for reading files"):
        storysift.Deduplicator(encoding="windows-1252")
