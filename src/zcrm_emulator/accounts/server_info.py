"""What the accounts server tells clients about itself, and which token policy is in force.

A running server publishes its public URL, data center and token policy into ``emulator_state`` when
it starts, so that other processes on the same database (``zcrm-emulator self-client``) print the
URLs the server is reachable on and obey the same limits. The control plane can switch the policy
while the server runs (``PUT /_emulator/token-policy``).

``api_domain`` and ``accounts-server`` are always the server's own public URL (REFERENCE §2.1 gives
Zoho's hosts; handing those out would send clients, and the official SDK with its secrets, to a real
Zoho data center: SDK-WIRE §2). ``location`` is the configured data center (``--dc``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.accounts.policy import TokenPolicy, resolve
from zcrm_emulator.config import DEFAULT_DC, Settings
from zcrm_emulator.store import state

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
_PUBLIC_URL = "accounts.public_url"
_DC = "accounts.dc"
_POLICY = "accounts.token_policy"


@dataclass(frozen=True)
class ServerInfo:
    public_url: str
    dc: str
    policy: TokenPolicy

    @property
    def accounts_server(self) -> str:
        return self.public_url

    @property
    def api_domain(self) -> str:
        return self.public_url


def publish(conn: Connection, settings: Settings) -> None:
    """Record the starting server's public URL, data center and token policy."""
    state.put(conn, _PUBLIC_URL, settings.base_url)
    state.put(conn, _DC, settings.dc)
    put_policy(conn, settings.token_policy, dict(settings.token_limits))


def put_policy(conn: Connection, name: str, overrides: dict[str, Any]) -> TokenPolicy:
    """Switch the policy in force (PolicyError when the name or a limit is wrong)."""
    policy = resolve(name, overrides)
    state.put(conn, _POLICY, json.dumps({"name": name, "overrides": overrides}))
    return policy


def policy_choice(conn: Connection, settings: Settings | None = None) -> tuple[str, dict[str, Any]]:
    """The (name, overrides) in force: published state first, else the settings, else the default."""
    raw = state.get(conn, _POLICY)
    if raw is not None:
        stored = json.loads(raw)
        return str(stored["name"]), dict(stored.get("overrides") or {})
    if settings is not None:
        return settings.token_policy, dict(settings.token_limits)
    return "current", {}


def for_server(conn: Connection, settings: Settings) -> ServerInfo:
    """A serving process: its own URL and data center; the policy in force."""
    name, overrides = policy_choice(conn, settings)
    return ServerInfo(settings.base_url, settings.dc, resolve(name, overrides))


def published(conn: Connection) -> ServerInfo:
    """Another process on the server's database: what the last started server published."""
    name, overrides = policy_choice(conn)
    return ServerInfo(
        state.get(conn, _PUBLIC_URL) or DEFAULT_PUBLIC_URL,
        state.get(conn, _DC) or DEFAULT_DC,
        resolve(name, overrides),
    )
