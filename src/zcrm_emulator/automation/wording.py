"""The validation engine's errors in each automation API's own words.

The engine (validation.py) answers INVALID_DATA "invalid data" and MANDATORY_NOT_FOUND "required
field not found"; Zoho's automation APIs word the same situations their own way, and differently
per API (OASx examples): a wrong JSON type is "Invalid data type", a too-long value "value too
long" (workflow rules), "Invalid data" (field updates) or "The field given seems to be invalid"
(automation tasks), a missing key "Required field is missing". ``reworded`` keeps code and details
and swaps the message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from zcrm_emulator.errors import CATALOG, Message, ZohoError


@dataclass(frozen=True)
class Wording:
    """Each situation's message; None keeps the catalogue's ("invalid data")."""

    wrong_type: Message | None = Message.INVALID_DATA_TYPE
    too_long: Message | None = Message.INVALID_DATA_CAPITAL
    not_supported: Message | None = Message.INVALID_DATA_CAPITAL  # a value outside ``supported_values``
    missing: Message | None = Message.REQUIRED_FIELD_MISSING


RULES = Wording(too_long=Message.VALUE_TOO_LONG, not_supported=None)
FIELD_UPDATES = Wording()
TASKS = Wording(too_long=Message.TASK_FIELD_INVALID)


def _message_for(error: ZohoError, wording: Wording) -> Message | None:
    details = error.details
    if error.code == "MANDATORY_NOT_FOUND":
        return wording.missing
    if error.code != "INVALID_DATA":
        return None
    if "expected_data_type" in details:
        return wording.wrong_type
    if "maximum_length" in details:
        return wording.too_long
    if "supported_values" in details:
        return wording.not_supported
    return None


def _reworded(error: ZohoError, wording: Wording) -> ZohoError:
    if error.message != CATALOG[error.code].message:
        return error  # the rule already chose Zoho's message for this situation
    message = _message_for(error, wording)
    return error if message is None else ZohoError(error.code, error.details, message, status=error.status)


@contextmanager
def reworded(wording: Wording) -> Iterator[None]:
    """Errors raised in the block leave it in ``wording``'s words."""
    try:
        yield
    except ZohoError as error:
        replacement = _reworded(error, wording)
        if replacement is error:
            raise
        raise replacement from None
