"""What every command that opens a store shares: ``--data``/``--db`` and the settings they make."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from zcrm_emulator.config import Settings, default_data_dir

DB_HELP = "Database URL, e.g. postgresql://user@host/db (default: SQLite in --data)"
DATA_HELP = "Directory for the embedded SQLite database (default: the per-user data dir)"

Command = TypeVar("Command", bound=Callable[..., object])


def settings_from(data: Path | None, db: str | None, **kwargs: object) -> Settings:
    """Settings from --data/--db: --db wins; otherwise SQLite inside --data (created if needed)."""
    if db:
        return Settings(db_url=db, **kwargs)  # type: ignore[arg-type]
    return Settings.for_data_dir(data or default_data_dir(), **kwargs)


def describe_location(settings: Settings) -> str:
    url = settings.db_url
    return url.removeprefix("sqlite:///") if url.startswith("sqlite") else url.split("@")[-1]


def store_options(command: Command) -> Command:
    command = click.option("--db", "db", default=None, help=DB_HELP)(command)
    return click.option("--data", "data", type=click.Path(path_type=Path), default=None, help=DATA_HELP)(command)
