"""What the deliveries' pages show, read in one transaction each through ``delivery.repo``: times
in words and bodies laid out here, so the templates only print."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.console.kit import time_text
from zcrm_emulator.delivery import repo

PER_PAGE = 50
STATUSES = (repo.PENDING, repo.DELIVERED, repo.FAILED)


def laid_out(text: str | None) -> str | None:
    """JSON indented, to be read; anything else as stored."""
    if not text:
        return text
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


@dataclass(frozen=True)
class Attempt:
    number: int
    started: str
    duration_ms: int
    status_code: int | None
    error: str | None
    request_headers: list[list[str]]
    response_body: str | None


@dataclass(frozen=True)
class Delivery:
    id: str
    source: str
    source_id: str | None
    method: str
    url: str
    status: str
    attempts: int
    max_attempts: int
    created: str
    finished: str
    failure_reason: str | None
    log: list[Attempt]

    @property
    def last_code(self) -> int | None:
        return self.log[-1].status_code if self.log else None


@dataclass(frozen=True)
class Detail:
    delivery: Delivery
    context: str
    headers: list[list[str]]
    body: str | None


def _attempt(row: dict[str, Any]) -> Attempt:
    return Attempt(
        row["number"],
        time_text(row["started_ms"]),
        row["duration_ms"],
        row["status_code"],
        row["error"],
        row["request_headers"],
        laid_out(row["response_body"]),
    )


def _delivery(row: dict[str, Any], attempts: list[dict[str, Any]]) -> Delivery:
    return Delivery(
        row["id"],
        row["source"],
        row["source_id"],
        row["method"],
        row["url"],
        row["status"],
        row["attempts"],
        row["max_attempts"],
        time_text(row["created_ms"]),
        time_text(row["finished_ms"]),
        row["failure_reason"],
        [_attempt(a) for a in attempts if a["delivery_id"] == row["id"]],
    )


@dataclass(frozen=True)
class DeliveriesPage:
    deliveries: list[Delivery]
    page: int
    more: bool
    sources: list[str]  # every source the org's deliveries came from, for the filter


def deliveries(conn: Connection, org_id: str, *, source: str | None, status: str | None, page: int) -> DeliveriesPage:
    rows = repo.list_deliveries(
        conn, org_id, source=source, status=status, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE
    )
    more, rows = len(rows) > PER_PAGE, rows[:PER_PAGE]
    attempts = repo.attempts_of(conn, [row["id"] for row in rows])
    return DeliveriesPage([_delivery(row, attempts) for row in rows], page, more, repo.sources_of(conn, org_id))


def delivery(conn: Connection, org_id: str, delivery_id: str) -> Detail | None:
    row = repo.get_delivery(conn, org_id, delivery_id)
    if row is None:
        return None
    shown = _delivery(row, repo.attempts_of(conn, [delivery_id]))
    context = json.dumps(row["context"], indent=2, ensure_ascii=False)
    return Detail(shown, context, row["headers"], laid_out(row["body"]))
