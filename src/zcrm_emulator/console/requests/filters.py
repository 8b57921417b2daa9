"""The journal page's filters, read from its query: what ``Journal.entries`` takes, as the person
typed it (to fill the form again), and the problems of the values it cannot use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from zcrm_emulator.clock import parse_iso

FACES = ("crm", "accounts", "control", "console")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
NAMES = ("method", "path", "status", "module", "face", "since")


@dataclass(frozen=True)
class Filters:
    typed: dict[str, str]  # the form's values, blank ones left out
    method: str | None = None
    path: str | None = None
    status: int | None = None
    module: str | None = None
    face: str | None = None
    since: int | None = None  # emulator epoch ms, inclusive
    problems: list[str] = field(default_factory=list)

    def journal_filters(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in NAMES}


def _since(text: str) -> int | None:
    """Epoch ms, or an ISO 8601 datetime (UTC when it names no offset)."""
    if text.isascii() and text.isdigit():
        return int(text)
    return parse_iso(text)


def read(query: Mapping[str, str]) -> Filters:
    typed = {name: query[name].strip() for name in NAMES if (query.get(name) or "").strip()}
    problems = []
    method = typed.get("method", "").upper() or None
    if method is not None and method not in METHODS:
        problems.append(f"The method must be one of: {', '.join(METHODS)}.")
    status_text = typed.get("status")
    status = int(status_text) if status_text and status_text.isascii() and status_text.isdigit() else None
    if status_text and (status is None or not 100 <= status <= 599):
        problems.append("The status must be an HTTP status code, from 100 to 599.")
    face = typed.get("face")
    if face is not None and face not in FACES:
        problems.append(f"The face must be one of: {', '.join(FACES)}.")
    since_text = typed.get("since")
    since = _since(since_text) if since_text else None
    if since_text and since is None:
        problems.append("Since must be a date and time (2026-01-31T09:30:00, UTC) or epoch milliseconds.")
    return Filters(
        typed=typed,
        method=method,
        path=typed.get("path"),
        status=status,
        module=typed.get("module"),
        face=face,
        since=since,
        problems=problems,
    )
