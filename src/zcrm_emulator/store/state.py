"""Small key/value state of the emulator itself (clock offset, default org)."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from zcrm_emulator.store import uniques
from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import emulator_state

CLOCK_OFFSET = "clock_offset_ms"  # emulator time minus wall time, shared by every process on the store


# Each process reads the clock offset every 100 ms: prepared once (store/prepared.py).
_GET = Prepared(select(emulator_state.c.value).where(emulator_state.c.key == bindparam("key")), name="state: get")


def get(conn: Connection, key: str) -> str | None:
    row = _GET.first(conn, {"key": key})
    return row.value if row is not None else None


def put(conn: Connection, key: str, value: str) -> None:
    """Set ``key``: one upsert, so workers writing it at once (servers starting together publish
    their settings) each land, the last one winning, instead of one breaking the primary key."""
    statement = uniques.insert(conn, emulator_state).values(key=key, value=value)
    conn.execute(statement.on_conflict_do_update(index_elements=[emulator_state.c.key], set_={"value": value}))


# What describes the database and the servers using it rather than the state a snapshot holds: a
# restore (a reset too) leaves these keys as they were. The running server's published URL, data
# center and token policy (accounts/server_info.py: another process's `self-client` reads them), and
# the keys made once per database: the unsubscribe signing key (console/unsubscribe/repo.py) and the
# connections' encryption key (connections/repo.py).
KEPT_ON_RESTORE = (
    "accounts.public_url",
    "accounts.dc",
    "accounts.token_policy",
    "unsubscribe.signing_key",
    "connections.encryption_key",
)


def kept_on_restore(conn: Connection) -> dict[str, str]:
    found = conn.execute(select(emulator_state).where(emulator_state.c.key.in_(KEPT_ON_RESTORE)))
    return {row.key: row.value for row in found}


def put_all(conn: Connection, values: dict[str, str]) -> None:
    for key, value in values.items():
        put(conn, key, value)
