"""Seeding a module with realistic fake records (the ``seed`` command's work, without the CLI).

Records go through the record model's ``insert_records`` — the same validation and writes as
``POST /{module}`` — in batches, one transaction each, as the org's first user. Values come from
``seeding.data.RecordMaker``: the same seed gives the same records. Faker and tqdm are imported
when seeding runs, not with this package: the ``seed`` command is part of the command line every
``zcrm-emulator serve`` loads, and Faker alone took a tenth of a second.
"""

from __future__ import annotations

import sys
from typing import Any

import click
from sqlalchemy import Connection

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
        references = mandatory_references(conn, org_id, meta, user_id, now)
    maker = RecordMaker([f for f in meta.fields if meta.writable(f["api_name"], "create")], seed, references)
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


# How many records of a lookup's module seeded records may point at.
LOOKUP_TARGETS = 500


def mandatory_references(
    conn: Connection, org_id: str, meta: record_model.ModuleMeta, user_id: str, now_ms: int
) -> dict[str, list[Any]]:
    """What the mandatory user and record references of the module may hold: the seeding user, and
    existing records of each lookup's module (an appointment's service and customer …). A lookup
    whose module has no records yet is a ``ClickException`` naming the module to seed first."""
    choices: dict[str, list[Any]] = {}
    for field in meta.fields:
        name, kind = field["api_name"], field.get("data_type")
        if not field.get("system_mandatory") or not meta.writable(name, "create"):
            continue
        if kind in ("ownerlookup", "userlookup"):
            choices[name] = [{"id": user_id}]
        elif kind == "multiuserlookup":
            choices[name] = [[{"id": user_id}]]
        elif kind == "subform" and name in meta.subforms:
            choices[name] = subform_rows(conn, org_id, meta.subforms[name], user_id, now_ms)
        elif kind == "lookup":
            several = [m["api_name"] for m in (field.get("multi_module_lookup") or {}).get("modules") or []]
            single = ((field.get("lookup") or {}).get("module") or {}).get("api_name")
            targets = several or ([single] if single else [])
            if not targets:
                continue  # a lookup to any module (a note's parent): nothing to choose from
            for target in targets:
                target_meta = record_model.load_module(conn, org_id, target, now_ms)
                page = record_model.PageQuery(limit=LOOKUP_TARGETS)
                for row in record_model.list_records(conn, target_meta.id, page):
                    reference: dict[str, Any] = {"id": row.id}
                    if several:
                        reference["module"] = {"api_name": target_meta.api_name}
                    choices.setdefault(name, []).append(reference)
            if name not in choices:
                raise click.ClickException(
                    f"{meta.api_name} records need {name}, a record of {' or '.join(targets)}, and there is "
                    "none yet: seed that module first"
                )
    return choices


# How many different row lists a mandatory subform's records pick from, and rows per list (1-3).
ROW_LISTS = 50
MAX_ROWS = 3


def subform_rows(
    conn: Connection, org_id: str, sub: record_model.ModuleMeta, user_id: str, now_ms: int
) -> list[list[dict[str, Any]]]:
    """Row lists for a mandatory subform (an inventory record's line items): each row names one
    of the records its own mandatory lookups take (seeded Products for line items) and, where the
    subform has one, a small Quantity; the amounts are the server's to compute."""
    references = mandatory_references(conn, org_id, sub, user_id, now_ms)
    quantity = "Quantity" in sub.by_name and sub.writable("Quantity", "create")
    lists: list[list[dict[str, Any]]] = []
    for index in range(ROW_LISTS):
        rows: list[dict[str, Any]] = []
        for position in range(1 + index % MAX_ROWS):
            row = {name: values[(index * MAX_ROWS + position) % len(values)] for name, values in references.items()}
            if quantity:
                row["Quantity"] = 1 + (index + position) % 5
            rows.append(row)
        lists.append(rows)
    return lists
