"""Gateway benchmark: what the CRM gateway costs over a bare endpoint on the same server stack.

    .venv/bin/python bench/gateway.py [--duration 10] [--rounds 3] [--connections 32]

Starts ``zcrm-emulator serve`` (one uvicorn worker, embedded SQLite, ``--edition ultimate`` so that the
daily credit limit never answers 429 while the debit still runs, ``--log-level warning``) as a
subprocess on a free loopback port and measures, in one run:

* start-up: process start to the first 200 of ``GET /_emulator/health``;
* idle memory: the server's RSS once started, and again after the load;
* requests/s and p50/p99 latency of an authenticated ``GET /crm/v8/settings/modules`` (the whole
  gateway: token lookup, scope check, the modules read) and of ``GET /_emulator/health`` (no store,
  no auth: the ceiling of the stack), alternating the two for ``--rounds`` rounds; medians reported;
* the ratio modules/health (target: at least 0.5).

Load comes from ``wrk`` (Debian package ``wrk``; installed with apt-get when missing and allowed),
else from a bounded asyncio httpx client. Loopback only, every phase bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

STARTUP_LIMIT_S = 60
IDLE_SETTLE_S = 1.0


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen[bytes]
    url: str
    startup_s: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mib(pid: int) -> float:
    """Resident set size from /proc (Linux), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc status")


def serve_command() -> list[str]:
    script = Path(sys.executable).with_name("zcrm-emulator")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from zcrm_emulator.cli import main; main()"]


@contextmanager
def running_server(data_dir: Path) -> Iterator[Server]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # Ultimate: unlimited daily credits, so the load never meets the 429 credit limit (the debit still runs).
    options = ["--port", str(port), "--data", str(data_dir), "--edition", "ultimate", "--log-level", "warning"]
    command = [*serve_command(), "serve", *options]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stderr.read().decode() if process.stderr else ''}")
            if time.perf_counter() - started > STARTUP_LIMIT_S:
                raise RuntimeError("server did not answer in time")
            try:
                if httpx.get(f"{url}/_emulator/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.005)
        yield Server(process, url, time.perf_counter() - started)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- load generators --------------------------------------------------------------------------

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def find_wrk(install: bool) -> str | None:
    found = shutil.which("wrk")
    if found or not install:
        return found
    as_root = [] if os.geteuid() == 0 else ["sudo", "-n"]
    try:
        subprocess.run(
            [*as_root, "apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True, timeout=300
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return shutil.which("wrk")


def run_wrk(wrk: str, url: str, headers: dict[str, str], seconds: int, connections: int) -> Load:
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _duration_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _duration_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Load(rps, p50, p99, errors)


async def _httpx_load(url: str, headers: dict[str, str], seconds: int, connections: int) -> Load:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=5) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                errors += not ok

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return Load(
        len(ordered) / elapsed,
        ordered[len(ordered) // 2],
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        errors,
    )


def run_load(wrk: str | None, url: str, headers: dict[str, str], seconds: int, connections: int) -> Load:
    if wrk:
        return run_wrk(wrk, url, headers, seconds, connections)
    return asyncio.run(_httpx_load(url, headers, seconds, connections))


def median_load(loads: list[Load]) -> Load:
    return Load(
        statistics.median(x.requests_per_s for x in loads),
        statistics.median(x.p50_ms for x in loads),
        statistics.median(x.p99_ms for x in loads),
        sum(x.errors for x in loads),
    )


# --- the run ----------------------------------------------------------------------------------


def breakdown(calls: int = 500) -> None:
    """Where a request's time goes, without HTTP: the ASGI app called in-process (µs per call)."""
    from zcrm_emulator import create_app
    from zcrm_emulator.config import Settings
    from zcrm_emulator.emulator import Emulator
    from zcrm_emulator.usage import credits

    with tempfile.TemporaryDirectory(prefix="zcrm-bench-") as data:
        emulator = Emulator(Settings.for_data_dir(Path(data)))
        app = create_app(emulator=emulator)
        minted = asyncio.run(_asgi_call(app, "POST", "/_emulator/tokens", b"{}"))
        value = json.loads(minted)["access_token"]
        paths = ["/_emulator/health", "/crm/v8/org", "/crm/v8/settings/modules"]
        print(f"{'in-process, microseconds per call':<42} {'as is':>9} {'no credit check':>16}")
        timings = {path: [_time_calls(app, path, value, calls)] for path in paths}
        real_charge = credits.charge
        credits.charge = lambda *args: None  # type: ignore[assignment]  # no check, nothing held
        try:
            for path in paths:
                timings[path].append(_time_calls(app, path, value, calls))
        finally:
            credits.charge = real_charge
        for path, (with_debit, without) in timings.items():
            print(f"GET {path:<38} {with_debit:>9.0f} {without:>16.0f}")
        emulator.close()


async def _asgi_call(app: object, method: str, path: str, body: bytes = b"", token: str | None = None) -> bytes:
    headers = [(b"host", b"bench")]
    if token:
        headers.append((b"authorization", f"Zoho-oauthtoken {token}".encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    chunks: list[bytes] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))  # type: ignore[arg-type]

    await app(scope, receive, send)  # type: ignore[operator]
    return b"".join(chunks)


def _time_calls(app: object, path: str, token: str, calls: int) -> float:
    async def run(count: int) -> None:
        for _ in range(count):
            await _asgi_call(app, "GET", path, token=token)

    asyncio.run(run(50))  # warm-up (and the module list rendered once)
    started = time.perf_counter()
    asyncio.run(run(calls))
    return (time.perf_counter() - started) / calls * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are reported")
    parser.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    parser.add_argument("--httpx", action="store_true", help="use the asyncio httpx client even if wrk exists")
    parser.add_argument("--breakdown", action="store_true", help="also time the app in-process, per step")
    args = parser.parse_args()

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())  # other work on the machine skews the figures
    wrk = None if args.httpx else find_wrk(install=not args.no_install)
    generator = f"wrk ({wrk}), 1 thread" if wrk else "asyncio httpx client (wrk not available)"
    with tempfile.TemporaryDirectory(prefix="zcrm-bench-") as data:
        with running_server(Path(data)) as first:  # an empty data dir: migrations and a fresh org
            time.sleep(IDLE_SETTLE_S)
            first_rss = rss_mib(first.process.pid)
        with running_server(Path(data)) as server:  # the usual start: the data is already there
            time.sleep(IDLE_SETTLE_S)
            idle_rss = rss_mib(server.process.pid)
            bare, gateway, sample, after_rss = measure(server, wrk, args)

    bare_m, gateway_m = median_load(bare), median_load(gateway)
    ratio = gateway_m.requests_per_s / bare_m.requests_per_s
    print(f"date            {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"machine         {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    print(f"load average    {load_before} before, {' '.join(f'{x:.2f}' for x in os.getloadavg())} after")
    print(f"load            {generator}, {args.connections} connections, {args.rounds} x {args.duration} s each")
    print(
        f"start-up        {server.startup_s * 1000:.0f} ms to the first 200 (empty data dir: {first.startup_s:.2f} s)"
    )
    print(f"idle RSS        {idle_rss:.1f} MiB after start-up (empty data dir: {first_rss:.1f} MiB)")
    print(f"after the load  {after_rss:.1f} MiB RSS")
    print(f"modules body    {len(sample.content):,} bytes ({len(sample.json()['modules'])} modules)")
    print()
    print(f"{'endpoint':<42} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, load in (("GET /_emulator/health (bare)", bare_m), ("GET /crm/v8/settings/modules (gateway)", gateway_m)):
        print(f"{name:<42} {load.requests_per_s:>9.0f} {load.p50_ms:>8.2f} {load.p99_ms:>8.2f} {load.errors:>7}")
    print()
    print(f"ratio           {ratio:.2f} of the bare ceiling (target >= 0.50)")
    if args.breakdown:
        print()
        breakdown()
    return 0 if bare_m.errors == gateway_m.errors == 0 else 1


def measure(
    server: Server, wrk: str | None, args: argparse.Namespace
) -> tuple[list[Load], list[Load], httpx.Response, float]:
    """Alternating rounds on the bare and the gateway endpoint; the RSS once the load is over."""
    token = httpx.post(f"{server.url}/_emulator/tokens", json={}, timeout=10).json()["access_token"]
    modules_url = f"{server.url}/crm/v8/settings/modules"
    auth = {"Authorization": f"Zoho-oauthtoken {token}"}
    sample = httpx.get(modules_url, headers=auth, timeout=10)
    if sample.status_code != 200:
        raise RuntimeError(f"modules answered {sample.status_code}: {sample.text[:200]}")
    health_url = f"{server.url}/_emulator/health"
    for url, headers in ((health_url, {}), (modules_url, auth)):  # warm-up
        run_load(wrk, url, headers, 2, args.connections)

    bare: list[Load] = []
    gateway: list[Load] = []
    for _ in range(args.rounds):
        bare.append(run_load(wrk, health_url, {}, args.duration, args.connections))
        gateway.append(run_load(wrk, modules_url, auth, args.duration, args.connections))
    time.sleep(IDLE_SETTLE_S)
    return bare, gateway, sample, rss_mib(server.process.pid)


if __name__ == "__main__":
    raise SystemExit(main())
