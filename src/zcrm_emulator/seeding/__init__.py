"""Seeding a module with realistic fake records (the ``seed`` command's work, without the CLI).

Records go through the record model's ``insert_records`` — the same validation and writes as
``POST /{module}`` — in batches, one transaction each, as the org's first user. Values come from
``seeding.data.RecordMaker``: the same seed gives the same records. Faker and tqdm are imported
when seeding runs, not with this package: the ``seed`` command is part of the command line every
``zcrm-emulator serve`` loads, and Faker alone took a tenth of a second.
"""

from __future__ import annotations

import sys

import click

from zcrm_emulator import record_model
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.users import repo as users_repo

MAX_BATCH = 1000


def seed_module(
    emulator: Emulator,
    module: str,
    count: int,
    *,
    seed: int | None = None,
    batch_size: int = 100,
    progress: bool = True,
) -> int:
    """Insert ``count`` fake records into ``module`` of the default org; returns how many were added.

    Raises ``ZohoError`` (INVALID_MODULE …) for a module that takes no records, and ``click``'s
    ``ClickException`` when a generated record is refused (a field rule the generator cannot meet).
    """
    from tqdm import tqdm

    from zcrm_emulator.seeding.data import RecordMaker

    org_id = emulator.default_org_id
    now = emulator.clock.now_ms()
    with emulator.store.tx() as conn:
        meta = record_model.load_module(conn, org_id, module, now)
        user_id = users_repo.list_users(conn, org_id)[0]["id"]
    maker = RecordMaker([f for f in meta.fields if meta.writable(f["api_name"], "create")], seed)
    added = 0
    with tqdm(total=count, unit="rec", desc=f"seed {module}", disable=not progress, file=sys.stderr) as bar:
        for start in range(0, count, batch_size):
            items = [maker.make(index) for index in range(start, min(start + batch_size, count))]
            with emulator.store.tx(writes=True) as conn:
                who = record_model.caller(conn, org_id, user_id, emulator.memo)
                results = record_model.insert_records(conn, org_id, who, meta, items, now_ms=emulator.clock.now_ms())
            refused = [(start + i, r) for i, r in enumerate(results) if r["status"] != "success"]
            if refused:
                index, result = refused[0]
                raise click.ClickException(
                    f"record {index} was refused: {result['code']} {result['details']} ({result['message']}); "
                    f"{added} records were added before it"
                )
            added += len(items)
            bar.update(len(items))
    return added
