"""``zcrm-emulator client create|list|delete`` and ``zcrm-emulator self-client``: the API console on
the command line. They work on the server's database while it runs (SQLite WAL, or PostgreSQL), and
print the URLs the running server published (``server_info.py``).

Added to ``zcrm_emulator.cli.main`` by ``cli/__init__.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from zcrm_emulator.accounts import api_console, server_info
from zcrm_emulator.accounts import self_client as self_client_flow
from zcrm_emulator.accounts.clients import KIND_LABELS, validate_server_client
from zcrm_emulator.accounts.errors import AccessDenied
from zcrm_emulator.cli.options import settings_from, store_options
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError


@contextmanager
def _emulator(data: Path | None, db: str | None) -> Iterator[Emulator]:
    emulator = Emulator(settings_from(data, db))
    try:
        yield emulator
    finally:
        emulator.close()


def _echo_json(payload: Any) -> None:
    click.echo(json.dumps(payload, indent=2))


def _zoho_problem(error: ZohoError) -> click.ClickException:
    where = error.details.get("api_name") or error.details.get("json_path") or ""
    return click.ClickException(f"{error.code}: {error.message}" + (f" ({where})" if where else ""))


@click.group("client")
def client_group() -> None:
    """Register, list and delete OAuth clients (the API console)."""


@client_group.command("create")
@click.option("--name", required=True, help="Client name shown on the consent page")
@click.option("--homepage", required=True, help="Homepage URL (http or https)")
@click.option(
    "--redirect-uri", "redirect_uris", multiple=True, required=True, help="Authorized redirect URI (repeatable)"
)
@click.option("--json", "as_json", is_flag=True, help="Print the client as JSON")
@store_options
def create(
    name: str, homepage: str, redirect_uris: tuple[str, ...], as_json: bool, data: Path | None, db: str | None
) -> None:
    """Register a Server-based client; prints its id and secret (the secret is shown only now)."""
    body = {"client_name": name, "homepage_url": homepage, "redirect_uris": list(redirect_uris)}
    try:
        new = validate_server_client(body)
    except ZohoError as error:
        raise _zoho_problem(error) from None
    with _emulator(data, db) as emulator, emulator.store.tx() as conn:
        client, secret = api_console.create_server_client(conn, emulator.default_org_id, new, emulator.clock.now_ms())
    if as_json:
        _echo_json({**client.public(), "client_secret": secret})
        return
    click.echo(f"client_id:     {client.id}")
    click.echo(f"client_secret: {secret}")
    click.echo(f"redirect_uris: {' '.join(client.redirect_uris)}")


@client_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the clients as JSON")
@store_options
def list_command(as_json: bool, data: Path | None, db: str | None) -> None:
    """Every registered client (secrets are never shown again)."""
    with _emulator(data, db) as emulator, emulator.store.tx() as conn:
        clients = api_console.list_clients(conn)
    if as_json:
        _echo_json({"clients": [client.public() for client in clients]})
        return
    if not clients:
        click.echo("no clients")
    for client in clients:
        where = " ".join(client.redirect_uris) or f"user {client.self_user_id}"
        click.echo(f"{client.id}  {KIND_LABELS[client.kind]:<25}  {client.name}  {where}")


@client_group.command("delete")
@click.argument("client_id")
@store_options
def delete(client_id: str, data: Path | None, db: str | None) -> None:
    """Delete a client with every code and token issued to it."""
    with _emulator(data, db) as emulator, emulator.store.tx() as conn:
        found = api_console.delete_client(conn, client_id)
    if not found:
        raise click.ClickException(f"no client {client_id}")
    click.echo(f"deleted {client_id}")


@click.command("self-client")
@click.option("--scope", required=True, help="Comma-separated scopes, e.g. ZohoCRM.modules.ALL,ZohoCRM.settings.ALL")
@click.option("--minutes", type=int, default=None, help="Code lifetime: 3, 5, 7 or 10 minutes (default 3)")
@click.option("--user", default=None, help="User id or email (default: the org's administrator)")
@click.option("--json", "as_json", is_flag=True, help="Print the grant as one JSON object")
@store_options
def self_client(
    scope: str, minutes: int | None, user: str | None, as_json: bool, data: Path | None, db: str | None
) -> None:
    """A Self Client grant code (the API console's "Generate Code"), with the client's id and secret."""
    with _emulator(data, db) as emulator, emulator.store.tx() as conn:
        try:
            grant = self_client_flow.grant_code(
                conn,
                server_info.published(conn),
                emulator.clock.now_ms(),
                org_id=emulator.default_org_id,
                user=user,
                scope=scope,
                minutes=minutes,
            )
        except self_client_flow.InvalidChoice as problem:
            raise click.BadParameter(str(problem), param_hint=f"--{problem.field}") from None
        except AccessDenied as problem:
            raise click.ClickException(str(problem)) from None
    if as_json:
        click.echo(json.dumps(grant.as_dict()))
        return
    click.echo(f"client_id:     {grant.client_id}")
    click.echo(f"client_secret: {grant.client_secret}")
    click.echo(f"code:          {grant.code}  (valid {grant.expires_in // 60} minutes, once)")
    click.echo(f"scope:         {grant.scope}")
    click.echo(f"accounts_url:  {grant.accounts_url}")
    click.echo(f"api_domain:    {grant.api_domain}")
    click.echo("exchange it:")
    click.echo(
        f"  curl -s -X POST {grant.accounts_url}/oauth/v2/token -d grant_type=authorization_code"
        f" -d client_id={grant.client_id} -d client_secret={grant.client_secret} -d code={grant.code}"
    )
