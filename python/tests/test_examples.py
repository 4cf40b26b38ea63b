"""examples/python run and print what they promise."""

import os
import subprocess
import sys

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "python")


def test_dataframe_example_finds_the_copy_and_two_stories():
    done = subprocess.run([sys.executable, os.path.join(EXAMPLES, "dedup_dataframe.py")],
                          check=True, capture_output=True, text=True)
    assert "a2                a1" in done.stdout  # a2 is a copy of a1.
    assert "2 stories" in done.stdout
