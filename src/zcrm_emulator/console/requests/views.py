"""A journal entry as the pages print it: times in words, the body laid out when it is whole JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass

from zcrm_emulator.console.kit import time_text
from zcrm_emulator.journal import Entry


@dataclass(frozen=True)
class Body:
    text: str | None
    truncated: bool


def body(text: str | None, truncated: bool, content_type: str | None) -> Body:
    """Whole JSON indented, to be read; anything else (a cut body included) as the journal kept it."""
    if text is not None and not truncated and "json" in (content_type or ""):
        try:
            return Body(json.dumps(json.loads(text), indent=2, ensure_ascii=False), False)
        except ValueError:
            pass
    return Body(text, truncated)


@dataclass(frozen=True)
class RequestView:
    entry: Entry
    time: str
    target: str  # the path and its query
    request_body: Body
    response_body: Body


def view(entry: Entry) -> RequestView:
    return RequestView(
        entry,
        time_text(entry.time_ms),
        entry.path + (f"?{entry.query}" if entry.query else ""),
        body(entry.request_body, entry.request_body_truncated, entry.request_headers.get("content-type")),
        body(entry.response_body, entry.response_body_truncated, entry.response_headers.get("content-type")),
    )
