"""The error catalogue is the only source of codes and messages (errors.py): every code a raise site
names is in it, and every message comes from ``Message``."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from zcrm_emulator.errors import CATALOG, ErrorCode, Message, ZohoError

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zcrm_emulator"


def raise_sites() -> list[tuple[str, ast.Call]]:
    sites = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ZohoError":
                sites.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", node))
    return sites


def test_the_code_type_and_the_catalogue_hold_the_same_codes() -> None:
    assert set(get_args(ErrorCode)) == set(CATALOG)


def test_every_code_raised_by_name_is_in_the_catalogue() -> None:
    unknown = [
        f"{where}: {node.args[0].value}"
        for where, node in raise_sites()
        if node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value not in CATALOG
    ]
    assert unknown == []


def test_no_raise_site_writes_its_own_message() -> None:
    """A message is a ``Message`` member or a name holding one, never a string literal or f-string."""
    own = [
        where
        for where, node in raise_sites()
        for message in [*node.args[2:3], *(k.value for k in node.keywords if k.arg == "message")]
        if isinstance(message, ast.Constant | ast.JoinedStr)
    ]
    assert own == []


def test_a_message_with_fields_is_filled() -> None:
    error = ZohoError("INVALID_DATA", {}, Message.MERGE_FIELD_INVALID, merge_field="{Lead.Nope}")
    assert error.message == "the merge field {Lead.Nope} is invalid"
    assert ZohoError("INVALID_DATA").message == "invalid data"


def test_an_unknown_code_is_a_bug_not_a_client_error() -> None:
    with pytest.raises(KeyError):
        ZohoError("NO_SUCH_CODE")  # type: ignore[arg-type]
