"""The request a webhook sends for one record (AUTOMATION.md §2.7; choices in docs/decisions.md
"Automation"):

* the method; the URL with its merge tokens resolved (each value percent-encoded, except a token that
  opens the URL, which stands for the address itself; ``www.…`` is sent as ``http://www.…``), and for
  GET and DELETE the URL parameters appended to its query: custom, then module, then user-defined;
* headers: custom, then module parameters, then ``Content-Type`` for the body unless one was given;
  a value's control characters become spaces and characters outside ASCII are percent-encoded, as
  an HTTP header carries ASCII only;
* the body (POST and PUT): form data as ``application/x-www-form-urlencoded``, raw content with its
  tokens resolved and escaped for its format (JSON string escapes, XML/HTML entities, text as is),
  each as ``<type>; charset=UTF-8``; ``none``: no body.

A value is its text: lookups and users by name, lists joined by commas, booleans ``true``/``false``,
dates and datetimes in the webhook's ``date_time_format`` (datetimes in its ``time_zone``, else the
org's), or ISO 8601 without one.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from zcrm_emulator.resources.webhooks.rules import formats, merge

CONTENT_TYPES = {
    "form_data": "application/x-www-form-urlencoded; charset=UTF-8",
    "JSON": "application/json; charset=UTF-8",
    "XML": "application/xml; charset=UTF-8",
    "Text": "text/plain; charset=UTF-8",
    "HTML": "text/html; charset=UTF-8",
}
RAW_ESCAPES: dict[str, Callable[[str], str]] = {
    "JSON": lambda text: json.dumps(text, ensure_ascii=False)[1:-1],
    "XML": lambda text: html.escape(text, quote=True),
    "HTML": lambda text: html.escape(text, quote=True),
    "Text": lambda text: text,
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PRINTABLE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


@dataclass(frozen=True)
class Record:
    """The firing record as merge tokens see it: each field's value as GET one record shows it
    (``values``), each field's data type (``kinds``), and the zone datetimes are written in."""

    values: Mapping[str, Any]
    kinds: Mapping[str, str]
    zone: str


@dataclass(frozen=True)
class Built:
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: str | None


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("id") or "")
    if isinstance(value, list):
        return ",".join(_plain(item) for item in value)
    return str(value)


def value_text(record: Record, formats_given: Mapping[str, str], name: str) -> str:
    """The text a token of field ``name`` stands for."""
    value, kind = record.values.get(name), record.kinds.get(name)
    if isinstance(value, str) and kind == "datetime":
        zone = formats_given.get("time_zone") or record.zone
        moment = datetime.fromisoformat(value).astimezone(ZoneInfo(zone))
        fmt = formats_given.get("datetime_format")
        return formats.render(fmt, moment) if fmt else moment.isoformat()
    if isinstance(value, str) and kind == "date":
        fmt = formats_given.get("date_format")
        return formats.render(fmt, date.fromisoformat(value)) if fmt else value
    return _plain(value)


def header_safe(text: str) -> str:
    return quote(_CONTROL.sub(" ", text), safe=_PRINTABLE_ASCII)


def _url(url: str, fill: Callable[[str, Callable[[str], str]], str]) -> str:
    """The URL with tokens resolved: one opening the URL as it is, the others percent-encoded."""
    opening = merge.TOKEN.match(url)
    head = fill(opening.group(0), lambda text: text) if opening else ""
    resolved = head + fill(url[opening.end() :] if opening else url, lambda text: quote(text, safe=""))
    if resolved.lower().startswith("www.") or "://" not in resolved:
        resolved = "http://" + resolved
    return resolved


def with_query(url: str, pairs: Sequence[tuple[str, str]]) -> str:
    """``url`` with ``pairs`` added to its query (before any fragment)."""
    if not pairs:
        return url
    encoded = urlencode(list(pairs), quote_via=quote)
    try:
        parts = urlsplit(url)
    except ValueError:  # not splittable: add them at the end and let the send report the URL
        return f"{url}{'&' if '?' in url else '?'}{encoded}"
    query = f"{parts.query}&{encoded}" if parts.query else encoded
    return urlunsplit(parts._replace(query=query))


def _pairs(part: Mapping[str, Any] | None, user_key: str, fill: Callable[[str], str]) -> list[tuple[str, str]]:
    """A part's parameters as (name, value): custom as written, module and user-defined resolved."""
    if not part:
        return []
    pairs = [(p["name"], p["value"]) for p in part.get("custom_parameters") or []]
    pairs += [(p["name"], fill(p["value"])) for p in part.get("module_parameters") or []]
    user = part.get(user_key)
    if user:
        pairs.append((user["name"], fill(user["value"])))
    return pairs


def build(webhook: Mapping[str, Any], record: Record, fields: merge.MergeFields) -> Built:
    """The request ``webhook`` (its stored object) sends for ``record``."""
    formats_given = webhook.get("date_time_format") or {}

    def fill(text: str, escape: Callable[[str], str]) -> str:
        return merge.resolve(text, fields, lambda name: value_text(record, formats_given, name), escape)

    def fill_plain(text: str) -> str:
        return fill(text, lambda value: value)

    method = webhook["http_method"]
    url = _url(webhook["url"], fill)
    if method in ("GET", "DELETE"):
        url = with_query(url, _pairs(webhook.get("url_parameters"), "user_defined_parameters", fill_plain))
    headers = [(name, header_safe(value)) for name, value in _pairs(webhook.get("headers"), "", fill_plain)]
    body_text, content_type = _body(webhook.get("body") if method in ("POST", "PUT") else None, fill)
    if content_type and not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", content_type))
    return Built(method, url, headers, body_text)


def _body(
    body: Mapping[str, Any] | None, fill: Callable[[str, Callable[[str], str]], str]
) -> tuple[str | None, str | None]:
    if not body or body.get("type") == "none":
        return None, None
    if body["type"] == "form_data":
        pairs = _pairs(body.get("form_data_content"), "user_defined_parameter", lambda text: fill(text, str))
        return urlencode(pairs), CONTENT_TYPES["form_data"]
    fmt = body["format"]
    return fill(body["raw_data_content"], RAW_ESCAPES[fmt]), CONTENT_TYPES[fmt]
