"""``zcrm-emulator seed``: fill a module (standard or custom) with realistic fake records.

The work is ``seeding.seed_module``; this module is the command line around it, added to
``cli.main`` by ``cli/__init__.py``.
"""

from __future__ import annotations

from pathlib import Path

import click

from zcrm_emulator.cli.options import describe_location, settings_from, store_options
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.seeding import MAX_BATCH, seed_module


@click.command()
@click.option("--module", "module", required=True, help="Module api_name, e.g. Leads or a custom module")
@click.option("--records", "count", required=True, type=click.IntRange(min=1), help="How many records to add")
@click.option("--seed", "seed", type=int, default=None, help="Random seed: the same seed gives the same records")
@click.option(
    "--batch",
    "batch_size",
    type=click.IntRange(1, MAX_BATCH),
    default=100,
    show_default=True,
    help="Records per transaction",
)
@store_options
def seed(module: str, count: int, seed: int | None, batch_size: int, data: Path | None, db: str | None) -> None:
    """Fill a module with realistic fake records (validated like POST /{module})."""
    settings = settings_from(data, db)
    emulator = Emulator(settings)
    try:
        added = seed_module(emulator, module, count, seed=seed, batch_size=batch_size)
    except ZohoError as error:
        raise click.ClickException(f"{error.code}: {error.message} {error.details}") from None
    finally:
        emulator.close()
    click.echo(f"added {added} {module} records to org {emulator.default_org_id} in {describe_location(settings)}")
