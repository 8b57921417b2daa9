"""Start-up, reset, restore and idle-memory benchmark: each figure beside a reference run in the same session.

    .venv/bin/python bench/startup.py [--rounds 7] [--postgres URL] [--moto PATH]

* start to first answer: ``zcrm-emulator serve`` on a fresh (empty) data dir, from process start to
  the first 200 of ``GET /_emulator/health``, against a bare Starlette app on uvicorn (one JSON
  route) started and polled the same way; the two alternate for ``--rounds`` rounds; medians.
  Target: at most 2x the bare app.
* reset and snapshot restore with the standard org, in-process on an SQLite data dir
  (``Emulator.reset()``, ``Emulator.restore()``), against copying the same database file
  (``shutil.copyfile`` of the checkpointed file); medians of ``--rounds`` x 20 alternating calls.
  Target: at most 3x the copy. With ``--postgres URL`` the same on PostgreSQL (reset: COPY from the
  template database; restore: from a snapshot schema), against ``CREATE DATABASE … TEMPLATE`` of
  the template database.
* idle RSS: the server's resident memory one second after its first answer on a fresh data dir, and
  again one second after a first use (ours: a token, the org and the module list; moto: one S3 and
  one SQS call, as moto loads each service's backend on its first call), beside the bare app and,
  with ``--moto`` (the ``moto_server`` executable of a moto[server] install), moto's server started
  the same way. Target: below moto's.

Templates are built into a temporary folder first (``ZCRM_TEMPLATE_DIR``), as a machine's first
start would; every figure after that is a start on a machine that has them. Loopback only.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gateway import free_port, rss_mib, serve_command

STARTUP_LIMIT_S = 60
IDLE_SETTLE_S = 1.0
CALLS_PER_ROUND = 20

# moto routes a request to a service by the credential scope of its (unchecked) signature.
MOTO_AUTH = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/{}/aws4_request, SignedHeaders=host, Signature=0"
)

BARE_APP = """
import sys
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def health(request):
    return JSONResponse({"status": "ok"})

app = Starlette(routes=[Route("/_emulator/health", health)])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@dataclass(frozen=True)
class Started:
    seconds: float
    rss_mib: float  # idle, one second after the first answer
    used_rss_mib: float  # idle again, one second after ``use`` (what a first client does)


def start_once(command: list[str], url: str, env: dict[str, str], use: Callable[[], object] = lambda: None) -> Started:
    """Process start to the first answer below 500 on ``url``; RSS once it has idled a second, and
    again after ``use``."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {process.stderr.read().decode() if process.stderr else ''}")
            if time.perf_counter() - began > STARTUP_LIMIT_S:
                raise RuntimeError(f"{command[0]} did not answer in time")
            try:
                if httpx.get(url, timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                time.sleep(0.002)
        seconds = time.perf_counter() - began
        time.sleep(IDLE_SETTLE_S)
        idle = rss_mib(process.pid)
        use()
        time.sleep(IDLE_SETTLE_S)
        return Started(seconds, idle, rss_mib(process.pid))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def emulator_start(folder: Path, env: dict[str, str]) -> Started:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data = folder / f"data-{uuid.uuid4().hex[:8]}"  # a fresh data dir every time
    command = [*serve_command(), "serve", "--port", str(port), "--data", str(data), "--log-level", "warning"]

    def use() -> None:  # a token, then the org and the module list
        token = httpx.post(f"{url}/_emulator/tokens", json={}, timeout=10).json()["access_token"]
        for path in ("/crm/v8/org", "/crm/v8/settings/modules"):
            httpx.get(f"{url}{path}", headers={"Authorization": f"Zoho-oauthtoken {token}"}, timeout=10)

    return start_once(command, f"{url}/_emulator/health", env, use)


def bare_start(env: dict[str, str]) -> Started:
    port = free_port()
    return start_once([sys.executable, "-c", BARE_APP, str(port)], f"http://127.0.0.1:{port}/_emulator/health", env)


def moto_start(moto: str, env: dict[str, str]) -> Started:
    port = free_port()
    url = f"http://127.0.0.1:{port}"

    def use() -> None:  # one S3 and one SQS call (moto loads a service's backend on its first call)
        httpx.get(f"{url}/", headers={"Authorization": MOTO_AUTH.format("s3")}, timeout=10)
        httpx.post(
            f"{url}/", data={"Action": "ListQueues"}, headers={"Authorization": MOTO_AUTH.format("sqs")}, timeout=10
        )

    return start_once([moto, "-H", "127.0.0.1", "-p", str(port)], f"{url}/moto-api/", env, use)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def alternate(actions: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median milliseconds of each action, the actions taking turns call by call."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds * CALLS_PER_ROUND):
        for name, action in actions.items():
            samples[name].append(timed(action))
    return {name: median_ms(found) for name, found in samples.items()}


def sqlite_restores(folder: Path, rounds: int) -> dict[str, float]:
    from zcrm_emulator.config import Settings
    from zcrm_emulator.emulator import Emulator

    emulator = Emulator(Settings.for_data_dir(folder / "restores"))
    try:
        emulator.snapshot("bench")
        assert emulator.store.path is not None
        live = Path(emulator.store.path)
        with closing(sqlite3.connect(live)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        copies = folder / "copies"
        copies.mkdir()
        return alternate(
            {
                "copy": lambda: shutil.copyfile(live, copies / "copy.sqlite3"),
                "reset": emulator.reset,
                "restore": lambda: emulator.restore("bench"),
            },
            rounds,
        )
    finally:
        emulator.close()


def postgres_restores(url: str, rounds: int) -> dict[str, float]:
    from zcrm_emulator.config import DEFAULT_DC, DEFAULT_EDITION, Settings
    from zcrm_emulator.emulator import Emulator
    from zcrm_emulator.standard_org import template
    from zcrm_emulator.store import databases

    source = template.postgres_template(url, DEFAULT_EDITION, DEFAULT_DC)
    if source is None:
        raise RuntimeError("the role cannot create databases")
    admin = databases.server(url)
    made: list[str] = []

    def clone() -> None:
        made.append(f"zcrm_bench_{uuid.uuid4().hex[:8]}")
        databases.create(admin, made[-1], template=source)

    clone()
    emulator = Emulator(Settings(db_url=databases.url_of(url, made[0])))
    try:
        emulator.snapshot("bench")
        return alternate(
            {
                "create database … template": clone,
                "reset": emulator.reset,
                "restore": lambda: emulator.restore("bench"),
            },
            max(1, rounds // 4),
        )
    finally:
        emulator.close()
        for name in made:
            databases.drop(admin, name)
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds; medians are reported")
    parser.add_argument("--postgres", default=None, help="also time reset and restore on this server")
    parser.add_argument("--moto", default=None, help="the moto_server executable, to measure its idle RSS beside ours")
    parser.add_argument("--start-only", action="store_true", help="start-up and memory only (older versions too)")
    args = parser.parse_args()

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="zcrm-bench-") as scratch:
        folder = Path(scratch)
        env = {**os.environ, "ZCRM_TEMPLATE_DIR": str(folder / "templates"), "PYTHONWARNINGS": "ignore"}
        os.environ["ZCRM_TEMPLATE_DIR"] = env["ZCRM_TEMPLATE_DIR"]
        first = emulator_start(folder, env)  # builds the template: a machine's first start
        ours: list[Started] = []
        bare: list[Started] = []
        motos: list[Started] = []
        for _ in range(args.rounds):
            bare.append(bare_start(env))
            ours.append(emulator_start(folder, env))
            if args.moto:
                motos.append(moto_start(args.moto, env))
        sqlite_ms = None if args.start_only else sqlite_restores(folder, args.rounds)
        postgres_ms = postgres_restores(args.postgres, args.rounds) if args.postgres and not args.start_only else None

    ours_s = statistics.median(s.seconds for s in ours)
    bare_s = statistics.median(s.seconds for s in bare)
    print(f"date            {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"machine         {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    print(f"load average    {load_before} before, {' '.join(f'{x:.2f}' for x in os.getloadavg())} after")
    print()
    print(f"{'start to first answer (fresh data dir)':<44} {'median ms':>10} {'x bare':>8}")
    print(f"{'bare Starlette on uvicorn':<44} {bare_s * 1000:>10.0f} {1:>8.2f}")
    print(f"{'zcrm-emulator serve':<44} {ours_s * 1000:>10.0f} {ours_s / bare_s:>8.2f}   (target <= 2.00)")
    first_ms = first.seconds * 1000
    print(f"{'zcrm-emulator serve, first on the machine':<44} {first_ms:>10.0f} {'':>8}   (builds the template)")
    print()
    print(f"{'idle RSS, MiB':<44} {'answered':>10} {'used':>8}")
    for name, runs in (("bare Starlette on uvicorn", bare), ("zcrm-emulator serve", ours), ("moto_server", motos)):
        if runs:
            answered = statistics.median(s.rss_mib for s in runs)
            used = statistics.median(s.used_rss_mib for s in runs)
            print(f"{name:<44} {answered:>10.1f} {used:>8.1f}")
    for store, figures in (("SQLite", sqlite_ms), ("PostgreSQL", postgres_ms)):
        if figures is None:
            continue
        reference_name = next(iter(figures))
        reference = figures[reference_name]
        print()
        print(f"{store + ', standard org':<44} {'median ms':>10} {'x ' + reference_name.split()[0]:>8}")
        for name, ms in figures.items():
            target = "" if name == reference_name else "   (target <= 3.00)"
            print(f"{name:<44} {ms:>10.2f} {ms / reference:>8.2f}{target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
