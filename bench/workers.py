"""Two workers against one on the same PostgreSQL database: record gets per second, alternating.

    .venv/bin/python bench/workers.py --db-url postgresql://user@127.0.0.1:5432/bench [--duration 5]
        [--rounds 2] [--connections 16] [--leads 200]

Two servers run for the whole load phase on loopback, on the one database the URL names (a throwaway
one: the run adds Leads to it): ``zcrm-emulator serve --workers 1`` and ``serve --workers 2``
(``--edition ultimate``, ``--log-level warning``). The first is seeded with ``--leads`` Leads
through the API; both serve the same token and records. ``wrk`` (one thread) then sends ``GET
/crm/v8/Leads/{id}`` to each in turn for ``--rounds`` rounds after a warm-up, and the medians' ratio
is printed. wrk, PostgreSQL and the workers share the machine's cores, as issue "the cost of one
call" says of its target (two workers at least 1.3 times one). The load tools come from
``versus_prism.py``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from versus_prism import WARM_UP_S, Call, Load, find_wrk, median_load, run_wrk, sample, seed, subprocess_server


def serve_command(db_url: str, workers: int) -> list[str]:
    script = Path(sys.executable).with_name("zcrm-emulator")
    base = [str(script)] if script.exists() else [sys.executable, "-c", "from zcrm_emulator.cli import main; main()"]
    options = ["--port", "{port}", "--db", db_url, "--edition", "ultimate", "--log-level", "warning"]
    return [*base, "serve", *options, "--workers", str(workers)]


def measure(args: argparse.Namespace) -> int:
    wrk = find_wrk(install=not args.no_install)
    with (
        tempfile.TemporaryDirectory() as scripts_dir,
        subprocess_server(serve_command(args.db_url, 1), "/", "one worker") as one,
    ):
        token, lead_id = seed(one, args.leads)
        with subprocess_server(serve_command(args.db_url, 2), "/", "two workers") as two:
            headers = {"Authorization": f"Zoho-oauthtoken {token}"}
            calls = {n: Call("GET", f"{url}/crm/v8/Leads/{lead_id}", headers) for n, url in ((1, one), (2, two))}
            for call in calls.values():
                sample(call)
                run_wrk(wrk, call, WARM_UP_S, args.connections, Path(scripts_dir))
            loads: dict[int, list[Load]] = {1: [], 2: []}
            for _ in range(args.rounds):
                for n, call in calls.items():
                    loads[n].append(run_wrk(wrk, call, args.duration, args.connections, Path(scripts_dir)))
    single, double = median_load(loads[1]), median_load(loads[2])
    print(f"when            {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}")
    print(
        f"load            wrk, 1 thread, {args.connections} connections, {args.rounds} x {args.duration} s, alternating"
    )
    print("call            GET /crm/v8/Leads/{id}, PostgreSQL")
    for name, load, runs in (("1 worker", single, loads[1]), ("2 workers", double, loads[2])):
        rounds = ", ".join(f"{x.requests_per_s:.0f}" for x in runs)
        print(
            f"{name:15} {load.requests_per_s:8.0f} req/s  p50/p99 {load.p50_ms:.2f}/{load.p99_ms:.2f} ms"
            f"  errors {load.errors}  rounds: {rounds}"
        )
    ratio = double.requests_per_s / single.requests_per_s
    spread = statistics.pstdev(x.requests_per_s for x in loads[2]) / max(double.requests_per_s, 1)
    print(f"ratio           {ratio:.2f} (2 workers / 1 worker; spread of the 2-worker rounds {spread:.0%})")
    return 0 if single.errors == double.errors == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db-url", required=True, help="a throwaway PostgreSQL database")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--leads", type=int, default=200)
    parser.add_argument("--no-install", action="store_true", help="never apt-get wrk")
    return measure(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
