"""The memo (memo.py): a value is rebuilt whenever the stamp read from the store differs."""

from __future__ import annotations

import threading
from collections.abc import Callable

from zcrm_emulator.memo import Memo


def counting_builder(value: str) -> tuple[list[int], Callable[[], str]]:
    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        return value

    return calls, build


def test_the_same_stamp_reuses_the_value_and_a_new_stamp_rebuilds_it() -> None:
    memo = Memo()
    calls, build = counting_builder("v1")
    assert memo.get("k", (1, 100), build) == "v1"
    assert memo.get("k", (1, 100), build) == "v1"
    assert len(calls) == 1
    assert memo.get("k", (1, 101), lambda: "v2") == "v2"
    assert memo.get("k", (1, 101), lambda: "never") == "v2"
    assert memo.get("k", (1, 100), lambda: "v1 again") == "v1 again"  # a stamp going back still rebuilds


def test_keys_are_independent() -> None:
    memo = Memo()
    assert memo.get(("modules", "org-a"), 1, lambda: "a") == "a"
    assert memo.get(("modules", "org-b"), 1, lambda: "b") == "b"
    assert memo.get(("modules", "org-a"), 1, lambda: "x") == "a"


def test_it_holds_at_most_max_entries_dropping_the_least_recently_used() -> None:
    memo = Memo(max_entries=2)
    memo.get("a", 0, lambda: 1)
    memo.get("b", 0, lambda: 2)
    memo.get("a", 0, lambda: 0)  # a is now the most recent
    memo.get("c", 0, lambda: 3)
    assert len(memo) == 2
    assert memo.get("a", 0, lambda: "rebuilt") == 1
    assert memo.get("b", 0, lambda: "rebuilt") == "rebuilt"


def test_threads_sharing_a_memo_always_get_a_value_built_for_their_stamp() -> None:
    memo = Memo(max_entries=4)
    wrong: list[tuple[int, object]] = []

    def run(stamp: int) -> None:
        for _ in range(500):
            got = memo.get("shared", stamp, lambda: stamp)
            if got != stamp:
                wrong.append((stamp, got))

    threads = [threading.Thread(target=run, args=(n % 3,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
