"""What a transaction hands on once it has committed: the record events of its writes (events.py).

``Store.tx`` gives each transaction an outbox and, after the commit, passes what is in it to the
store's ``on_commit``; a rolled-back transaction hands on nothing. A savepoint that rolls back takes
back what was put in the outbox inside it (``store.engine.savepoint``), so a refused item or a
handler that fails after writing emits nothing for the work it undid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

_KEY = "zcrm_outbox"


def open_for(conn: Connection) -> list[Any]:
    """A fresh outbox for the transaction now starting on ``conn``."""
    box: list[Any] = []
    conn.info[_KEY] = box
    return box


def close_for(conn: Connection) -> None:
    conn.info.pop(_KEY, None)


def put(conn: Connection, item: Any) -> None:
    """Hand ``item`` on when this transaction commits (nothing happens outside ``Store.tx``)."""
    box = conn.info.get(_KEY)
    if box is not None:
        box.append(item)


def rewrite(conn: Connection, change: Callable[[Any], Any]) -> None:
    """Replace each item put out so far by ``change(item)``."""
    box = conn.info.get(_KEY)
    if box is not None:
        box[:] = [change(item) for item in box]


def mark(conn: Connection) -> int:
    box = conn.info.get(_KEY)
    return len(box) if box is not None else 0


def take_back(conn: Connection, since: int) -> None:
    """Drop what was put in the outbox after ``mark`` returned ``since`` (a savepoint rolled back)."""
    box = conn.info.get(_KEY)
    if box is not None:
        del box[since:]
