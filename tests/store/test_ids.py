"""Ids (ids.py): 18-19 digit decimal strings, the org's prefix then a per-org counter kept in the
database, so they stay unique and increasing across restarts and across workers sharing one store."""

from __future__ import annotations

import threading

import pytest

from zcrm_emulator import ids, standard_org
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")


def allocate(emulator: Emulator, count: int, org_id: str | None = None) -> list[str]:
    with emulator.store.tx() as conn:
        return ids.allocate(conn, org_id or emulator.default_org_id, count)


def test_ids_look_like_zohos_and_carry_the_org_prefix(emulator: Emulator) -> None:
    for new_id in allocate(emulator, 3):
        assert new_id.isdigit() and 18 <= len(new_id) <= 19
        assert ids.prefix_of(new_id) == ids.prefix_of(emulator.default_org_id)


def test_ids_keep_increasing_across_a_restart(db_url: str) -> None:
    first = Emulator(Settings(db_url=db_url))
    before = allocate(first, 3)
    org_id = first.default_org_id
    first.close()

    second = Emulator(Settings(db_url=db_url))
    after = allocate(second, 3)
    second.close()
    assert second.default_org_id == org_id
    numbers = [int(i) for i in before + after]
    assert numbers == sorted(numbers) and len(set(numbers)) == 6
    assert int(after[0]) == int(before[-1]) + 1


def test_each_org_counts_on_its_own(emulator: Emulator) -> None:
    with emulator.store.tx() as conn:
        other = standard_org.create_org(conn, now_ms=emulator.clock.now_ms(), edition="enterprise", dc="us")
    mine, theirs = allocate(emulator, 2), allocate(emulator, 2, other)
    assert ids.prefix_of(mine[0]) != ids.prefix_of(theirs[0])
    assert [ids.prefix_of(i) for i in theirs] == [ids.prefix_of(other)] * 2
    assert int(mine[1]) - int(mine[0]) == 1 and int(theirs[1]) - int(theirs[0]) == 1


def test_two_workers_sharing_one_store_never_hand_out_the_same_id(db_url: str) -> None:
    workers = [Emulator(Settings(db_url=db_url)) for _ in range(2)]
    handed_out: list[list[str]] = []
    lock = threading.Lock()

    def run(worker: Emulator) -> None:
        for _ in range(20):
            got = allocate(worker, 2)
            with lock:
                handed_out.append(got)

    threads = [threading.Thread(target=run, args=(workers[n % 2],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for worker in workers:
        worker.close()
    every = [i for batch in handed_out for i in batch]
    assert len(every) == 6 * 20 * 2
    assert len(set(every)) == len(every)
    for batch in handed_out:  # a batch is a contiguous, increasing range
        assert int(batch[1]) == int(batch[0]) + 1
