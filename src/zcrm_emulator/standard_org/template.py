"""The fresh org, built once into a template and copied from there, never built again.

A template is a database holding nothing but a fresh org (``create_org``) at the code's schema
heads. Its key is everything the fresh org depends on: the package version, the schema heads, the
edition, the data center and a digest of the files it is built from (the standard org's data and
code, the migrations, id and time formats), so a changed file in a development checkout gets a new
template instead of a stale one.

- SQLite: a file in the per-user cache dir (``ZCRM_TEMPLATE_DIR`` overrides it, e.g. one per test
  session), ``fresh-<edition>-<dc>-<key>.sqlite3``, in rollback-journal mode so that the one file is
  the whole database. A new data dir starts as a copy of it.
- PostgreSQL: a database ``zcrm_template_<key>`` on the same server. New databases can be made
  from it with ``CREATE DATABASE … TEMPLATE`` (the test suite does); a live database is filled from
  it (``store/snapshots/postgres.py``).

Both are built under a temporary name and renamed into place, so processes building the same
template at once each end with a complete one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import time
from collections.abc import Iterator
from functools import cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs
from sqlalchemy.exc import DBAPIError

from zcrm_emulator.standard_org import ensure_default_org
from zcrm_emulator.store import Store, databases, heads
from zcrm_emulator.store.snapshots import sqlite as sqlite_snapshots

log = logging.getLogger("zcrm_emulator.template")

TEMPLATE_DIR_ENV = "ZCRM_TEMPLATE_DIR"
POSTGRES_PREFIX = "zcrm_template_"
# What the fresh org is made of besides the standard org's own package (data files and code).
_INPUTS = ("ids.py", "clock.py", "store/schema.py", "store/migrations/versions")


def _source_files(entry: Traversable, label: str) -> Iterator[tuple[str, bytes]]:
    if entry.is_dir():
        for child in sorted(entry.iterdir(), key=lambda child: child.name):
            if child.name != "__pycache__":
                yield from _source_files(child, f"{label}/{child.name}")
    elif entry.name.endswith((".py", ".json")):
        yield label, entry.read_bytes()


@cache
def _inputs_digest() -> str:
    digest = hashlib.sha256()
    package = resources.files("zcrm_emulator")
    for name in ("standard_org", *_INPUTS):
        entry = package
        for part in name.split("/"):
            entry = entry / part
        for label, content in _source_files(entry, name):
            digest.update(label.encode() + b"\0" + content)
    return digest.hexdigest()


@cache
def _package_version() -> str:
    try:
        return metadata.version("zcrm-emulator")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "source"


def template_key(edition: str, dc: str) -> str:
    parts = [_package_version(), ",".join(sorted(heads.code_heads())), edition, dc, _inputs_digest()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _build_into(url: str, edition: str, dc: str) -> None:
    """Migrate the (new, empty) database at ``url`` and build its fresh org."""
    store = Store(url)
    try:
        store.migrate()
        ensure_default_org(store, now=lambda: time.time_ns() // 1_000_000, edition=edition, dc=dc)
    finally:
        store.dispose()


# --- SQLite -----------------------------------------------------------------------------------


def template_dir() -> Path:
    configured = os.environ.get(TEMPLATE_DIR_ENV)
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("zcrm-emulator", appauthor=False))


def sqlite_template(edition: str, dc: str) -> Path:
    """The template file for ``edition`` and ``dc``, built first if this machine has none yet."""
    path = template_dir() / f"fresh-{edition}-{dc}-{template_key(edition, dc)}.sqlite3"
    if not path.exists():
        _build_sqlite(path, edition, dc)
    return path


def _build_sqlite(path: Path, edition: str, dc: str) -> None:
    log.info("building the fresh-org template %s (once per version, edition and data center)", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.{secrets.token_hex(4)}.building")
    try:
        _build_into(f"sqlite:///{building}", edition, dc)
        sqlite_snapshots.make_self_contained(building)  # one file to copy
        os.replace(building, path)
    finally:
        for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
            leftover.unlink(missing_ok=True)


# --- PostgreSQL -------------------------------------------------------------------------------


def postgres_template_name(edition: str, dc: str) -> str:
    return f"{POSTGRES_PREFIX}{template_key(edition, dc)}"


def postgres_template(url: str, edition: str, dc: str) -> str | None:
    """The template database's name on the server of ``url``, built first if the server has none;
    None when it cannot be made (the role may not create databases)."""
    name = postgres_template_name(edition, dc)
    admin = databases.server(url)
    try:
        if databases.exists(admin, name):
            return name
        building = f"{name}_{secrets.token_hex(4)}"
        try:
            databases.create(admin, building)
        except DBAPIError as error:
            log.warning("no fresh-org template database (%s): fresh orgs are built in place", error.orig)
            return None
        log.info("building the fresh-org template database %s", name)
        try:
            _build_into(databases.url_of(url, building), edition, dc)
            databases.rename(admin, building, name)
        except DBAPIError:
            if not databases.exists(admin, name):  # else another process put its own build there first
                raise
        finally:  # nothing is left under the building name after the rename
            databases.drop(admin, building)
        return name
    finally:
        admin.dispose()
