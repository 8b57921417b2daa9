"""Engine, transactions and migrations: the only code that decides how we talk to the database.

Alembic is imported only when a migration runs (``Store.migrate``): a start-up on a database already
at the code's heads checks that with plain SQL (``store/heads.py``) and never loads it.
"""

from __future__ import annotations

import itertools
import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event, make_url

from zcrm_emulator.store import heads, locks, outbox
from zcrm_emulator.store.checkpointer import JOURNAL_SIZE_LIMIT, Checkpointer

if TYPE_CHECKING:
    from alembic.config import Config


def json_text(value: Any) -> str:
    """How JSON columns are written (the engine's serializer; ``store/prepared.py`` uses it too)."""
    return orjson.dumps(value).decode()


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 here."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def make_engine(url: str, *, background_checkpoints: bool = False) -> Engine:
    """``background_checkpoints``: a ``Checkpointer`` checkpoints this SQLite file, so its
    connections never do it themselves."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            json_serializer=json_text,
            json_deserializer=orjson.loads,
            connect_args={"check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            # WAL + NORMAL: durable across process crashes, fast commits (DESIGN "Scale").
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            # Without a Checkpointer: checkpoint every ~40 MB of WAL instead of 4 MB (pages that many
            # commits touch, the tail of each index, are copied once per checkpoint and its syncs come
            # 10x less often); the file is cut back to 64 MB after each checkpoint.
            cursor.execute(f"PRAGMA wal_autocheckpoint={0 if background_checkpoints else 10000}")
            cursor.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
            # 32 MB of page cache per connection (default 2 MB): index pages of a million records stay
            # in memory rather than being read again from the OS on every lookup.
            cursor.execute("PRAGMA cache_size=-32768")
            cursor.close()

        return engine
    return create_engine(
        url,
        json_serializer=json_text,
        json_deserializer=orjson.loads,
        pool_pre_ping=True,
        pool_size=10,
    )


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # only where a migration runs (module docstring)

    config = Config()
    config.set_main_option("script_location", str(resources.files("zcrm_emulator.store") / "migrations"))
    config.attributes["connection"] = connection
    return config


_SAVEPOINT_NAMES = itertools.count(1)


@contextmanager
def savepoint(conn: Connection) -> Iterator[Connection]:
    """A savepoint in the caller's transaction: an exception escaping the block undoes the block's
    work, and only that (a write call's handler, each item of a batch). Issued on the driver's
    connection, as SQLAlchemy's ``begin_nested`` would issue it, without its bookkeeping (some 0.3 ms
    per savepoint on a slow machine)."""
    name = f"zs_{next(_SAVEPOINT_NAMES)}"
    driver: Any = conn.connection.driver_connection
    driver.execute(f"SAVEPOINT {name}")
    handed_on = outbox.mark(conn)
    try:
        yield conn
    except BaseException:
        driver.execute(f"ROLLBACK TO SAVEPOINT {name}")
        driver.execute(f"RELEASE SAVEPOINT {name}")
        outbox.take_back(conn, handed_on)
        raise
    driver.execute(f"RELEASE SAVEPOINT {name}")


def sqlite_file(url: str) -> str | None:
    """The file of an SQLite URL (None for PostgreSQL and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def _create_private(path: str) -> None:
    """Create a new SQLite file readable by its owner only (0600): it holds tokens and client secrets'
    hashes and every record. SQLite gives its -wal and -shm files the same mode. An existing file
    keeps the mode its owner gave it."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


class Store:
    """Owns the engine (and, on an SQLite file, its checkpointer); hands out one transaction per
    unit of work. ``on_commit`` receives each committed transaction's outbox (store/outbox.py)."""

    on_commit: Callable[[list[Any]], None] | None = None

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        path = sqlite_file(self.url)
        self.path = path  # the SQLite file; None for PostgreSQL and in-memory SQLite
        if path is not None:
            _create_private(path)
        self.checkpointer = Checkpointer(path) if path is not None else None
        if self.checkpointer is not None:  # a store dropped without dispose() stops its thread too
            weakref.finalize(self, self.checkpointer.stop, wait=False)
        self.engine = make_engine(self.url, background_checkpoints=self.checkpointer is not None)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def schema_heads(self) -> frozenset[str] | None:
        """The revisions the database is at (None: never migrated), read without Alembic."""
        with self.engine.connect() as conn:
            return heads.database_heads(conn)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (every head: resources migrate independently)."""
        from alembic import command

        with self.engine.begin() as conn:
            # Workers starting together on one PostgreSQL migrate in turn (its DDL is transactional,
            # so the second finds the schema done); an SQLite file is locked by its first write.
            locks.serialize(conn, "migrate")
            command.upgrade(alembic_config(conn), "heads")

    @contextmanager
    def tx(self, *, writes: bool = False) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back whole on any exception.

        ``writes``: the unit is going to write (a CRM write call). On SQLite the transaction then
        starts at once (``BEGIN IMMEDIATE``): the driver would otherwise start it only at the first
        INSERT/UPDATE/DELETE, so a savepoint opened before any of them would be the transaction
        itself, and releasing it would commit the unit's work before the unit is done."""
        with self.engine.begin() as conn:
            if writes and self.dialect == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            box = outbox.open_for(conn)
            try:
                yield conn
            finally:
                outbox.close_for(conn)
        if box and self.on_commit is not None:  # committed: hand on what its writes put out
            self.on_commit(box)

    def dispose(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.engine.dispose()
