"""Engine, transactions and migrations: the only code that decides how we talk to the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event


def json_text(value: Any) -> str:
    """How JSON columns are written (the engine's serializer; ``store/prepared.py`` uses it too)."""
    return orjson.dumps(value).decode()


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 here."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def make_engine(url: str) -> Engine:
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
            # Checkpoint every ~40 MB of WAL instead of 4 MB: pages that many commits touch (the tail of
            # each index) are copied into the database once per checkpoint, and its syncs come 10x less
            # often (bench/RESULTS.md, "Records"); the file is cut back to 64 MB after each checkpoint.
            cursor.execute("PRAGMA wal_autocheckpoint=10000")
            cursor.execute("PRAGMA journal_size_limit=67108864")
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
    config = Config()
    config.set_main_option("script_location", str(resources.files("zcrm_emulator.store") / "migrations"))
    config.attributes["connection"] = connection
    return config


class Store:
    """Owns the engine; hands out one transaction per unit of work."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest revision (every head: resources migrate independently)."""
        with self.engine.begin() as conn:
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
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()
