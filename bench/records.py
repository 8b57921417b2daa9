"""Records benchmark: inserts, get-by-id and search-by-email on a module of ``--records`` Leads.

    .venv/bin/python bench/records.py --records 1000000 [--data DIR] [--duration 15] [--connections 4]

Starts ``zcrm-emulator serve`` (one uvicorn worker, embedded SQLite, ``--log-level warning``) as a
subprocess on a free loopback port (``bench/gateway.py``'s ``running_server``) and measures, in one
run and next to the bare ceiling of the same stack (``GET /_emulator/health``):

1. fills Leads up to ``--records`` with ``zcrm-emulator seed`` (same validation as the API; skipped
   for what a reused ``--data`` folder already holds), then reads the database file once so the
   loads meet the OS page cache, as a long-running server would;
2. ``GET /crm/v8/Leads/{id}`` for 5,000 ids sampled uniformly from the whole module;
3. ``GET /crm/v8/Leads/search?email=…`` and ``?criteria=(Email:equals:…)`` for their emails
   (each read load follows ``--warmup`` seconds of the same load, unmeasured);
4. ``POST /crm/v8/Leads`` with 100 new records per request (records/s), on the full module.

Each load is ``wrk`` with one thread and ``--connections`` keep-alive connections for ``--duration``
seconds (Lua scripts pick a random id/email per request and check every status), else a bounded
asyncio httpx client. Prints req/s, p50/p99 ms, the ratio to the ceiling and the targets
(insert >= 10,000 records/s; get-by-id and search p99 < 20 ms), and with ``--markdown`` the
section for ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gateway import find_wrk, running_server, serve_command

SAMPLE = 5000  # ids / emails each read load draws from
INSERT_BATCH = 100
TARGETS = {"insert_records_per_s": 10_000, "read_p99_ms": 20.0}


@dataclass(frozen=True)
class Result:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    bad: int  # unexpected statuses and socket errors
    requests: int
    records_per_request: int = 1

    @property
    def records_per_s(self) -> float:
        return self.requests_per_s * self.records_per_request


# --- wrk with Lua --------------------------------------------------------------------------------

LUA_COMMON = """
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  math.randomseed(1000 + id)
end
function response(status, headers, body)
  if status ~= EXPECTED then bad = bad + 1 end
end
function done(summary, latency, requests)
  local wrong = 0
  for _, t in ipairs(threads) do wrong = wrong + t:get("bad") end
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "bad": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    wrong + e.connect + e.read + e.write + e.timeout))
end
"""


def lua_list(name: str, values: list[str]) -> str:
    return f"{name} = {{" + ",".join(json.dumps(v) for v in values) + "}\n"


def lua_reads(token: str, paths: list[str]) -> str:
    return (
        "EXPECTED = 200\n"
        + lua_list("paths", paths)
        + f'wrk.headers["Authorization"] = "Zoho-oauthtoken {token}"\n'
        + "function request() return wrk.format('GET', paths[math.random(#paths)]) end\n"
        + LUA_COMMON
    )


def lua_inserts(token: str, run: str) -> str:
    return (
        f"EXPECTED = 201\nRUN = {json.dumps(run)}\nBATCH = {INSERT_BATCH}\n"
        + f'wrk.headers["Authorization"] = "Zoho-oauthtoken {token}"\n'
        + """
local n = 0
function request()
  n = n + 1
  local items = {}
  for i = 1, BATCH do
    local key = RUN .. "." .. id .. "." .. n .. "." .. i
    items[i] = '{"Last_Name":"Bench ' .. key .. '","First_Name":"Ann","Company":"Zylker ' .. (i % 37)
      .. '","Email":"bench.' .. key .. '@zylker.example","Phone":"+1 555 010 ' .. string.format("%04d", i)
      .. '","Lead_Status":"Contacted","No_of_Employees":' .. i .. ',"Annual_Revenue":' .. (i * 1000.5) .. '}'
  end
  return wrk.format("POST", "/crm/v8/Leads", nil, '{"data":[' .. table.concat(items, ",") .. ']}')
end
"""
        + LUA_COMMON
    )


def run_wrk_script(
    wrk: str, base: str, script: str, name: str, seconds: int, connections: int, per_request: int = 1
) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", handle.name, base]
        out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(handle.name)
    line = next(row for row in out.splitlines() if row.startswith("RESULT "))
    stats = json.loads(line.removeprefix("RESULT "))
    return Result(
        name,
        stats["requests"] / (stats["duration_us"] / 1e6),
        stats["p50_us"] / 1000,
        stats["p99_us"] / 1000,
        stats["bad"],
        stats["requests"],
        per_request,
    )


# --- the httpx fallback ----------------------------------------------------------------------------

Request = Callable[[int], tuple[str, str, bytes | None]]


async def _httpx_load(
    base: str, headers: dict[str, str], make: Request, expected: int, seconds: int, connections: int
) -> tuple[float, float, float, int, int]:
    latencies: list[float] = []
    bad = 0
    counter = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10) as client:
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal bad, counter
            while time.perf_counter() < deadline:
                counter += 1
                method, path, body = make(counter)
                started = time.perf_counter()
                try:
                    status = (await client.request(method, path, content=body)).status_code
                except httpx.HTTPError:
                    status = 0
                latencies.append((time.perf_counter() - started) * 1000)
                bad += status != expected

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return len(ordered) / elapsed, ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.99)], bad, len(ordered)


def httpx_reads(base: str, token: str, paths: list[str], name: str, seconds: int, connections: int) -> Result:
    rng = random.Random(7)
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    stats = asyncio.run(
        _httpx_load(base, headers, lambda n: ("GET", rng.choice(paths), None), 200, seconds, connections)
    )
    return Result(name, *stats)


def httpx_inserts(base: str, token: str, run: str, seconds: int, connections: int) -> Result:
    def make(n: int) -> tuple[str, str, bytes]:
        items = [
            {
                "Last_Name": f"Bench {run}.{n}.{i}",
                "Company": f"Zylker {i % 37}",
                "Email": f"bench.{run}.{n}.{i}@zylker.example",
            }
            for i in range(INSERT_BATCH)
        ]
        return "POST", "/crm/v8/Leads", json.dumps({"data": items}).encode()

    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    stats = asyncio.run(_httpx_load(base, headers, make, 201, seconds, connections))
    return Result("POST /crm/v8/Leads (100 per request)", *stats, records_per_request=INSERT_BATCH)


# --- data ------------------------------------------------------------------------------------------


def leads_count(base: str, token: str) -> int:
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    response = httpx.get(f"{base}/crm/v8/Leads/actions/count", headers=headers, timeout=600)
    response.raise_for_status()
    return int(response.json()["count"])


def fill(data_dir: Path, wanted: int, have: int, seed: int) -> float:
    """Seed the missing Leads (``zcrm-emulator seed``, the records service's validation); seconds taken."""
    if have >= wanted:
        return 0.0
    started = time.perf_counter()
    command = [*serve_command(), "seed", "--module", "Leads", "--records", str(wanted - have)]
    subprocess.run([*command, "--seed", str(seed), "--batch", "1000", "--data", str(data_dir)], check=True)
    return time.perf_counter() - started


def warm_file(path: Path) -> float:
    """Read the database file once, so the loads run against the OS page cache as a long-running
    server's would (a 1M-record module is a few GB; cold disk reads would be measured otherwise)."""
    started = time.perf_counter()
    with path.open("rb") as handle:
        while handle.read(16 << 20):
            pass
    return time.perf_counter() - started


def sample_leads(data_dir: Path, count: int, seed: int) -> list[tuple[str, str]]:
    """(id, email) of live Leads drawn uniformly from the whole table (read-only, beside the server)."""
    uri = f"file:{data_dir / 'zcrm.sqlite3'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        module_id = db.execute("SELECT id FROM modules WHERE api_name = 'Leads'").fetchone()[0]
        top = db.execute("SELECT max(rowid) FROM records").fetchone()[0]
        rng = random.Random(seed)
        picked: list[tuple[str, str]] = []
        while len(picked) < count:
            rowids = [rng.randint(1, top) for _ in range(count)]
            marks = ",".join("?" * len(rowids))
            rows = db.execute(
                f"SELECT id, json_extract(data, '$.Email') FROM records WHERE rowid IN ({marks}) "
                "AND module_id = ? AND deleted_ms IS NULL AND json_extract(data, '$.Email') IS NOT NULL",
                [*rowids, module_id],
            ).fetchall()
            picked.extend(rows)
    return picked[:count]


# --- the run ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="Leads in the module for the read loads")
    parser.add_argument("--data", type=Path, default=None, help="data folder to (re)use; default: a temporary one")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per endpoint")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unmeasured load before each read load")
    parser.add_argument("--connections", type=int, default=4, help="concurrent keep-alive connections (bounded load)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the fake records and of the samples")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    parser.add_argument("--httpx", action="store_true", help="use the asyncio httpx client even if wrk exists")
    parser.add_argument("--markdown", action="store_true", help="also print the bench/RESULTS.md section")
    args = parser.parse_args()

    wrk = None if args.httpx else find_wrk(install=not args.no_install)
    generator = (
        f"wrk, 1 thread, {args.connections} connections" if wrk else f"asyncio httpx, {args.connections} connections"
    )
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="zcrm-bench-") as scratch:
        data_dir = args.data or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        with running_server(data_dir) as server:
            base = server.url
            minted = httpx.post(f"{base}/_emulator/tokens", json={}, timeout=30).json()
            token = minted["access_token"]
            # Ultimate: no daily credit cap, so a long run measures the API, not the 429s of its limit.
            edition = httpx.put(f"{base}/_emulator/orgs/{minted['org_id']}/edition", json={"edition": "ultimate"})
            edition.raise_for_status()
            have = leads_count(base, token)
            fill_s = fill(data_dir, args.records, have, args.seed)
            total = leads_count(base, token)
            seeded_rate = (total - have) / fill_s if fill_s else None
            sample = sample_leads(data_dir, SAMPLE, args.seed)
            warm_file(data_dir / "zcrm.sqlite3")
            by_id = [f"/crm/v8/Leads/{record_id}" for record_id, _ in sample]
            by_email = [f"/crm/v8/Leads/search?email={quote(email, safe='')}" for _, email in sample]
            by_criteria = [
                f"/crm/v8/Leads/search?criteria={quote(f'(Email:equals:{email})', safe='')}" for _, email in sample
            ]
            for path in (by_id[0], by_email[0], by_criteria[0]):  # each kind answers before it is loaded
                check = httpx.get(f"{base}{path}", headers={"Authorization": f"Zoho-oauthtoken {token}"}, timeout=30)
                if check.status_code != 200:
                    raise RuntimeError(f"{path} answered {check.status_code}: {check.text[:200]}")

            def reads(name: str, paths: list[str]) -> Result:
                """A warm-up pass over the same paths (page cache, memos), then the measured one."""
                for seconds in (args.warmup, args.duration):
                    if wrk:
                        result = run_wrk_script(wrk, base, lua_reads(token, paths), name, seconds, args.connections)
                    else:
                        result = httpx_reads(base, token, paths, name, seconds, args.connections)
                return result

            run = datetime.now(UTC).strftime("%H%M%S")
            ceiling = reads("GET /_emulator/health (bare ceiling)", ["/_emulator/health"])
            results = [
                reads("GET /crm/v8/Leads/{id}", by_id),
                reads("GET /crm/v8/Leads/search?email=", by_email),
                reads("GET /crm/v8/Leads/search?criteria=(Email:equals:)", by_criteria),
            ]
            if wrk:
                insert = run_wrk_script(
                    wrk,
                    base,
                    lua_inserts(token, run),
                    "POST /crm/v8/Leads (100 per request)",
                    args.duration,
                    args.connections,
                    INSERT_BATCH,
                )
            else:
                insert = httpx_inserts(base, token, run, args.duration, args.connections)
            after = total + (insert.requests - insert.bad) * INSERT_BATCH

    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"date            {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"machine         {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    print(f"load average    {load_before} before, {load_after} after (other work on the machine skews figures)")
    print(f"load            {generator}, {args.duration} s per endpoint; server: 1 uvicorn worker, SQLite WAL")
    print(
        f"module          Leads: {total:,} records for the reads ({have:,} already there), about {after:,} at the end"
    )
    if seeded_rate is not None:
        print(
            f"seeded          {total - have:,} records in {fill_s:.0f} s "
            f"({seeded_rate:,.0f} records/s, zcrm-emulator seed)"
        )
    print()
    print(f"{'endpoint':<52} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'x ceiling':>9} {'bad':>5}")
    for result in (ceiling, *results, insert):
        ratio = result.requests_per_s / ceiling.requests_per_s
        print(
            f"{result.name:<52} {result.requests_per_s:>8.0f} {result.p50_ms:>7.2f} {result.p99_ms:>7.2f}"
            f" {ratio:>9.2f} {result.bad:>5}"
        )
    print()
    insert_ok = insert.records_per_s >= TARGETS["insert_records_per_s"]
    print(
        f"insert          {insert.records_per_s:,.0f} records/s (target >= 10,000: {'met' if insert_ok else 'MISSED'})"
    )
    for result in results:
        ok = result.p99_ms < TARGETS["read_p99_ms"]
        print(f"p99             {result.name}: {result.p99_ms:.2f} ms (target < 20: {'met' if ok else 'MISSED'})")
    if args.markdown:
        print_markdown(ceiling, results, insert, total, generator, args, load_before, load_after, seeded_rate)
    bad = sum(r.bad for r in (ceiling, *results, insert))
    return 0 if bad == 0 else 1


def print_markdown(
    ceiling: Result,
    results: list[Result],
    insert: Result,
    total: int,
    generator: str,
    args: argparse.Namespace,
    load_before: str,
    load_after: str,
    seeded_rate: float | None,
) -> None:
    print("\n## Records\n")
    print(
        f"`.venv/bin/python bench/records.py --records {args.records} --duration {args.duration} "
        f"--connections {args.connections}`"
    )
    print(f"— {datetime.now(UTC).strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {generator}, one uvicorn worker,")
    print(f"SQLite WAL, Leads holding {total:,} records; load average {load_before} before, {load_after} after.\n")
    print("| endpoint | req/s | p50 ms | p99 ms | × ceiling | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| {ceiling.name} | {ceiling.requests_per_s:,.0f} | {ceiling.p50_ms:.2f} | {ceiling.p99_ms:.2f} | 1.00 | |")
    for r in results:
        verdict = "met" if r.p99_ms < TARGETS["read_p99_ms"] else "missed"
        row = f"| {r.name} | {r.requests_per_s:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f}"
        print(f"{row} | {r.requests_per_s / ceiling.requests_per_s:.2f} | p99 < 20 ms: {verdict} |")
    verdict = "met" if insert.records_per_s >= TARGETS["insert_records_per_s"] else "missed"
    row = f"| {insert.name} | {insert.requests_per_s:,.0f} | {insert.p50_ms:.2f} | {insert.p99_ms:.2f}"
    print(
        f"{row} | {insert.requests_per_s / ceiling.requests_per_s:.2f} | "
        f"{insert.records_per_s:,.0f} records/s ≥ 10,000: {verdict} |"
    )
    if seeded_rate is not None:
        print(f"\nSeeding (`zcrm-emulator seed --batch 1000`): {seeded_rate:,.0f} records/s.")


if __name__ == "__main__":
    raise SystemExit(main())
