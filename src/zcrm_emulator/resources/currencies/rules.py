"""Zoho's rules for an org's currencies (currencies.json, available_currencies.json; the v8 "Add
Currencies", "Update Currencies", "Multiple Currencies in Organization" and "Get Currencies" pages).

A currency is one of the currencies Zoho offers (``available.json``: its ISO code, name, symbol and
number format), named ``"<name> - <ISO code>"``. Its exchange rate against the home currency is a
positive decimal of at most nine digits before the point and nine after, kept and shown with nine
decimals (``"20.000000000"``). The format's choices are the file's enums. Messages are Zoho's,
typos included (currencies.json ``Currency_API_Exception``).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import Key, Spec, at

ENVELOPE = "currencies"
BASE_ENVELOPE = "base_currency"

ENABLED = "The multi-currency feature is enabled and given currency is created as the base currency."
CREATED = "The currency created successfully."
UPDATED = "The currency updated successfully."

DECIMAL_SEPARATORS = ("Comma", "Period")
THOUSAND_SEPARATORS = ("Space", "Comma", "Period")
DECIMAL_PLACES = ("0", "2", "3")
SYMBOL_MAX = 10  # Zoho names no length; a symbol is a few characters ("SR", "NT$", "FCFA")
# Up to nine digits before the point and nine after, as the "Add Currencies" page allows.
EXCHANGE_RATE = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,9})?")

# Each key optional (the "Add Currencies" page): what is not given stays the currency's own.
FORMAT = Spec(
    (
        Key("decimal_separator", choices=DECIMAL_SEPARATORS),
        Key("thousand_separator", choices=THOUSAND_SEPARATORS),
        Key("decimal_places", choices=DECIMAL_PLACES),
    )
)
_SHARED = (
    Key("symbol", message=Message.CURRENCY_SYMBOL),
    Key("prefix_symbol", type="boolean"),
    Key("is_active", type="boolean"),
    Key("format", type="object", items=FORMAT),
)
# Adding (and enabling with) a currency: its name, ISO code and exchange rate are mandatory.
CREATE = Spec(
    (
        Key("name", mandatory=True, message=Message.CURRENCY_NAME),
        Key("iso_code", mandatory=True, message=Message.CURRENCY_ISO_CODE),
        Key("exchange_rate", type="any", mandatory=True),  # a string; a number is read as one
        *_SHARED,
    )
)
UPDATE = Spec(
    (
        Key("id", type="id", message=Message.CURRENCY_ID),
        Key("name", message=Message.CURRENCY_NAME),
        Key("iso_code", message=Message.CURRENCY_ISO_CODE),
        Key("exchange_rate", type="any"),
        *_SHARED,
    )
)
# What an update may change; the ISO code and name of a currency stay what they are.
CHANGEABLE = ("symbol", "exchange_rate", "prefix_symbol", "is_active", "format")


@cache
def available() -> tuple[dict[str, str], ...]:
    text = (resources.files(__package__) / "available.json").read_text(encoding="utf-8")
    return tuple(json.loads(text))


@cache
def _by_iso() -> dict[str, dict[str, str]]:
    return {entry["iso_code"]: entry for entry in available()}


def display_value(entry: dict[str, str]) -> str:
    return f"{entry['display_name']} - {entry['iso_code']}"


def available_currencies() -> list[dict[str, str]]:
    """``GET /org/currencies/actions/available_currencies``: every currency an org may add."""
    return [{**entry, "display_value": display_value(entry)} for entry in available()]


def _same_name(given: str, entry: dict[str, str]) -> bool:
    """``"Saudi Riyal - SAR"`` in any case and spacing around the dash, or the bare name."""
    wanted = " ".join(given.replace("-", " - ").split()).casefold()
    return wanted in (display_value(entry).casefold(), entry["display_name"].casefold())


def exchange_rate(value: Any, json_path: str) -> str:
    """The rate as Zoho shows it, nine decimals; INVALID_DATA for anything but a positive decimal."""
    text = str(value).strip() if isinstance(value, str | int | float) and not isinstance(value, bool) else ""
    if not EXCHANGE_RATE.fullmatch(text) or Decimal(text) <= 0:
        raise ZohoError("INVALID_DATA", at(json_path, "exchange_rate"))
    return f"{Decimal(text):.9f}"


def new_currency(item: dict[str, Any], json_path: str) -> dict[str, Any]:
    """A checked create item as the currency it adds (without id and stamps): the ISO code must be one
    Zoho offers and the name that currency's; symbol and format default to the currency's own."""
    clean = CREATE.check(item, json_path)
    iso_code = clean["iso_code"].strip().upper()
    entry = _by_iso().get(iso_code)
    if entry is None:
        raise ZohoError("INVALID_DATA", at(json_path, "iso_code"), Message.CURRENCY_ISO_CODE)
    if not _same_name(clean["name"], entry):
        raise ZohoError("INVALID_DATA", at(json_path, "name"), Message.CURRENCY_NAME)
    currency = {
        "name": display_value(entry),
        "iso_code": iso_code,
        "symbol": entry["symbol"],
        "exchange_rate": exchange_rate(clean["exchange_rate"], json_path),
        "prefix_symbol": True,
        "is_active": True,
        "format": {key: entry[key] for key in ("decimal_separator", "thousand_separator", "decimal_places")},
    }
    given = changes(clean, json_path)
    return {**currency, **given, "format": {**currency["format"], **given.get("format", {})}}


def changes(clean: dict[str, Any], json_path: str) -> dict[str, Any]:
    """The changeable keys a checked item gives, normalized."""
    found: dict[str, Any] = {}
    for key in CHANGEABLE:
        if clean.get(key) is None:
            continue
        if key == "symbol":
            symbol = clean[key].strip()
            if not symbol or len(symbol) > SYMBOL_MAX:
                raise ZohoError("INVALID_DATA", at(json_path, "symbol"), Message.CURRENCY_SYMBOL)
            found[key] = symbol
        elif key == "exchange_rate":
            found[key] = exchange_rate(clean[key], json_path)
        elif key == "format":
            found[key] = {name: value for name, value in clean[key].items() if name in FORMAT.by_name and value}
        else:
            found[key] = clean[key]
    return found


def update_of(stored: dict[str, Any], item: dict[str, Any], json_path: str) -> dict[str, Any]:
    """A checked update item as the keys it changes. An ISO code or name other than the currency's own
    is refused: a currency cannot become another one."""
    clean = UPDATE.check(item, json_path, partial=True)
    iso_code = clean.get("iso_code")
    if iso_code is not None and iso_code.strip().upper() != stored["iso_code"]:
        raise ZohoError("INVALID_DATA", at(json_path, "iso_code"), Message.CURRENCY_ISO_CODE)
    name = clean.get("name")
    if name is not None and not _same_name(name, _by_iso().get(stored["iso_code"], {})):
        raise ZohoError("INVALID_DATA", at(json_path, "name"), Message.CURRENCY_NAME)
    return changes(clean, json_path)


def base_update(stored: dict[str, Any], item: dict[str, Any], json_path: str) -> dict[str, Any]:
    """An update of the home currency: it stays active (it is what every other rate is against)."""
    found = update_of(stored, item, json_path)
    if found.get("is_active") is False:
        raise ZohoError("INVALID_DATA", at(json_path, "is_active"))
    return found


def org_fields(currency: dict[str, Any]) -> dict[str, Any]:
    """What ``GET /org`` shows of the home currency."""
    return {"currency": currency["name"], "iso_code": currency["iso_code"], "currency_symbol": currency["symbol"]}
