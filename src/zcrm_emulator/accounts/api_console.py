"""The API console's client management, shared by ``zcrm-emulator client …`` and ``/_emulator/clients``
(Accounts "Client registration"). Self Clients are made by ``self_client.py`` on first use.
"""

from __future__ import annotations

from sqlalchemy import Connection

from zcrm_emulator.accounts import repo
from zcrm_emulator.accounts.clients import SERVER, Client, NewClient, new_client_id, new_client_secret
from zcrm_emulator.accounts.tokens import digest


def create_server_client(conn: Connection, org_id: str, new: NewClient, now_ms: int) -> tuple[Client, str]:
    """A Server-based client and its secret (shown once: only its hash is kept)."""
    client = Client(
        id=new_client_id(),
        org_id=org_id,
        kind=SERVER,
        name=new.name,
        homepage_url=new.homepage_url,
        redirect_uris=new.redirect_uris,
        self_user_id=None,
        created_ms=now_ms,
    )
    repo.insert_client(conn, client)
    secret = new_client_secret()
    repo.add_secret(conn, client, digest(secret), now_ms)
    return client, secret


def list_clients(conn: Connection, org_id: str | None = None) -> list[Client]:
    return repo.list_clients(conn, org_id)


def delete_client(conn: Connection, client_id: str) -> bool:
    """False when no such client; otherwise it is gone with every code and token issued to it."""
    return repo.delete_client(conn, client_id)
