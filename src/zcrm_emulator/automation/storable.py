"""What the automation APIs keep as sent (an email notification's own keys, an inline action's
``details``, criteria values, relational criteria) must be storable: text without lone UTF-16
surrogates, numbers finite and within a Java ``long``, as the validation engine asks of the keys it
knows (validation.py). The first value that is not is INVALID_DATA for the top-level key holding it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.validation import Invalid, finite_number, unpaired_surrogate


def _fine(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if unpaired_surrogate(item):
                return False
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int | float):
            try:
                finite_number(item)
            except Invalid:
                return False
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def check(item: Any, json_path: str) -> None:
    """INVALID_DATA ``{api_name, json_path}`` for the first top-level key of ``item`` holding a value
    no store can keep."""
    if not isinstance(item, Mapping):
        return
    for key, value in item.items():
        if not _fine(key) or not _fine(value):
            name = key if isinstance(key, str) and not unpaired_surrogate(key) else "\\ud800"
            raise ZohoError("INVALID_DATA", {"api_name": name, "json_path": f"{json_path}.{name}"})
