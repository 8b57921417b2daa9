"""Periods on the emulator clock (automation/timing.py) and when a date-based rule fires
(runner.date_rule_due). Plain functions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from zcrm_emulator.automation import timing
from zcrm_emulator.automation.runner import date_rule_due


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1000)


FRIDAY_NOON = ms("2025-03-14T12:00:00+00:00")


@pytest.mark.parametrize(
    ("period", "unit", "expected"),
    [
        ("minutes", 30, "2025-03-14T12:30:00+00:00"),
        ("hours", -2, "2025-03-14T10:00:00+00:00"),
        ("business_hours", 3, "2025-03-14T15:00:00+00:00"),
        ("days", 2, "2025-03-16T12:00:00+00:00"),
        ("weeks", 1, "2025-03-21T12:00:00+00:00"),
        ("business_days", 1, "2025-03-17T12:00:00+00:00"),
        ("b_days", -5, "2025-03-07T12:00:00+00:00"),
        ("months", 1, "2025-04-14T12:00:00+00:00"),
        ("years", -1, "2024-03-14T12:00:00+00:00"),
    ],
)
def test_add(period: str, unit: int, expected: str) -> None:
    assert timing.add(FRIDAY_NOON, period, unit, "UTC") == ms(expected)


def test_months_clamp_to_the_month_end() -> None:
    assert timing.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert timing.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_calendar_periods_keep_the_wall_clock_across_daylight_saving() -> None:
    before = ms("2025-03-08T09:00:00-08:00")
    assert timing.add(before, "days", 1, "America/Los_Angeles") == ms("2025-03-09T09:00:00-07:00")


def test_date_based_due_times() -> None:
    details = {"period": "days", "unit": -1, "execute_at": "09:30"}
    now = ms("2025-03-01T00:00:00+00:00")
    assert date_rule_due(details, "2025-03-10", "UTC", now) == ms("2025-03-09T09:30:00+00:00")
    assert date_rule_due(details, "2025-02-10", "UTC", now) is None  # past, once
    assert date_rule_due(details, None, "UTC", now) is None
    datetime_rule = {"period": "hours", "unit": 2}
    assert date_rule_due(datetime_rule, "2025-03-10T08:00:00+00:00", "UTC", now) == ms("2025-03-10T10:00:00+00:00")
    yearly = {"period": "days", "unit": 0, "recur_cycle": "yearly"}
    assert date_rule_due(yearly, "1990-05-04", "UTC", now) == ms("2025-05-04T00:00:00+00:00")
    assert datetime.fromtimestamp(now / 1000, UTC).year == 2025
