"""Hypothesis strategies the reliability tests share: hostile JSON values (lone surrogates, NaN,
numbers no encoder writes, integers past 64 bits), deep nesting, and search criteria text.

A hostile value is one a client can really send: everything here goes over the wire as JSON text that
Python's own ``json`` module writes (``NaN``, ``Infinity``, ``"\\ud800"``) or as a literal spliced into
that text (``raw("1e400")``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from tests.reliability import hypothesis_settings  # noqa: F401  (first: Hypothesis' caches go to a temp folder)

# --- text and scalars ---------------------------------------------------------------------------
SURROGATES = st.characters(categories=["Cs"])  # "\ud800": valid in a JSON escape, not in UTF-8
CHARACTERS = st.one_of(st.characters(), SURROGATES)

# Integers well past 64 bits, but not so large that Hypothesis' report of a failure is mostly digits.
BIG_INTS = st.integers(-(2**200), 2**200)
EDGE_INTS = (0, -1, 2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30, -(10**30))
EDGE_FLOATS = (math.nan, math.inf, -math.inf, -0.0, 5e-324, 1.7976931348623157e308)
# Literals Python's encoder never writes, but a client's may: out of double range, beyond 64 bits.
RAW_NUMBERS = ("1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0.0e-0", "1E+308", "0.1e999999999")
# Strings that look like numbers, dates or booleans to a lenient converter.
LOOKALIKES = (
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1e400",
    "1_000",
    "0x1A",
    "١٢٣",
    " 42 ",
    "4e2",
    "9" * 40,
    "2024-02-30",
    "9999-12-31",
    "0000-01-01",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+14:00",
    "2024-01-31T10:20:30+25:00",
    "true",
    "",
)

_RAW_MARK = "\x00raw:"


def raw(literal: str) -> str:
    """A placeholder ``dumps`` writes as the bare JSON literal ``literal`` (e.g. ``1e400``)."""
    return f"{_RAW_MARK}{literal}\x00"


_RAW_IN_JSON = re.compile(r'"\\u0000raw:([^"\\]*)\\u0000"')


def dumps(value: Any) -> bytes:
    """JSON text as a Python client writes it (NaN, Infinity, ``\\ud800`` escapes), with ``raw``
    placeholders replaced by their literals."""
    return _RAW_IN_JSON.sub(r"\1", json.dumps(value)).encode()


def hostile_text(max_size: int = 20) -> st.SearchStrategy[str]:
    return st.one_of(st.text(CHARACTERS, max_size=max_size), st.sampled_from(LOOKALIKES))


def hostile_scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        BIG_INTS,
        st.sampled_from(EDGE_INTS),
        st.floats(),
        st.sampled_from(EDGE_FLOATS),
        st.sampled_from(RAW_NUMBERS).map(raw),
        hostile_text(),
    )


def json_values(scalars: st.SearchStrategy[Any] | None = None, max_leaves: int = 10) -> st.SearchStrategy[Any]:
    """Scalars, lists and objects nested a few levels."""
    return st.recursive(
        scalars if scalars is not None else hostile_scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(hostile_text(8), children, max_size=4)
        ),
        max_leaves=max_leaves,
    )


def jsonish_bytes(max_pieces: int = 40) -> st.SearchStrategy[bytes]:
    """Byte strings near JSON: its punctuation, literals, escapes and raw pieces in any order
    (a byte order mark, an encoded surrogate, a NUL)."""
    pieces = [b"{", b"}", b"[", b"]", b'"', b":", b",", b"\\", b"\\u", b"d800", b"1", b"e400", b"-", b"."]
    oddities = [b"NaN", b"Infinity", b"true", b"null", b" ", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\x00"]
    return st.lists(st.sampled_from(pieces + oddities), max_size=max_pieces).map(b"".join)


# --- nesting ---------------------------------------------------------------------------------------
def nested_json(max_depth: int = 6000) -> st.SearchStrategy[bytes]:
    """Arrays or objects ``depth`` levels deep: closed, left open, or closed with an extra bracket."""
    return st.builds(_nest, st.integers(0, max_depth), st.sampled_from(["array", "object"]), st.integers(-1, 1))


def _nest(depth: int, kind: str, closing: int) -> bytes:
    opener, closer = (b"[", b"]") if kind == "array" else (b'{"a":', b"}")
    inner = b"1" if kind == "object" else b""
    return b'{"data":' + opener * depth + inner + closer * max(0, depth + closing) + b"}"


# --- search criteria -------------------------------------------------------------------------------
CRITERIA_ALPHABET = st.one_of(st.sampled_from("()\\,: andorANDOR\t"), CHARACTERS)
CRITERIA_VALUES = (
    "x",
    "ABC Inc.",
    "a\\,b",
    "\\(x\\)",
    "\\\\",
    "1,2",
    "5",
    "-1.5",
    "1e400",
    "NaN",
    "2024-01-31",
    "2024-01-31T10:20:30+05:30",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+14:00",
    "true",
    "1234567000000000001",
    "99999999999999999999999",
    "555-123",
    "a@b.co",
)


def criteria_values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(CRITERIA_VALUES), st.text(CHARACTERS, max_size=12))


def conditions(fields: Sequence[str], operators: Sequence[str]) -> st.SearchStrategy[str]:
    """``(field:operator:value)`` from real names and a few wrong ones, spaces here and there."""
    names = st.one_of(st.sampled_from([*fields, "Nope", "Owner.id", "Owner.name", "a b", ""]), st.text(max_size=6))
    ops = st.one_of(st.sampled_from([*operators, "EQUALS", "equal", "in ", ""]), st.text(max_size=6))
    values = st.lists(criteria_values(), min_size=1, max_size=3).map(",".join)
    space = st.sampled_from(["", " ", "  "])
    return st.builds(lambda s, f, o, v: f"({s}{f}:{o}:{v}{s})", space, names, ops, values)


def criteria(fields: Sequence[str], operators: Sequence[str]) -> st.SearchStrategy[str]:
    """Near-valid criteria: conditions grouped by ``and``/``or`` (any case), nested a few levels."""
    joiner = st.sampled_from(["and", "or", "AND", " Or ", "and ", "xor", ""])

    def group(parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda items, joins: "(" + "".join(p + j for p, j in zip(items, joins, strict=False)) + items[-1] + ")",
            st.lists(parts, min_size=1, max_size=4),
            st.lists(joiner, min_size=3, max_size=3),
        )

    return st.recursive(conditions(fields, operators), group, max_leaves=12)


def mutated(texts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A text with one character inserted, deleted or replaced somewhere."""
    return st.builds(
        _mutate, texts, st.integers(0, 10**6), st.sampled_from(["insert", "delete", "replace"]), CRITERIA_ALPHABET
    )


def _mutate(text: str, where: int, how: str, char: str) -> str:
    at = where % (len(text) + 1)
    if how == "insert":
        return text[:at] + char + text[at:]
    if how == "delete":
        return text[:at] + text[at + 1 :]
    return text[:at] + char + text[at + 1 :]


def deep_criteria(condition: str, max_depth: int) -> st.SearchStrategy[str]:
    """``condition`` inside ``depth`` parentheses (balanced, one short, one over), or ``depth`` groups
    each joining it to the next."""
    return st.builds(
        _deepen, st.just(condition), st.integers(0, max_depth), st.sampled_from(["even", "short", "over", "chain"])
    )


def _deepen(condition: str, depth: int, shape: str) -> str:
    if shape == "chain":  # ((c)and((c)and(c)))
        return f"(({condition})and" * depth + f"({condition})" + ")" * depth
    closing = {"even": depth, "short": depth - 1, "over": depth + 1}[shape]
    return "(" * depth + condition + ")" * max(0, closing)


# --- values of a field type ------------------------------------------------------------------------
_OFFSETS = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(
    lambda m: f"{'-' if m < 0 else '+'}{abs(m) // 60:02}:{abs(m) % 60:02}"
)
_NUMBERS = st.one_of(BIG_INTS, st.sampled_from(EDGE_INTS), st.floats(allow_nan=False, allow_infinity=False))


def typed_texts(data_type: str) -> st.SearchStrategy[str]:
    """Text a value of ``data_type`` is written as, from everyday to extreme (year 9999 with an
    offset, numbers past 64 bits), and now and then any text at all."""
    by_type: dict[str, st.SearchStrategy[str]] = {
        "date": st.dates().map(lambda d: d.isoformat()),
        "datetime": st.builds(lambda d, z: d.isoformat(timespec="seconds") + z, st.datetimes(), _OFFSETS),
        "boolean": st.sampled_from(["true", "false", "TRUE"]),
        "lookup": st.integers(0, 2**64).map(str),
        "ownerlookup": st.integers(0, 2**64).map(str),
        "userlookup": st.integers(0, 2**64).map(str),
    }
    numeric = ("integer", "bigint", "long", "double", "currency", "percent")
    everyday = _NUMBERS.map(str) if data_type in numeric else by_type.get(data_type, hostile_text())
    return st.one_of(everyday, st.sampled_from(LOOKALIKES))


_TEXTS = ("text", "textarea", "mediumtext", "phone", "picklist", "email", "website")
_NUMERIC = ("integer", "bigint", "long", "double", "currency", "percent")


def typed_values(data_type: str) -> st.SearchStrategy[Any]:
    """JSON values a client writes for a field of ``data_type``: three times in five what the type
    takes, at its edges (text with lone surrogates; numbers with NaN, Infinity and ``1e400``; the
    first and last days of the calendar), else anything."""
    if data_type in _TEXTS:
        likely = hostile_text()
    elif data_type in _NUMERIC:
        likely = st.one_of(_NUMBERS, st.sampled_from(EDGE_FLOATS), st.sampled_from(RAW_NUMBERS).map(raw))
    elif data_type == "boolean":
        likely = st.booleans()
    elif data_type in ("lookup", "ownerlookup", "userlookup"):
        likely = typed_texts(data_type).map(lambda text: {"id": text})
    elif data_type == "multiselectpicklist":
        likely = st.lists(hostile_text(), max_size=3)
    else:
        likely = typed_texts(data_type)
    return st.one_of(likely, likely, likely, json_values(max_leaves=4), st.sampled_from(LOOKALIKES))
