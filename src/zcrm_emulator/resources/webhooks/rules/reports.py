"""The failure log and the usage report, built from the webhook deliveries (AUTOMATION.md §2.6;
OASx getWebhookFailures, getWebhookUsageReports).

Both read whole days (``YYYY-MM-DD``) in the org's time zone: ``to`` defaults to today, ``from`` to
30 days before ``to``; a failure log spans at most 90 days. A failure is a delivery that failed for
good (every attempt the delivery policy allows); usage counts every webhook sent, by the day it fired.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from zcrm_emulator.clock import iso
from zcrm_emulator.errors import ZohoError

DEFAULT_DAYS = 30
FAILURE_LOG_MAX_DAYS = 90
GROUPINGS = ("date", "date,resource", "date,resource,type")
USAGE_TYPES = (
    "workflow_rules",
    "approval_process",
    "blueprint",
    "orchestrations",
    "wizards",
    "modules",
    "webhooks",
    "kiosks",
)
USAGE_TYPE = "webhooks"  # the only usage this report sees: the emulator runs no other action kind
# ``info.max_limit``: the daily webhook cap Zoho reports; its one example gives 2500 (edition unstated).
USAGE_MAX_LIMIT = 2500
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

DayError = Callable[[str, bool], ZohoError]  # (param name, in the future?) -> the endpoint's error


@dataclass(frozen=True)
class Window:
    first: date
    last: date  # inclusive
    zone: str

    def _start_ms(self, day: date) -> int:
        return int(datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(self.zone)).timestamp() * 1000)

    @property
    def start_ms(self) -> int:
        return self._start_ms(self.first)

    @property
    def end_ms(self) -> int:
        """The first millisecond after the window."""
        return self._start_ms(self.last + timedelta(days=1))


def parse_day(raw: str) -> date | None:
    if not _DAY.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def day_window(
    raw_from: str | None, raw_to: str | None, today: date, zone: str, error: DayError, *, max_days: int | None
) -> Window:
    """The days ``from``..``to`` asks for: malformed or future days, ``from`` after ``to`` and spans
    past ``max_days`` are the endpoint's ``error``."""
    last = today if not raw_to else parse_day(raw_to)
    if last is None:
        raise error("to", False)
    first = last - timedelta(days=DEFAULT_DAYS) if not raw_from else parse_day(raw_from)
    if first is None:
        raise error("from", False)
    if last > today:
        raise error("to", True)
    if first > today:
        raise error("from", True)
    if first > last or (max_days is not None and (last - first).days > max_days):
        raise error("from", False)
    return Window(first, last, zone)


def failure_item(delivery: Mapping[str, Any], zone: str) -> dict[str, Any]:
    """One failed delivery as the failure log shows it."""
    context = delivery["context"]
    return {
        "webhook": context.get("webhook"),
        "entity_details": context.get("entity_details"),
        "failure_time": iso(delivery["finished_ms"], zone),
        "failure_reason": delivery["failure_reason"],
        "id": delivery["id"],
        "workflow_rule": context.get("workflow_rule"),
    }


@dataclass(frozen=True)
class Fired:
    day: str  # YYYY-MM-DD in the org's time zone
    webhook_id: str
    name: str


def usage_rows(fired: Iterable[Fired], grouping: str, *, descending: bool) -> list[dict[str, Any]]:
    """Counts per day, or per day and webhook, newest day first unless ``descending`` is False."""
    fired = list(fired)
    names = {f.webhook_id: f.name for f in fired}
    if grouping == "date":
        per_day = Counter(f.day for f in fired)
        rows: list[dict[str, Any]] = [
            {"date": day, "count": count, "type": USAGE_TYPE} for day, count in per_day.items()
        ]
    else:
        per_webhook = Counter((f.day, f.webhook_id) for f in fired)
        rows = [
            {"date": day, "resource": {"name": names[hook], "id": hook}, "count": count, "type": USAGE_TYPE}
            for (day, hook), count in per_webhook.items()
        ]
    rows.sort(key=lambda row: (str(row["date"]), str((row.get("resource") or {}).get("id", ""))), reverse=descending)
    return rows
