"""The example project of docs/testing-your-integration.md: every fenced block whose first line is a
comment naming a file (``# test_first.py``) is that file."""

from __future__ import annotations

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "testing-your-integration.md"
_BLOCK = re.compile(r"^```[a-z]*\n# (?P<name>[\w./-]+\.(?:py|ini))\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def example_files() -> dict[str, str]:
    """File name -> content (the naming comment kept: it is a comment in both Python and ini)."""
    files: dict[str, str] = {}
    for block in _BLOCK.finditer(GUIDE.read_text()):
        name = block["name"]
        assert name not in files, f"the guide names {name} twice"
        files[name] = f"# {name}\n{block['body']}"
    return files


def count_tests(files: dict[str, str]) -> int:
    """How many tests the example project has."""
    return sum(len(re.findall(r"^def test_", body, re.MULTILINE)) for body in files.values())
