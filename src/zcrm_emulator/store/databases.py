"""Whole databases on a PostgreSQL server: whether one exists, making one (empty or a copy of a
template database), renaming and dropping one. Run outside any transaction (``CREATE DATABASE``
cannot run inside one), on connections that are not kept: a database with a connection open can
be neither a template nor renamed."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from zcrm_emulator.store.engine import normalize_url


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def server(url: str) -> Engine:
    """An engine for server-level statements on the server of ``url`` (dispose of it after use)."""
    return create_engine(normalize_url(url), isolation_level="AUTOCOMMIT", poolclass=NullPool)


def url_of(url: str, database: str) -> str:
    """``url`` naming another database on the same server."""
    return make_url(normalize_url(url)).set(database=database).render_as_string(hide_password=False)


def exists(admin: Engine, name: str) -> bool:
    with admin.connect() as conn:
        return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first() is not None


def create(admin: Engine, name: str, *, template: str | None = None) -> None:
    """A new database: empty, or a copy of ``template`` (which must have no connection open)."""
    copying = f" TEMPLATE {_quoted(template)}" if template else ""
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {_quoted(name)}{copying}")


def rename(admin: Engine, name: str, new_name: str) -> None:
    with admin.connect() as conn:
        conn.exec_driver_sql(f"ALTER DATABASE {_quoted(name)} RENAME TO {_quoted(new_name)}")


def drop(admin: Engine, name: str) -> None:
    """Drop ``name`` if it exists, ending any connection to it."""
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")
