"""The fiscal year: its keys, their checks and the periods it makes (``/settings/fiscal_year``).

Sources: OAS fiscal_year.json, the v8 "Update Fiscal Year Settings" page and Zoho's per-operation
examples (updateFiscalYear, getFiscalYear). A fiscal year starts on the first day of ``start_month``
and is named after its start or end month's year (``display_based_on``). Months are answered in
capitals, as Zoho's examples show them, and taken in any case. Zoho's custom calendars (4-4-5
structures, surplus weeks) are not kept: the calendar is the Gregorian one. Plain functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import at

ENVELOPE = "fiscal_year"
UPDATED = "The fiscal year configuration has been updated successfully"
ID_SUFFIX = 8761  # a fresh org's fiscal year id: the org's prefix and this suffix (Zoho's example id)

MONTHS = (
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
)
DISPLAY_BASED_ON = ("start_month", "end_month")
DEFAULT = {"start_month": "JANUARY", "display_based_on": "start_month"}
PATH = f"$.{ENVELOPE}"


def fiscal_year_of(body: Mapping[str, Any]) -> Any:
    """The object under the envelope key; absent is MANDATORY_NOT_FOUND, answered bare (the file's 400)."""
    found = body.get(ENVELOPE)
    if found is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": ENVELOPE, "json_path": PATH})
    return found


def _choice(item: Mapping[str, Any], key: str, choices: tuple[str, ...], message: Message, *, fold: bool) -> str:
    value = item[key]
    if not isinstance(value, str):
        raise ZohoError("INVALID_DATA", at(PATH, key, expected_data_type="text"), message)
    wanted = value.strip().upper() if fold else value
    if wanted not in choices:
        raise ZohoError("INVALID_DATA", {"supported_values": list(choices), **at(PATH, key)}, message)
    return wanted


def check(item: Any) -> dict[str, str]:
    """The keys an update sets; at least one of ``start_month`` and ``display_based_on``."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": PATH, "expected_data_type": "jsonobject"})
    given = {key: item[key] for key in DEFAULT if item.get(key) is not None}
    if not given:
        raise ZohoError("INVALID_DATA", {}, Message.FISCAL_YEAR_EMPTY)
    clean: dict[str, str] = {}
    if "start_month" in given:
        clean["start_month"] = _choice(item, "start_month", MONTHS, Message.FISCAL_YEAR_MONTH, fold=True)
    if "display_based_on" in given:
        clean["display_based_on"] = _choice(
            item, "display_based_on", DISPLAY_BASED_ON, Message.FISCAL_YEAR_DISPLAY, fold=False
        )
    return clean


def start_of_current(start_month: str, today: date) -> date:
    """The first day of the fiscal year ``today`` falls in."""
    month = MONTHS.index(start_month) + 1
    year = today.year if today.month >= month else today.year - 1
    return date(year, month, 1)
