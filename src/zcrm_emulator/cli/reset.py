"""``zcrm-emulator reset``: drop all data and start again from a fresh org (a restore of the fresh-org
template, snapshots.py)."""

from __future__ import annotations

from pathlib import Path

import click

from zcrm_emulator.cli.options import describe_location, settings_from, store_options


@click.command()
@store_options
def reset(data: Path | None, db: str | None) -> None:
    """Drop all data and start again from a fresh org."""
    from zcrm_emulator.emulator import Emulator

    settings = settings_from(data, db)
    emulator = Emulator(settings)
    try:
        org_id = emulator.reset()
    finally:
        emulator.close()
    click.echo(f"fresh org {org_id} in {describe_location(settings)}")
