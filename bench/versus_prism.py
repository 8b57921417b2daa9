"""The emulator against Prism, side by side: the same calls, the same load, alternating.

    .venv/bin/python bench/versus_prism.py [OAS_DIR] [--duration 5] [--rounds 2] [--connections 16]
    .venv/bin/python bench/versus_prism.py --profile-only [--profile-calls 300]

Zoho's v8.0 OAS folder comes from the argument or ``$ZCRM_OAS_DIR``; it is never copied into the
project. Its files ``$ref`` each other by remote URLs, which Prism would try to download, so the run
writes a copy with those references made relative into a temporary folder and mocks that copy.

Servers, each a subprocess on a free loopback port, all running for the whole load phase:

* ``zcrm-emulator serve`` (one uvicorn worker, embedded SQLite, ``--edition ultimate`` so the daily
  credit limit never answers 429 while the debit still runs, ``--log-level warning``), seeded with
  ``--leads`` Leads;
* Prism (``@stoplight/prism-cli``, pinned below) mocking ``record.json`` in its default static mode
  (request and response validation on, ``-v silent``: no log lines formatted). When it is missing it
  is installed with npm into ``bench/.prism/`` (git-ignored);
* a second Prism mocking ``modules.json``, for the module list;
* a bare Starlette app on the same uvicorn set-up answering ``GET /crm/v8/settings/modules`` with the
  bytes the emulator answered it with, after one header comparison: the ceiling of the server stack
  (and of the load generator) for the module list.

Calls, each against the emulator and its counterpart, alternating for ``--rounds`` rounds (medians
reported): ``GET /crm/v8/Leads/{id}``, ``GET /crm/v8/Leads?fields=Last_Name,Email,Company``
(``per_page=20``: 20 records from the emulator; Prism answers its one generated record whatever the
query), ``POST /crm/v8/Leads`` with one record (the emulator stores each one) and the authenticated
``GET /crm/v8/settings/modules`` against the bare app and against Prism. Prism's security check wants
a ``Bearer`` token, the emulator ``Zoho-oauthtoken``: one header each.

Load comes from ``wrk`` (Debian package ``wrk``, installed with apt-get when missing and allowed), one
thread, a Lua script per call for the method, body and headers. Loopback only, every phase bounded.

``--profile`` (or ``--profile-only``) then runs each emulator path in-process under cProfile, through
httpx's ASGITransport with an all-scope token, and prints the top costs per path.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

PRISM_PACKAGE = "@stoplight/prism-cli"
PRISM_VERSION = "5.16.0"
NPM_INSTALL = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"]
PRISM_DIR = Path(__file__).resolve().parent / ".prism"
START_LIMIT_S = 90
WARM_UP_S = 2  # per call and server: Node's JIT and the emulator's caches settle
OAS_ENV = "ZCRM_OAS_DIR"
# Zoho's files point at each other through URLs ending in ``/v8.0/<file>.json``.
REMOTE_REF = re.compile(r'"https?://[^"]*/v8\.0/([\w.-]+\.json)')
BARE_BODY_ENV = "ZCRM_BENCH_BARE_BODY"
BARE_TOKEN_ENV = "ZCRM_BENCH_BARE_TOKEN"
MODULES_PATH = "/crm/v8/settings/modules"
LIST_QUERY = "fields=Last_Name,Email,Company&per_page=20"


def lead(n: int) -> dict[str, object]:
    return {"Last_Name": f"Bench {n}", "Email": f"lead{n}@zylker.example", "Company": "Zylker", "Phone": "555-0100"}


ONE_LEAD = json.dumps({"data": [lead(1)]})


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Call:
    """One request as wrk sends it."""

    method: str
    url: str
    headers: dict[str, str]
    body: str = ""


@dataclass(frozen=True)
class Row:
    name: str
    ours: Call
    other: Call
    other_name: str


# --- servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_answering(process: subprocess.Popen[bytes], url: str, what: str) -> None:
    started = time.perf_counter()
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited: {process.stderr.read().decode() if process.stderr else ''}")
        if time.perf_counter() - started > START_LIMIT_S:
            raise RuntimeError(f"{what} did not answer in time")
        try:
            httpx.get(url, timeout=1)  # any status: the server is up
            return
        except httpx.TransportError:
            time.sleep(0.05)


@contextmanager
def subprocess_server(command: list[str], probe: str, what: str, env: dict[str, str] | None = None) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        _wait_until_answering(process, url + probe, what)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def emulator_command(data_dir: Path) -> list[str]:
    script = Path(sys.executable).with_name("zcrm-emulator")
    base = [str(script)] if script.exists() else [sys.executable, "-c", "from zcrm_emulator.cli import main; main()"]
    options = ["--port", "{port}", "--data", str(data_dir), "--edition", "ultimate", "--log-level", "warning"]
    return [*base, "serve", *options]


def find_prism(install: bool) -> Path:
    prism = PRISM_DIR / "node_modules" / ".bin" / "prism"
    if prism.exists():
        return prism
    if not install or shutil.which("npm") is None:
        raise SystemExit(f"Prism is not in {PRISM_DIR} and cannot be installed (npm missing or --no-install)")
    PRISM_DIR.mkdir(exist_ok=True)
    subprocess.run(
        [*NPM_INSTALL, "--prefix", str(PRISM_DIR), f"{PRISM_PACKAGE}@{PRISM_VERSION}"],
        check=True,
        timeout=600,
    )
    return prism


def local_oas_copy(oas_dir: Path, into: Path) -> Path:
    """Zoho's files with their cross-file ``$ref`` URLs made relative, so Prism resolves them offline."""
    for source in oas_dir.glob("*.json"):
        (into / source.name).write_text(REMOTE_REF.sub(r'"./\1', source.read_text()))
    return into / "record.json"


def bare_app() -> object:
    """The module list's bytes behind one header comparison, on Starlette: no store, no gateway."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    body = Path(os.environ[BARE_BODY_ENV]).read_bytes()
    expected = f"Zoho-oauthtoken {os.environ[BARE_TOKEN_ENV]}"

    async def modules(request: Request) -> Response:
        if request.headers.get("authorization") != expected:
            return Response(b'{"code":"INVALID_TOKEN"}', status_code=401, media_type="application/json")
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route(MODULES_PATH, modules)])


def bare_command() -> list[str]:
    # The same uvicorn set-up as ``zcrm-emulator serve``: defaults, no access log, no server header.
    app_dir = str(Path(__file__).resolve().parent)
    options = ["--port", "{port}", "--log-level", "warning", "--no-access-log", "--no-server-header"]
    return [sys.executable, "-m", "uvicorn", "--factory", "--app-dir", app_dir, "versus_prism:bare_app", *options]


# --- wrk --------------------------------------------------------------------------------------

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def find_wrk(install: bool) -> str:
    found = shutil.which("wrk")
    if found or not install:
        if not found:
            raise SystemExit("wrk is missing (Debian package wrk); run without --no-install to apt-get it")
        return found
    as_root = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*as_root, "apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True, timeout=300)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("apt-get installed no wrk")
    return found


def lua_script(call: Call) -> str:
    lines = [f"wrk.method = {json.dumps(call.method)}"]
    if call.body:
        lines.append(f"wrk.body = {json.dumps(call.body)}")
    lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in call.headers.items()]
    return "\n".join(lines) + "\n"


def run_wrk(wrk: str, call: Call, seconds: int, connections: int, scripts: Path) -> Load:
    text = lua_script(call)
    script = scripts / f"{zlib.crc32((call.url + text).encode()):08x}.lua"
    script.write_text(text)
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", "-s", str(script)]
    out = subprocess.run([*command, call.url], capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _duration_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _duration_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Load(rps, p50, p99, errors)


def median_load(loads: list[Load]) -> Load:
    return Load(
        statistics.median(x.requests_per_s for x in loads),
        statistics.median(x.p50_ms for x in loads),
        statistics.median(x.p99_ms for x in loads),
        sum(x.errors for x in loads),
    )


def sample(call: Call) -> httpx.Response:
    """One request before the load: it must succeed, and its size goes into the table."""
    response = httpx.request(call.method, call.url, headers=call.headers, content=call.body or None, timeout=30)
    if response.status_code >= 300:
        raise RuntimeError(f"{call.method} {call.url} answered {response.status_code}: {response.text[:300]}")
    return response


# --- the run ----------------------------------------------------------------------------------


def seed(url: str, leads: int) -> tuple[str, str]:
    """A token and the id of one of ``leads`` Leads made through the API."""
    token = httpx.post(f"{url}/_emulator/tokens", json={}, timeout=30).json()["access_token"]
    auth = {"Authorization": f"Zoho-oauthtoken {token}"}
    ids: list[str] = []
    for start in range(0, leads, 100):
        batch = {"data": [lead(n) for n in range(start, min(start + 100, leads))]}
        made = httpx.post(f"{url}/crm/v8/Leads", json=batch, headers=auth, timeout=60)
        made.raise_for_status()
        ids += [item["details"]["id"] for item in made.json()["data"]]
    return token, ids[len(ids) // 2]


def rows(ours: str, prism: str, prism_modules: str, bare: str, token: str, lead_id: str) -> list[Row]:
    zoho = {"Authorization": f"Zoho-oauthtoken {token}"}
    bearer = {"Authorization": "Bearer bench"}
    post = {"Content-Type": "application/json"}
    return [
        Row("GET /crm/v8/Leads/{id}", Call("GET", f"{ours}/crm/v8/Leads/{lead_id}", zoho),
            Call("GET", f"{prism}/crm/v8/Leads/{lead_id}", bearer), "Prism"),
        Row("GET /crm/v8/Leads?fields=… (20)", Call("GET", f"{ours}/crm/v8/Leads?{LIST_QUERY}", zoho),
            Call("GET", f"{prism}/crm/v8/Leads?{LIST_QUERY}", bearer), "Prism"),
        Row("POST /crm/v8/Leads (1 record)", Call("POST", f"{ours}/crm/v8/Leads", zoho | post, ONE_LEAD),
            Call("POST", f"{prism}/crm/v8/Leads", bearer | post, ONE_LEAD), "Prism"),
        Row("GET /crm/v8/settings/modules", Call("GET", f"{ours}{MODULES_PATH}", zoho),
            Call("GET", f"{bare}{MODULES_PATH}", zoho), "bare Starlette"),
        Row("GET /crm/v8/settings/modules", Call("GET", f"{ours}{MODULES_PATH}", zoho),
            Call("GET", f"{prism_modules}{MODULES_PATH}", bearer), "Prism (modules)"),
    ]  # fmt: skip


def alternate(
    wrk: str, table: list[Row], args: argparse.Namespace, scripts: Path
) -> list[tuple[list[Load], list[Load]]]:
    """A warm-up of every call on both sides, then the rounds, each call ours then theirs."""
    for row in table:
        run_wrk(wrk, row.ours, WARM_UP_S, args.connections, scripts)
        run_wrk(wrk, row.other, WARM_UP_S, args.connections, scripts)
    results: list[tuple[list[Load], list[Load]]] = [([], []) for _ in table]
    for _ in range(args.rounds):
        for row, (mine, theirs) in zip(table, results, strict=True):
            mine.append(run_wrk(wrk, row.ours, args.duration, args.connections, scripts))
            theirs.append(run_wrk(wrk, row.other, args.duration, args.connections, scripts))
    return results


def measure(args: argparse.Namespace) -> int:
    oas_dir = Path(args.oas_dir or os.environ.get(OAS_ENV, ""))
    if not (oas_dir / "record.json").is_file():
        raise SystemExit(f"no record.json in {oas_dir!s}: pass the v8.0 OAS folder or set ${OAS_ENV}")
    wrk = find_wrk(install=not args.no_install)
    prism = find_prism(install=not args.no_install)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())  # other work on the machine skews the figures
    with tempfile.TemporaryDirectory(prefix="zcrm-bench-") as work:
        folder = Path(work)
        (folder / "data").mkdir()
        (folder / "oas").mkdir()
        (folder / "lua").mkdir()
        document = local_oas_copy(oas_dir, folder / "oas")
        prism_command = [str(prism), "mock", "-h", "127.0.0.1", "-p", "{port}", "-v", "silent"]
        with subprocess_server(emulator_command(folder / "data"), "/_emulator/health", "the emulator") as ours:
            token, lead_id = seed(ours, args.leads)
            modules = httpx.get(f"{ours}{MODULES_PATH}", headers={"Authorization": f"Zoho-oauthtoken {token}"})
            (folder / "modules.json").write_bytes(modules.content)
            bare_env = os.environ | {BARE_BODY_ENV: str(folder / "modules.json"), BARE_TOKEN_ENV: token}
            with (
                subprocess_server([*prism_command, str(document)], "/", "Prism") as other,
                subprocess_server(
                    [*prism_command, str(document.with_name("modules.json"))], "/", "Prism"
                ) as other_modules,
                subprocess_server(bare_command(), MODULES_PATH, "the bare app", env=bare_env) as bare,
            ):
                table = rows(ours, other, other_modules, bare, token, lead_id)
                sizes = [(len(sample(row.ours).content), len(sample(row.other).content)) for row in table]
                results = alternate(wrk, table, args, folder / "lua")

    print(f"date            {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"machine         {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    print(f"load average    {load_before} before, {' '.join(f'{x:.2f}' for x in os.getloadavg())} after")
    print(
        f"load            wrk, 1 thread, {args.connections} connections, {args.rounds} x {args.duration} s, alternating"
    )
    print(f"prism           {PRISM_PACKAGE}@{PRISM_VERSION}, static mocks of record.json and modules.json, -v silent")
    print()
    header = f"{'call':<34} {'against':<15} {'ours req/s':>10} {'theirs':>8} {'ratio':>6}"
    print(f"{header} {'ours p50/p99 ms':>16} {'theirs p50/p99':>15} {'bytes ours/theirs':>18} {'err':>4}")
    failed = 0
    for row, loads, size in zip(table, results, sizes, strict=True):
        mine, theirs = median_load(loads[0]), median_load(loads[1])
        failed += mine.errors + theirs.errors
        ratio = mine.requests_per_s / theirs.requests_per_s
        print(
            f"{row.name:<34} {row.other_name:<15} {mine.requests_per_s:>10.0f} {theirs.requests_per_s:>8.0f} "
            f"{ratio:>6.2f} {mine.p50_ms:>7.2f}/{mine.p99_ms:<8.2f} {theirs.p50_ms:>6.2f}/{theirs.p99_ms:<8.2f} "
            f"{size[0]:>8}/{size[1]:<9} {mine.errors + theirs.errors:>4}"
        )
    print("\nratio = ours req/s / theirs req/s (above 1: the emulator answers more calls per second)")
    return 0 if failed == 0 else 1


# --- the profile ------------------------------------------------------------------------------


async def _profile(calls: int, leads: int, top: int) -> None:
    from zcrm_emulator import create_app
    from zcrm_emulator.config import Settings

    base = "http://crm.bench"
    with tempfile.TemporaryDirectory(prefix="zcrm-bench-") as folder:
        app = create_app(Settings.for_data_dir(Path(folder), public_url=base))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base) as http:
            token = (await http.post("/_emulator/tokens", json={})).json()["access_token"]
            http.headers["Authorization"] = f"Zoho-oauthtoken {token}"
            ids: list[str] = []
            for start in range(0, leads, 100):
                made = await http.post("/crm/v8/Leads", json={"data": [lead(n) for n in range(start, start + 100)]})
                ids += [item["details"]["id"] for item in made.json()["data"]]
            paths: dict[str, Callable[[int], Awaitable[httpx.Response]]] = {
                "GET /crm/v8/Leads/{id}": lambda n: http.get(f"/crm/v8/Leads/{ids[n % len(ids)]}"),
                "GET /crm/v8/Leads?fields=… (20)": lambda n: http.get(f"/crm/v8/Leads?{LIST_QUERY}"),
                "POST /crm/v8/Leads (1 record)": lambda n: http.post(
                    "/crm/v8/Leads", content=ONE_LEAD, headers={"Content-Type": "application/json"}
                ),
                "GET /crm/v8/settings/modules": lambda n: http.get(MODULES_PATH),
            }
            for name, call in paths.items():
                for n in range(30):  # warm-up: caches filled, first-call imports done
                    (await call(n)).raise_for_status()
                profiler = cProfile.Profile()
                started = time.perf_counter()
                profiler.enable()
                for n in range(calls):
                    await call(n)
                profiler.disable()
                per_call = (time.perf_counter() - started) / calls * 1e6
                print(f"\n=== {name}: {calls} calls in-process, {per_call:.0f} µs per call under the profiler")
                report(profiler, calls, top)
        app.state.emulator.close()


def report(profiler: cProfile.Profile, calls: int, top: int) -> None:
    """Top functions by own time, then the project's functions by cumulative time, in µs per call."""
    stats = pstats.Stats(profiler, stream=io.StringIO())
    entries = stats.stats  # type: ignore[attr-defined]
    own = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:top]
    project = [item for item in entries.items() if "zcrm_emulator" in item[0][0]]
    cumulative = sorted(project, key=lambda item: item[1][3], reverse=True)[:top]
    for title, chosen, column in (("own time", own, 2), ("cumulative, project code", cumulative, 3)):
        print(f"-- {title} (µs per call, calls per call)")
        for (file, line, function), values in chosen:
            where = _short(file)
            print(f"{values[column] / calls * 1e6:>9.1f}  {values[1] / calls:>7.1f}  {where}:{line} {function}")


def _short(file: str) -> str:
    for marker in ("zcrm_emulator/", "site-packages/", "lib/python3"):
        if marker in file:
            return file[file.index(marker) :]
    return file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("oas_dir", nargs="?", help=f"Zoho's v8.0 OAS folder (default: ${OAS_ENV})")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per call, server and round")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; medians are reported")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections")
    parser.add_argument("--leads", type=int, default=200, help="Leads in the emulator before the load")
    parser.add_argument("--no-install", action="store_true", help="never apt-get wrk nor npm-install Prism")
    parser.add_argument("--profile", action="store_true", help="then profile each path in-process")
    parser.add_argument("--profile-only", action="store_true", help="only the in-process profile")
    parser.add_argument("--profile-calls", type=int, default=300, help="profiled calls per path")
    parser.add_argument("--top", type=int, default=15, help="functions listed per profile table")
    args = parser.parse_args()
    status = 0 if args.profile_only else measure(args)
    if args.profile or args.profile_only:
        asyncio.run(_profile(args.profile_calls, args.leads, args.top))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
