"""Periods on the emulator clock: when a scheduled action group is due (``execute_after``), when a
date-based rule fires, a task's due date (``execution_time``) and the date tokens of criteria.

The emulator keeps no business-hours calendar: a business day is a weekday (Monday to Friday, in
the org's time zone, no holidays) and a business hour is an hour (docs/decisions.md).
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS

# Every spelling of a period the automation APIs use, to one of ours.
PERIODS = {
    "minutes": "minutes",
    "hours": "hours",
    "days": "days",
    "weeks": "weeks",
    "months": "months",
    "years": "years",
    "business_hours": "hours",
    "b_hours": "hours",
    "business_days": "business_days",
    "b_days": "business_days",
}


def local(epoch_ms: int, tz: str) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).astimezone(ZoneInfo(tz))


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def _add_business_days(moment: datetime, days: int) -> datetime:
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        moment += timedelta(days=step)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


def add(epoch: int, period: str, unit: int, tz: str) -> int:
    """``epoch`` moved by ``unit`` periods (negative: earlier); calendar periods in ``tz``."""
    kind = PERIODS[period]
    if kind == "minutes":
        return epoch + unit * MINUTE_MS
    if kind == "hours":
        return epoch + unit * HOUR_MS
    moment = local(epoch, tz)
    if kind == "days":
        moment += timedelta(days=unit)
    elif kind == "weeks":
        moment += timedelta(weeks=unit)
    elif kind == "business_days":
        moment = _add_business_days(moment, unit)
    else:
        months = unit if kind == "months" else unit * 12
        moved = add_months(moment.date(), months)
        moment = moment.replace(year=moved.year, month=moved.month, day=moved.day)
    return epoch_ms(moment)


def parse_hhmm(text: str) -> time | None:
    """``"HH:mm"`` (execute_at, a due time) or None when it is not one."""
    parts = text.split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    return time(hours, minutes) if hours < 24 and minutes < 60 else None


def at_time(day: date, at: time, tz: str) -> int:
    """Epoch ms of ``day`` at ``at`` o'clock in ``tz``."""
    return epoch_ms(datetime.combine(day, at, tzinfo=ZoneInfo(tz)))


def today(now_ms: int, tz: str) -> date:
    return local(now_ms, tz).date()
