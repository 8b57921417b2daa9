"""The words a search index keeps of a record's text (the ``record_words`` table), written with every
record write so that ``equals``/``starts_with`` on word-indexed fields, and the ``email`` search
param, are index lookups (resources/search reads them).

Text is cut into words at spaces and punctuation; ``.`` and ``'`` only split when not between
letters or digits; words are lower-cased (resources/search/rules.py describes the matching).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from zcrm_emulator.record_model.field_types import compared_type

_WORD = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")
# The same words of lower-cased ASCII text (where lower-casing first changes no character's class):
# every record's emails go through here, and this is about 2.5x faster.
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")

# Field types whose words are kept: email fields, what clients search most.
WORD_INDEXED_TYPES = ("email",)
WORD_MAX_LENGTH = 255  # record_words.word


def words(text: str) -> tuple[str, ...]:
    """The words a search index keeps of a text value (lower-cased).

    ``str.lower`` rather than ``casefold``: it never turns a non-ASCII letter into ASCII ones (``ß``
    stays ``ß``), so an ASCII word found here is also found by SQL ``lower(...) LIKE``."""
    if text.isascii():
        return tuple(_ASCII_WORD.findall(text.lower()))
    return tuple(match.group().lower() for match in _WORD.finditer(text))


def word_indexed_fields(fields: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    """The fields (by api name) whose words the index keeps."""
    return tuple(name for name, field in fields.items() if compared_type(field) in WORD_INDEXED_TYPES)


def indexed_words(names: Iterable[str], data: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The words the index keeps for a record's stored values: ``{field: words in order}``."""
    kept: dict[str, tuple[str, ...]] = {}
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and (found := words(value)):
            kept[name] = tuple(word[:WORD_MAX_LENGTH] for word in found)
    return kept
