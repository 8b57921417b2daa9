"""Admitted calls' debits are held in the process a moment and written in batches (usage/pending.py):
they count against the limit from the moment the call commits, and reach the store on their own."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from tests.support.modules import set_edition
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store.schema import api_credit_totals, api_usage
from zcrm_emulator.usage import credits, pending, repo


def written(emulator: Emulator) -> tuple[int, int]:
    """(credits, calls) in the store's buckets, without writing what is held."""
    with emulator.store.tx() as conn:
        row = conn.execute(
            select(func.coalesce(func.sum(api_usage.c.credits), 0), func.coalesce(func.sum(api_usage.c.calls), 0))
        ).one()
    return int(row[0]), int(row[1])


def minute_of(emulator: Emulator) -> int:
    return emulator.clock.now_ms() // credits.MINUTE_MS


def test_a_calls_debit_reaches_the_store_a_moment_later_without_further_calls(
    api: TestClient, emulator: Emulator
) -> None:
    assert api.get("/crm/v8/org").status_code == 200
    assert api.get("/crm/v8/org").status_code == 200
    deadline = time.monotonic() + 5
    while written(emulator) != (2, 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert written(emulator) == (2, 2)
    assert emulator.pending_credits.held(emulator.default_org_id, minute_of(emulator)) == 0


@pytest.mark.usefixtures("both_backends")
def test_held_debits_count_against_the_limit_before_they_are_written(api: TestClient, emulator: Emulator) -> None:
    set_edition(api, emulator, "free")
    minute = minute_of(emulator)
    with emulator.store.tx() as conn:
        repo.add(conn, emulator.default_org_id, minute, "GET /org", 4_998)
    held = pending.Debit(emulator.default_org_id, minute, "GET /org", 1)
    emulator.pending_credits.add(held)  # as if the gateway had just admitted a call
    assert api.get("/crm/v8/org").status_code == 200  # 4,998 written + 1 held + 1: the limit
    assert api.get("/crm/v8/org").status_code == 429


def test_closing_the_emulator_writes_what_it_holds(settings: Settings) -> None:
    first = Emulator(settings)
    org_id = first.default_org_id
    first.pending_credits.add(pending.Debit(org_id, minute_of(first), "GET /org", 3))
    first.close()
    second = Emulator(settings)
    try:
        assert written(second) == (3, 1)
    finally:
        second.close()


def test_resetting_an_orgs_usage_drops_what_is_held_for_it(api: TestClient, emulator: Emulator) -> None:
    emulator.pending_credits.add(pending.Debit(emulator.default_org_id, minute_of(emulator), "GET /org", 9))
    assert api.delete("/_emulator/usage").json()["used"] == 0
    emulator.pending_credits.flush()
    assert written(emulator) == (0, 0)


def test_a_new_minute_writes_the_last_minutes_debits_to_their_own_bucket(emulator: Emulator) -> None:
    org_id, minute = emulator.default_org_id, minute_of(emulator)
    held = emulator.pending_credits
    held.add(pending.Debit(org_id, minute, "GET /org", 1))
    held.add(pending.Debit(org_id, minute, "GET /org", 1))
    assert held.due(minute + 1)
    held.add(pending.Debit(org_id, minute + 1, "GET /users", 1))
    assert held.held(org_id, minute + 1) == 1
    with emulator.store.tx() as conn:
        assert repo.by_endpoint(conn, org_id, minute, minute) == [{"endpoint": "GET /org", "calls": 2, "credits": 2}]


@pytest.mark.usefixtures("both_backends")
def test_late_debits_join_a_running_total_already_rolled_past_their_minute(emulator: Emulator) -> None:
    """Another process wrote its held debits after this one rolled the org's total to a new minute."""
    org_id, minute = emulator.default_org_id, minute_of(emulator)
    with emulator.store.tx() as conn:
        repo.add(conn, org_id, minute - 1, "GET /org", 4)
        assert repo.roll(conn, org_id, minute=minute, window_first=credits.window_start(emulator.clock.now_ms())) == 4
        repo.add_many(conn, minute - 1, [(org_id, "GET /users", 6, 2)], credits.WINDOW_MINUTES)
        total = conn.execute(
            select(api_credit_totals.c.credits).where(api_credit_totals.c.org_id == org_id)
        ).scalar_one()
    assert total == 10
    assert credits.summary(emulator.store, emulator.pending_credits, org_id, emulator.clock.now_ms()).used == 10  # type: ignore[union-attr]


def test_debits_of_an_org_that_is_gone_are_dropped_when_written(emulator: Emulator) -> None:
    emulator.pending_credits.add(pending.Debit("111111111111111111", minute_of(emulator), "GET /org", 1))
    emulator.pending_credits.add(pending.Debit(emulator.default_org_id, minute_of(emulator), "GET /org", 2))
    emulator.pending_credits.flush()
    assert written(emulator) == (2, 1)
