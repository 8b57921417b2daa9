"""COQL against search: a ``select_query`` with a ``where`` on an indexed field (Email) next to the
record search with the same criteria, in one run, in-process (no socket).

    .venv/bin/python bench/coql.py [--records 20000] [--calls 2000] [--rounds 3]

On a fresh store (embedded SQLite in a temp dir, or ``--db-url`` for PostgreSQL) holding
``--records`` Leads inserted through the API (100 per call), through the ASGI app with httpx's
ASGITransport and a token with the module and COQL scopes, ``--rounds`` rounds of, in turn,
``--calls`` calls of each:

* ``POST /crm/v8/coql`` ``select Last_Name, Email, Company from Leads where Email = '<email>'``;
* ``GET /crm/v8/Leads/search?criteria=(Email:equals:<email>)&fields=Last_Name,Email,Company``;

with emails drawn from the module (each call finds one record). Prints p50 and p99 per call (all
rounds' samples together) and the ratio of the p99s (COQL / search): COQL answers an equality on an
email from the key index (``record_keys``) as search does from its word index, so the ratio should
stay near 1 at any ``--records``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from zcrm_emulator import create_app
from zcrm_emulator.config import Settings

BASE = "http://crm.bench"
SCOPES = ["ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL", "ZohoCRM.users.ALL", "ZohoCRM.org.ALL", "ZohoCRM.coql.READ"]


def lead(n: int) -> dict[str, object]:
    return {"Last_Name": f"Bench {n}", "Email": f"lead{n}@zylker.example", "Company": f"Zylker {n % 97}"}


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def timed(call: Callable[[], Awaitable[httpx.Response]], calls: int) -> list[float]:
    samples: list[float] = []
    for _ in range(calls):
        started = time.perf_counter()
        response = await call()
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and len(response.json()["data"]) == 1, response.text
    return samples


async def run(records: int, calls: int, rounds: int, db_url: str | None) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        settings = (
            Settings(db_url=db_url, public_url=BASE) if db_url else Settings.for_data_dir(Path(folder), public_url=BASE)
        )
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=60) as http:
            token = (await http.post("/_emulator/tokens", json={"scopes": SCOPES})).json()["access_token"]
            http.headers["Authorization"] = f"Zoho-oauthtoken {token}"
            for start in range(0, records, 100):
                batch = [lead(n) for n in range(start, min(records, start + 100))]
                made = await http.post("/crm/v8/Leads", json={"data": batch})
                assert made.status_code == 201, made.text
            pick = random.Random(1)

            def email() -> str:
                return f"lead{pick.randrange(records)}@zylker.example"

            loads: dict[str, Callable[[], Awaitable[httpx.Response]]] = {
                "coql": lambda: http.post(
                    "/crm/v8/coql",
                    json={"select_query": f"select Last_Name, Email, Company from Leads where Email = '{email()}'"},
                ),
                "search": lambda: http.get(
                    "/crm/v8/Leads/search",
                    params={"criteria": f"(Email:equals:{email()})", "fields": "Last_Name,Email,Company"},
                ),
            }
            for call in loads.values():  # warm caches and the memo, unmeasured
                await timed(call, 50)
            samples: dict[str, list[float]] = {name: [] for name in loads}
            for _ in range(rounds):
                for name, call in loads.items():
                    samples[name] += await timed(call, calls)
        app.state.emulator.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db-url", default=None, help="a PostgreSQL URL instead of a temporary SQLite file")
    args = parser.parse_args()
    samples = asyncio.run(run(args.records, args.calls, args.rounds, args.db_url))
    p99 = {name: percentile(values, 0.99) for name, values in samples.items()}
    for name, values in samples.items():
        print(f"{name:7} p50 {statistics.median(values):6.2f} ms   p99 {p99[name]:6.2f} ms   ({len(values)} calls)")
    print(f"p99 ratio coql / search: {p99['coql'] / p99['search']:.2f} at {args.records:,} Leads")


if __name__ == "__main__":
    main()
