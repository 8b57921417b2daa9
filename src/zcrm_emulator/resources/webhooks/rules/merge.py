"""Merge tokens: ``${!<Module>.<Field_API_Name>}`` in a webhook's URL, raw body, module parameters and
user-defined parameters (AUTOMATION.md §2.2, §8 #1), e.g. ``${!Leads.Email}`` or ``${!Leads.Id}``.

The module is the webhook's own, by api name; the field one of its fields by api name (both in any
case, since Zoho's own example writes ``Id`` for the ``id`` field). Anything else that opens with
``${`` — another module, an unknown field, the ``${Leads.Email}`` form without ``!`` — is INVALID_DATA
"Unsupported fields are present" on the key that holds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from zcrm_emulator.errors import Message
from zcrm_emulator.resources.webhooks.rules import checks

OPENING = "${"
TOKEN = re.compile(r"\$\{!([A-Za-z0-9_]+)\.([A-Za-z0-9_$]+)\}")


@dataclass(frozen=True)
class MergeFields:
    """What tokens may name: the webhook's module and its fields (case-folded api name -> api name)."""

    module: str
    fields: Mapping[str, str]

    @classmethod
    def of(cls, module: str, field_names: Iterable[str]) -> MergeFields:
        return cls(module, {name.casefold(): name for name in field_names})

    def field_of(self, match: re.Match[str]) -> str | None:
        """The api name a token names, or None when it names no field of the module."""
        if match.group(1).casefold() != self.module.casefold():
            return None
        return self.fields.get(match.group(2).casefold())


def check(text: str, fields: MergeFields, path: str, key: str, *, required: bool = False) -> None:
    """Every ``${`` in ``text`` opens a token naming a field of the module (and, when ``required``,
    there is at least one), else INVALID_DATA "Unsupported fields are present" on ``key``."""
    found, position = 0, 0
    while (start := text.find(OPENING, position)) != -1:
        match = TOKEN.match(text, start)
        if match is None or fields.field_of(match) is None:
            raise checks.invalid(path, key, Message.WEBHOOK_MERGE_FIELD_UNSUPPORTED)
        found, position = found + 1, match.end()
    if required and not found:
        raise checks.invalid(path, key, Message.WEBHOOK_MERGE_FIELD_UNSUPPORTED)


def resolve(text: str, fields: MergeFields, value_of: Callable[[str], str], escape: Callable[[str], str]) -> str:
    """``text`` with each token replaced by its field's value, escaped for where it goes. A token
    whose field has gone since the webhook was saved resolves to nothing."""

    def fill(match: re.Match[str]) -> str:
        name = fields.field_of(match)
        return escape(value_of(name)) if name is not None else ""

    return TOKEN.sub(fill, text)
