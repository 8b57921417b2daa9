"""The cost of one call on each hot path, in-process (no socket): a checkout against another, or a
change against the code before it, in one run on the same machine.

    .venv/bin/python bench/calls.py [--rounds 5] [--calls 300] [--leads 2000]
    PYTHONPATH=/other/checkout/src .venv/bin/python bench/calls.py      # the same for another checkout

On a fresh store (embedded SQLite in a temp dir) holding ``--leads`` Leads, through the ASGI app with
httpx's ASGITransport and an all-scope token, ``--rounds`` rounds of ``--calls`` calls per path,
median µs per call:

* ``GET /crm/v8/Leads/{id}`` (ids drawn from the module);
* ``GET /crm/v8/Leads?fields=Last_Name,Email,Company&per_page=20``;
* ``POST /crm/v8/Leads`` with one record, and with 100 records (per call);
* ``GET /crm/v8/settings/modules`` (the 108 KB module list).
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


def lead(n: int) -> dict[str, object]:
    return {"Last_Name": f"Bench {n}", "Email": f"lead{n}@zylker.example", "Company": "Zylker", "Phone": "555-0100"}


# Wall time by default; ``--cpu`` counts the process's CPU time instead, which other work on a
# shared machine inflates far less (the store is embedded: its work is this process's too).
CLOCK = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCK["wall"]


async def per_call_us(call: Callable[[int], Awaitable[httpx.Response]], calls: int) -> float:
    started = clock()
    for n in range(calls):
        response = await call(n)
        assert response.status_code < 300, response.text
    return (clock() - started) / calls * 1e6


async def run(rounds: int, calls: int, leads: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings.for_data_dir(Path(folder), public_url=BASE))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
            token = (await http.post("/_emulator/tokens", json={})).json()["access_token"]
            http.headers["Authorization"] = f"Zoho-oauthtoken {token}"
            ids: list[str] = []
            for start in range(0, leads, 100):
                made = await http.post("/crm/v8/Leads", json={"data": [lead(n) for n in range(start, start + 100)]})
                ids += [item["details"]["id"] for item in made.json()["data"]]
            pick = random.Random(1)
            counter = iter(range(10**9))
            paths: dict[str, Callable[[int], Awaitable[httpx.Response]]] = {
                "get one record": lambda n: http.get(f"/crm/v8/Leads/{pick.choice(ids)}"),
                "list 20 records": lambda n: http.get(
                    "/crm/v8/Leads", params={"fields": "Last_Name,Email,Company", "per_page": 20}
                ),
                "insert 1 record": lambda n: http.post("/crm/v8/Leads", json={"data": [lead(next(counter))]}),
                "insert 100 records": lambda n: http.post(
                    "/crm/v8/Leads", json={"data": [lead(next(counter)) for _ in range(100)]}
                ),
                "modules list": lambda n: http.get("/crm/v8/settings/modules"),
            }
            results: dict[str, list[float]] = {name: [] for name in paths}
            for _ in range(rounds):
                for name, call in paths.items():
                    results[name].append(await per_call_us(call, calls // 10 if "100" in name else calls))
        app.state.emulator.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--leads", type=int, default=2000)
    parser.add_argument("--cpu", action="store_true", help="CPU time per call instead of wall time")
    args = parser.parse_args()
    global clock
    clock = CLOCK["cpu" if args.cpu else "wall"]
    results = asyncio.run(run(args.rounds, args.calls, args.leads))
    for name, values in results.items():
        print(f"{name:20} median {statistics.median(values):9.1f} µs   rounds: {', '.join(f'{v:.0f}' for v in values)}")


if __name__ == "__main__":
    main()
