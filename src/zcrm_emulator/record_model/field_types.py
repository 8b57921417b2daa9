"""Record field data types (REFERENCE §3.2 "Data types"): how a value of each Zoho ``data_type`` is
checked and normalized on input, and what kind of reference it holds.

Each type is registered in the one validation engine as ``validation.TYPES["field:<data_type>"]``;
``meta.build_spec`` turns a module's field metadata into ``Key``s of those types. Stored values are
the normalized ones (repo.py describes the storage forms); lookups keep only the target id and are
rendered with the target's current name when read (render.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model.file_fields import sent_entries
from zcrm_emulator.validation import LONG, Invalid, TypeCheck, finite_number, register_type

PREFIX = "field:"

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_WEBSITE = re.compile(
    rf"(?i)(?:(?:https?|ftp)://)?(?:{_LABEL}(?:\.{_LABEL})+|localhost)(?::\d{{1,5}})?(?:[/?#]\S*)?",
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
INT32 = (-(2**31), 2**31 - 1)


def _text(value: Any) -> str:
    """Text-like fields take strings; JSON numbers are taken as their text, as Zoho does."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise Invalid


def _email(value: Any) -> str:
    if not isinstance(value, str) or not _EMAIL.fullmatch(value.strip()):
        raise Invalid
    return value.strip()


def _website(value: Any) -> str:
    if not isinstance(value, str) or not _WEBSITE.fullmatch(value.strip()):
        raise Invalid
    return value.strip()


def _integer(value: Any) -> int:
    if isinstance(value, str) and len(value) <= 40 and _INTEGER.fullmatch(value.strip()):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not INT32[0] <= value <= INT32[1]:
        raise Invalid
    return value


def _bigint(value: Any) -> str:
    """Long integers: JSON number or digit string in, digit string out (as ``json_type`` says); a
    Java ``long`` at most (the digit count is checked before ``int()``, which refuses 4,300 digits)."""
    if isinstance(value, str) and len(value) <= 40 and _INTEGER.fullmatch(value.strip()):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not LONG[0] <= value <= LONG[1]:
        raise Invalid
    return str(value)


def _decimal(value: Any) -> int | float:
    """Numbers (double, currency, percent): finite, and whole ones within a ``long`` (``1e400``,
    NaN and Infinity, which the body reader keeps, are not numbers Zoho can store)."""
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        number = float(value)
        value = int(number) if number.is_integer() and "." not in value and abs(number) < 2**63 else number
    return finite_number(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid
    return value


def _date(value: Any) -> str:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise Invalid
    try:
        date.fromisoformat(value)
    except ValueError:
        raise Invalid from None
    return value


# Moments every zone (offsets up to ±14 h) can show within years 1-9999: a day's margin at both ends.
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def _datetime(value: Any) -> str:
    """ISO 8601 with an offset (``Z`` accepted); stored in UTC as ``yyyy-MM-ddTHH:mm:ss+00:00``."""
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise Invalid
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError):  # no such date, or its offset moves it past year 1 or 9999
        raise Invalid from None
    if not _EARLIEST <= moment <= _LATEST:
        raise Invalid
    return moment.replace(microsecond=0).isoformat()


def _reference(value: Any) -> str:
    """Lookups are written as ``{"id": …}`` (other keys such as ``name`` are ignored) or a bare id."""
    if isinstance(value, dict):
        value = value.get("id")
    normalized = normalize_id(value)
    if normalized is None:
        raise Invalid
    return normalized


def _string_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid
    return value


def _array(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid
    return value


TAG_NAME_MAX = 25  # tags.json: Tag.name maxLength


def _tags(value: Any) -> list[dict[str, str]]:
    """``Tag``: ``[{"name": "…"}]`` (other keys such as ``id`` are ignored), names of 1-25 chars."""
    if not isinstance(value, list):
        raise Invalid
    tags: list[dict[str, str]] = []
    for tag in value:
        name = tag.get("name") if isinstance(tag, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > TAG_NAME_MAX:
            raise Invalid
        if all(t["name"].lower() != name.strip().lower() for t in tags):
            tags.append({"name": name.strip()})
    return tags


def _users(value: Any) -> list[str]:
    """A multi-user lookup (Services' Members): rows as Zoho reads them back, ``[{"Members": {"id":
    …}}]``, or ``[{"id": …}]``, or bare ids; stored as the list of user ids, each once."""
    if not isinstance(value, list):
        raise Invalid
    found: list[str] = []
    for row in value:
        if isinstance(row, dict):
            nested = [v for v in row.values() if isinstance(v, dict) and "id" in v]
            row = nested[0]["id"] if nested else row.get("id")
        user_id = normalize_id(row)
        if user_id is None:
            raise Invalid
        if user_id not in found:
            found.append(user_id)
    return found


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid
    return value


@dataclass(frozen=True)
class FieldType:
    """One Zoho ``data_type``: its checker and how ``meta.build_spec`` treats its field."""

    name: str
    expected: str  # Zoho's ``expected_data_type`` in INVALID_DATA details
    convert: Callable[[Any], Any]
    length: str | None = None  # "chars" (text length) or "digits" (numbers) bound by the field's length
    reference: str | None = None  # what the id points at: "record", "user", "layout"
    keyed: bool = False  # its values get an indexed normalized copy (record_keys)
    server_set: bool = False  # values come from the server only (autonumber, formula …)

    @property
    def check_name(self) -> str:
        return PREFIX + self.name


FIELD_TYPES: dict[str, FieldType] = {
    t.name: t
    for t in (
        FieldType("text", "text", _text, length="chars"),
        FieldType("textarea", "text", _text, length="chars"),
        FieldType("mediumtext", "text", _text, length="chars"),
        FieldType("email", "email", _email, length="chars", keyed=True),
        FieldType("phone", "phone", _text, length="chars", keyed=True),
        FieldType("website", "website", _website, length="chars"),
        FieldType("picklist", "text", _text),
        FieldType("multiselectpicklist", "jsonarray", _string_list),
        FieldType("integer", "integer", _integer, length="digits"),
        FieldType("bigint", "bigint", _bigint),
        FieldType("long", "bigint", _bigint),
        FieldType("double", "double", _decimal, length="digits"),
        FieldType("currency", "double", _decimal, length="digits"),
        FieldType("percent", "double", _decimal, length="digits"),
        FieldType("boolean", "boolean", _boolean),
        FieldType("date", "date", _date),
        FieldType("datetime", "datetime", _datetime),
        FieldType("lookup", "jsonobject", _reference, reference="record"),
        FieldType("ownerlookup", "jsonobject", _reference, reference="user"),
        FieldType("userlookup", "jsonobject", _reference, reference="user"),
        FieldType("multiuserlookup", "jsonarray", _users),
        FieldType("layout", "jsonobject", _reference, reference="layout"),
        FieldType("profileimage", "text", _text),
        FieldType("fileupload", "jsonarray", sent_entries),  # entries resolved in file_fields.write_all
        FieldType("imageupload", "jsonarray", sent_entries),
        FieldType("autonumber", "text", _text, server_set=True),
        FieldType("formula", "text", _text, server_set=True),
        FieldType("rollup_summary", "text", _text, server_set=True),
        # Not a Zoho data_type: the ``Tag`` field is declared text/jsonarray but carries tag objects.
        FieldType("tag", "jsonarray", _tags),
    )
}

# Fields whose values are not what their ``data_type`` says (see ``FieldType("tag")``).
BY_API_NAME: dict[str, str] = {"Tag": "tag"}

# Types not listed above are checked by their field's ``json_type`` only (subforms, line taxes,
# reminders, multi-lookups …): the value is stored as sent.
BY_JSON_TYPE: dict[str, FieldType] = {
    "string": FieldType("json:string", "text", _text),
    "jsonarray": FieldType("json:jsonarray", "jsonarray", _array),
    "jsonobject": FieldType("json:jsonobject", "jsonobject", _object),
    "integer": FieldType("json:integer", "integer", _integer),
    "double": FieldType("json:double", "double", _decimal),
    "boolean": FieldType("json:boolean", "boolean", _boolean),
}


def field_type(field: dict[str, Any]) -> FieldType:
    """The type of a field object from the metadata (``data_type``, else its ``json_type``)."""
    known = FIELD_TYPES.get(BY_API_NAME.get(field.get("api_name") or "") or field.get("data_type") or "")
    if known is not None:
        return known
    return BY_JSON_TYPE.get(field.get("json_type") or "", BY_JSON_TYPE["jsonobject"])


FORMULA_RETURN_TYPES = {"string": "text", "decimal": "double"}


def compared_type(field: Mapping[str, Any]) -> str:
    """The data type a field's values are compared as (searches, the word index): a formula's
    return type, else its own."""
    data_type = str(field.get("data_type") or "")
    if data_type == "formula":
        returned = str((field.get("formula") or {}).get("return_type") or "text")
        return FORMULA_RETURN_TYPES.get(returned, returned)
    return data_type


def register_all() -> None:
    """Put every record field type into the validation engine's registry (idempotent)."""
    for kind in (*FIELD_TYPES.values(), *BY_JSON_TYPE.values()):
        register_type(kind.check_name, TypeCheck(kind.expected, kind.convert))


register_all()
