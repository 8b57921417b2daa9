"""Query parameters and conditional headers as Zoho reads them, with Zoho's errors.

Shared by every resource: mandatory params (REQUIRED_PARAM_MISSING ``{param_name}``; REFERENCE §9
#36 settles on ``param_name``), integer params, ``page``/``per_page`` with the ``info`` object
(§1.5), and ``If-Modified-Since`` -> 304 (§1.2).

Integer params are read as Zoho's Java back end reads them: ASCII digits with an optional sign,
within a Java ``int``; anything else (``1e3``, ``٣``, ``46116860184273881``) is INVALID_DATA
``{param_name, expected_data_type: integer}``. That bounds every ``page``/``per_page`` offset too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.clock import parse_iso
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.routing import Call

MAX_PER_PAGE = 200
JAVA_INT_MAX = 2**31 - 1
_INTEGER = re.compile(r"[+-]?[0-9]{1,10}")


def required(call: Call, name: str) -> str:
    value = call.query(name)
    if value is None or not value.strip():
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": name})
    return value.strip()


def integer(call: Call, name: str, default: int, *, minimum: int = 1, maximum: int | None = None) -> int:
    raw = call.query(name)
    if raw is None or raw == "":
        return default
    value = int(raw) if _INTEGER.fullmatch(raw) else None
    if value is None or abs(value) > JAVA_INT_MAX:
        raise ZohoError("INVALID_DATA", {"param_name": name, "expected_data_type": "integer"})
    if value < minimum or (maximum is not None and value > maximum):
        details: dict[str, Any] = {"param_name": name}
        if maximum is not None:
            details["maximum_value"] = maximum
        raise ZohoError("INVALID_DATA", details)
    return value


def choice(call: Call, name: str, allowed: tuple[str, ...] | dict[str, str], default: str) -> str:
    """A param with a closed list of values: INVALID_DATA ``{param_name, supported_values}`` otherwise."""
    value = call.query(name)
    if value is None or value == "":
        return default
    if value not in allowed:
        raise ZohoError("INVALID_DATA", {"param_name": name, "supported_values": list(allowed)})
    return value


def csv(call: Call, name: str) -> list[str]:
    raw = call.query(name)
    return [part.strip() for part in raw.split(",") if part.strip()] if raw else []


@dataclass(frozen=True)
class Page:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def info(self, count: int, more_records: bool, **extra: Any) -> dict[str, Any]:
        return {"per_page": self.per_page, "count": count, "page": self.page, "more_records": more_records, **extra}

    def slice(self, items: list[Any]) -> tuple[list[Any], dict[str, Any]]:
        """This page of an in-memory list, and its ``info``."""
        chunk = items[self.offset : self.offset + self.per_page]
        return chunk, self.info(len(chunk), self.offset + self.per_page < len(items))


def page(call: Call, *, default_per_page: int = MAX_PER_PAGE, max_per_page: int = MAX_PER_PAGE) -> Page:
    return Page(
        integer(call, "page", 1),
        integer(call, "per_page", default_per_page, maximum=max_per_page),
    )


def if_modified_since(call: Call) -> int | None:
    """The header as epoch ms; a malformed value is ignored, as HTTP caches do."""
    raw = call.header("if-modified-since")
    return parse_iso(raw) if raw else None


def not_modified(call: Call, latest_modified_ms: int | None) -> bool:
    """True when the client's copy is current: answer 304."""
    since = if_modified_since(call)
    # Compared in whole seconds: the header carries no milliseconds.
    return since is not None and latest_modified_ms is not None and latest_modified_ms // 1000 <= since // 1000
