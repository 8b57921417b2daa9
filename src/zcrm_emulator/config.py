"""Settings of one emulator instance: where its data lives and what it tells clients about itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

# Where a fresh org's limits come from (editions.py) and which token policy applies (accounts/policy.py).
DEFAULT_EDITION = "enterprise"
DEFAULT_DC = "us"


def default_data_dir() -> Path:
    """The per-user data directory used when ``--data`` and ``--db`` are both omitted."""
    return Path(platformdirs.user_data_dir("zcrm-emulator", appauthor=False))


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'zcrm.sqlite3'}"


@dataclass
class Settings:
    """Everything an instance needs; no module-level state anywhere else."""

    db_url: str
    # The base URL clients reach this server on: handed out as `api_domain` and `accounts-server`,
    # so that clients (and the official SDK) never send a secret to a real Zoho host.
    public_url: str = "http://127.0.0.1:8000"
    dc: str = DEFAULT_DC
    edition: str = DEFAULT_EDITION
    # Required on /_emulator/ from every client when set; None means the control plane is loopback-only.
    admin_key: str | None = None
    # Host names besides loopback and the public URL's host that browser-facing writes (control plane,
    # consent and unsubscribe forms) are taken under (origins.py: DNS rebinding).
    allowed_hosts: tuple[str, ...] = ()
    # The largest request body taken (bodysize.py); Zoho's upload limit for one file.
    max_body_bytes: int = 20 * 1024 * 1024
    # The request journal (journal/): entries kept per process, and bytes kept of each body.
    journal_size: int = 1000
    journal_body_bytes: int = 16 * 1024
    # Outbound requests (delivery/): "async" sends them from a background task, "sync" before the
    # call that caused them answers; attempts per request; where they may go ("strict": no private hosts).
    deliveries: str = "async"
    delivery_attempts: int = 1
    delivery_backoff_ms: int = 1000
    outbound: str = "permissive"
    token_policy: str = "current"
    # Single token limits replacing the policy's (accounts/policy.py), e.g. {"access_token_seconds": "60"}.
    token_limits: dict[str, str] = field(default_factory=dict)
    # Webhook limits (resources/webhooks/rules/policy.py): "current" (the v8 docs) or "seed".
    webhook_policy: str = "current"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_data_dir(cls, data_dir: Path, **kwargs: object) -> Settings:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(db_url=sqlite_url(data_dir), **kwargs)  # type: ignore[arg-type]

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/")
