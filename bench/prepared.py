"""Prepared statements against SQLAlchemy Core with its compiled cache, in one run (issue: one
database rule — keep the simpler way unless the other is measurably faster).

    .venv/bin/python bench/prepared.py [--rounds 5] [--calls 2000]

On a fresh emulator store (embedded SQLite in a temp dir), alternating the two ways ``--rounds``
times, median per statement:

* the access-token lookup every CRM call runs (one row by primary key): ``Core`` is
  ``conn.execute(select(...)).first()`` (the engine's compiled cache on, as always), ``prepared`` is
  ``store/prepared.Prepared.first``;
* the records insert of one 100-record call: Core ``conn.execute(insert(records), rows)``
  (executemany of dicts through Core's parameter processing) against ``Prepared.run_tuples``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import bindparam, insert, select

from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.ids import allocate
from zcrm_emulator.record_model import load_module
from zcrm_emulator.store.engine import json_text
from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import access_tokens, records

TOKEN = select(
    access_tokens.c.org_id,
    access_tokens.c.user_id,
    access_tokens.c.scopes,
    access_tokens.c.client_id,
    access_tokens.c.expires_ms,
).where(access_tokens.c.token_hash == bindparam("token_hash"))
RECORD_COLUMNS = (
    "id",
    "org_id",
    "module_id",
    "owner_id",
    "created_by",
    "modified_by",
    "created_ms",
    "modified_ms",
    "deleted_ms",
    "deleted_by",
    "data",
)


def per_call_us(run: Callable[[], None], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        run()
    return (time.perf_counter() - started) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        emulator = Emulator(Settings.for_data_dir(Path(folder)))
        org_id = emulator.default_org_id
        token_hash = "0" * 64
        prepared_token = Prepared(TOKEN)
        prepared_insert = Prepared(insert(records))
        with emulator.store.tx() as conn:
            module_id = load_module(conn, org_id, "Leads", emulator.clock.now_ms()).id
            user_id = str(conn.execute(select(access_tokens.c.user_id).limit(1)).scalar() or "1")
        results: dict[str, list[float]] = {
            k: [] for k in ("token core", "token prepared", "insert core", "insert prepared")
        }
        for _ in range(args.rounds):
            with emulator.store.tx() as conn:
                results["token core"].append(
                    per_call_us(lambda: conn.execute(TOKEN, {"token_hash": token_hash}).first(), args.calls)
                )
                results["token prepared"].append(
                    per_call_us(lambda: prepared_token.first(conn, {"token_hash": token_hash}), args.calls)
                )
            for way in ("core", "prepared"):
                calls = max(args.calls // 50, 10)
                with emulator.store.tx(writes=True) as conn:

                    def one_insert(way: str = way) -> None:
                        ids = allocate(conn, org_id, 100)
                        rows = [
                            (
                                rid,
                                org_id,
                                module_id,
                                user_id,
                                user_id,
                                user_id,
                                1,
                                1,
                                None,
                                None,
                                {"Last_Name": f"R{rid}"},
                            )
                            for rid in ids
                        ]
                        if way == "core":
                            conn.execute(insert(records), [dict(zip(RECORD_COLUMNS, row, strict=True)) for row in rows])
                        else:
                            prepared_insert.run_tuples(
                                conn, RECORD_COLUMNS, [(*row[:-1], json_text(row[-1])) for row in rows]
                            )

                    results[f"insert {way}"].append(per_call_us(one_insert, calls))
        emulator.close()
    for name, values in results.items():
        print(
            f"{name:16} median {statistics.median(values):8.1f} µs  (rounds: {', '.join(f'{v:.1f}' for v in values)})"
        )
    medians = {name: statistics.median(values) for name, values in results.items()}
    print(f"token lookup: Core / prepared = {medians['token core'] / medians['token prepared']:.2f}")
    print(f"100-record insert: Core / prepared = {medians['insert core'] / medians['insert prepared']:.2f}")


if __name__ == "__main__":
    main()
