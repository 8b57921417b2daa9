"""The small checks every key of a webhook goes through, each with the error Zoho's examples show
for it (OASx createWebhooks): a missing key is MANDATORY_NOT_FOUND "Required field is missing", a
value of the wrong JSON type INVALID_DATA "Invalid data type" with ``expected_data_type``, a long
one INVALID_DATA "Invalid data" with ``maximum_length``, an array past its limit LIMIT_EXCEEDED
"can't pass more than the limit". Every error names the key and its JSON path (``$.webhooks[0]…``).

Text anywhere must be valid Unicode (no lone surrogate): no store and no UTF-8 reply can hold one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import at, holds_unpaired_surrogate


def missing(path: str, key: str, message: Message = Message.WEBHOOK_FIELD_MISSING) -> ZohoError:
    return ZohoError("MANDATORY_NOT_FOUND", at(path, key), message)


def wrong_type(path: str, key: str, expected: str) -> ZohoError:
    return ZohoError("INVALID_DATA", at(path, key, expected_data_type=expected), Message.WEBHOOK_DATA_TYPE)


def invalid(path: str, key: str, message: Message = Message.WEBHOOK_DATA_INVALID, **extra: Any) -> ZohoError:
    return ZohoError("INVALID_DATA", at(path, key, **extra), message)


def absent(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def text(
    item: Mapping[str, Any],
    key: str,
    path: str,
    *,
    max_length: int,
    mandatory: bool = False,
    missing_message: Message = Message.WEBHOOK_FIELD_MISSING,
    long_message: Message = Message.WEBHOOK_DATA_INVALID,
) -> str | None:
    """A string key: None when absent (MANDATORY_NOT_FOUND when ``mandatory``)."""
    value = item.get(key)
    if value is None or (mandatory and isinstance(value, str) and not value.strip()):
        if mandatory:
            raise missing(path, key, missing_message)
        return None
    if not isinstance(value, str) or holds_unpaired_surrogate(value):
        raise wrong_type(path, key, "text")
    if len(value) > max_length:
        raise invalid(path, key, long_message, maximum_length=max_length)
    return value


def choice(item: Mapping[str, Any], key: str, path: str, choices: tuple[str, ...], message: Message) -> str | None:
    """A string key with a closed list of values (``message`` for any other value); None when absent."""
    value = text(item, key, path, max_length=255)
    if value is not None and value not in choices:
        raise invalid(path, key, message)
    return value


def obj(item: Mapping[str, Any], key: str, path: str, *, mandatory: bool = False) -> dict[str, Any] | None:
    """An object key: None when absent or null (MANDATORY_NOT_FOUND when ``mandatory``)."""
    value = item.get(key)
    if value is None:
        if mandatory:
            raise missing(path, key)
        return None
    if not isinstance(value, dict):
        raise wrong_type(path, key, "jsonobject")
    return value


def array(item: Mapping[str, Any], key: str, path: str, *, limit: int) -> list[Any]:
    """An array key ([] when absent or null); LIMIT_EXCEEDED past ``limit`` items."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise wrong_type(path, key, "jsonarray")
    if len(value) > limit:
        raise ZohoError("LIMIT_EXCEEDED", at(path, key, limit=limit), Message.WEBHOOK_LIMIT)
    return value
