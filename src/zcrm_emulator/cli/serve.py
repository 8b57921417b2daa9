"""``zcrm-emulator serve``: the emulator on a port, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from zcrm_emulator.cli.options import describe_location, settings_from, store_options
from zcrm_emulator.config import DEFAULT_DC, DEFAULT_EDITION, Settings
from zcrm_emulator.delivery.rules import MODES, OUTBOUND_POLICIES
from zcrm_emulator.editions import EDITIONS
from zcrm_emulator.resources.webhooks.rules.policy import DEFAULT_POLICY as DEFAULT_WEBHOOK_POLICY
from zcrm_emulator.resources.webhooks.rules.policy import POLICIES as WEBHOOK_POLICIES

# uvicorn's levels (uvicorn.config.LOG_LEVELS; "trace" is its own, below "debug").
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
ADMIN_KEY_ENV = "ZCRM_ADMIN_KEY"
# How `serve --workers N` hands its settings to the worker processes uvicorn starts (each builds its
# own app from them: `worker_app`).
WORKER_SETTINGS_ENV = "ZCRM_WORKER_SETTINGS"

if TYPE_CHECKING:
    from starlette.applications import Starlette


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@store_options
@click.option("--public-url", default=None, help="Base URL handed to clients as api_domain (default: http://HOST:PORT)")
@click.option("--dc", default=DEFAULT_DC, show_default=True, help="Data center reported to clients (us, eu, in …)")
@click.option("--edition", default=DEFAULT_EDITION, show_default=True, type=click.Choice(list(EDITIONS)))
@click.option(
    "--admin-key",
    default=None,
    envvar=ADMIN_KEY_ENV,
    help=f"Key required on /_emulator from every client (or ${ADMIN_KEY_ENV}, which keeps it out of ps)",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name (besides loopback and --public-url's) the control plane and forms answer under",
)
@click.option(
    "--deliveries",
    type=click.Choice(MODES),
    default="async",
    show_default=True,
    help="Send webhooks and callbacks from a background task, or (sync) before the call that caused them answers",
)
@click.option(
    "--delivery-attempts", default=1, show_default=True, type=click.IntRange(1, 10), help="Attempts per request"
)
@click.option(
    "--outbound",
    type=click.Choice(OUTBOUND_POLICIES),
    default="permissive",
    show_default=True,
    help="strict: refuse private and loopback hosts, as Zoho's SSRF check does",
)
@click.option("--max-body-mb", default=20, show_default=True, type=click.IntRange(min=1), help="Largest request body")
@click.option("--token-policy", default="current", show_default=True, help="OAuth token limits: current or legacy")
@click.option("--token-limit", "token_limits", multiple=True, metavar="NAME=VALUE", help="Override one token limit")
@click.option(
    "--webhook-policy",
    type=click.Choice(list(WEBHOOK_POLICIES)),
    default=DEFAULT_WEBHOOK_POLICY,
    show_default=True,
    help="Webhook limits: current (the v8 docs) or seed (names 50, URLs 200, POST/GET, ports 80/443)",
)
@click.option("--log-level", default="info", show_default=True, type=click.Choice(LOG_LEVELS, case_sensitive=False))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes sharing the port and the store (background jobs are claimed from the store)",
)
def serve(
    host: str,
    port: int,
    data: Path | None,
    db: str | None,
    public_url: str | None,
    dc: str,
    edition: str,
    admin_key: str | None,
    allowed_hosts: tuple[str, ...],
    deliveries: str,
    delivery_attempts: int,
    outbound: str,
    max_body_mb: int,
    token_policy: str,
    token_limits: tuple[str, ...],
    webhook_policy: str,
    log_level: str,
    workers: int,
) -> None:
    """Run the emulator (Ctrl-C or SIGTERM stops it cleanly)."""
    import uvicorn
    from uvicorn.config import LOG_LEVELS as UVICORN_LEVELS

    from zcrm_emulator.accounts import policy
    from zcrm_emulator.app import create_app

    try:
        limits = policy.parse_assignments(token_limits)
        policy.resolve(token_policy, limits)
    except policy.PolicyError as problem:
        raise click.BadParameter(str(problem), param_hint="--token-policy/--token-limit") from None

    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    public = public_url or f"http://{shown_host}:{port}"
    settings = settings_from(
        data,
        db,
        public_url=public,
        dc=dc,
        edition=edition,
        admin_key=admin_key,
        allowed_hosts=tuple(name.lower() for name in allowed_hosts),
        max_body_bytes=max_body_mb * 1024 * 1024,
        deliveries=deliveries,
        delivery_attempts=delivery_attempts,
        outbound=outbound,
        token_policy=token_policy,
        token_limits=limits,
        webhook_policy=webhook_policy,
    )
    log_level = log_level.lower()
    logging.basicConfig(level=UVICORN_LEVELS[log_level], format="%(message)s")
    if UVICORN_LEVELS[log_level] > logging.DEBUG:  # Alembic's "Context impl …" lines: debug only
        logging.getLogger("alembic").setLevel(logging.WARNING)
    if workers == 1:
        target: str | Starlette = create_app(settings)
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop_signal, _exit_cleanly)
    else:  # the store is migrated and its org made once, here, before the workers open it together
        from zcrm_emulator.emulator import Emulator

        Emulator(settings).close()
        os.environ[WORKER_SETTINGS_ENV] = json.dumps(dataclasses.asdict(settings))
        target = f"{__name__}:worker_app"  # uvicorn's supervisor stops the workers on SIGINT/SIGTERM
    click.echo(f"zcrm-emulator listening on {public}" + (f" ({workers} workers)" if workers > 1 else ""))
    click.echo(f"  data:  {describe_location(settings)}")
    scope = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ"
    click.echo(f"  next:  zcrm-emulator self-client --scope {scope} --json{_store_args(data, db)}")
    _freeze_start_up_objects()
    uvicorn.run(
        target,
        host=host,
        port=port,
        factory=workers > 1,
        workers=workers,
        log_level=log_level,
        access_log=False,
        server_header=False,
    )


def _freeze_start_up_objects() -> None:
    """What start-up made lives as long as the server: kept out of the collector's full passes, which
    otherwise stop a busy server for a hundred milliseconds or more every few thousand calls
    (bench/RESULTS.md, the profile of 2026-12-02)."""
    gc.collect()
    gc.freeze()


def worker_app() -> Starlette:
    """One worker's app (``serve --workers N``), from the settings the command put in the environment."""
    from zcrm_emulator.app import create_app

    given: dict[str, Any] = json.loads(os.environ[WORKER_SETTINGS_ENV])
    # JSON has no tuples: the settings' only lists are tuples (allowed_hosts)
    kwargs: dict[str, Any] = {name: tuple(value) if isinstance(value, list) else value for name, value in given.items()}
    app = create_app(Settings(**kwargs))
    _freeze_start_up_objects()
    return app


def _exit_cleanly(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM: uvicorn first shuts the app down gracefully, then re-raises the signal to
    the handler that was there before it; ending with status 0 (not 130/143) tells scripts and
    service managers that the stop was clean."""
    raise SystemExit(0)


def _store_args(data: Path | None, db: str | None) -> str:
    if db:
        return f" --db {db}"
    return f" --data {data}" if data else ""
