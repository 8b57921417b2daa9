"""Secrets at rest: client secrets, tokens, API-key values and passwords are stored as Fernet tokens
(AES-128-CBC with HMAC-SHA256, ``cryptography``) of their JSON, never as plain text.

The key is made once per database and kept in it (``emulator_state``, repo.py), so every worker
sharing the database reads what another wrote, and the secrets survive restarts and org resets. A
key beside the data it locks protects against casual reading only — an export of the tables, a log
line, a look over a shoulder — not against someone holding the whole database (docs/decisions.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


def new_key() -> str:
    """A fresh Fernet key (32 random bytes, URL-safe base64)."""
    return Fernet.generate_key().decode()


class SecretBox:
    """Seals a small JSON object into a Fernet token and opens it again."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def seal(self, secrets: Mapping[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(dict(secrets), separators=(",", ":")).encode()).decode()

    def open(self, token: str | None) -> dict[str, Any]:
        """The sealed object; ``{}`` for no token. A token sealed under another key (a database
        restored beside another one's key) is a ValueError rather than a crash deep in a request."""
        if not token:
            return {}
        try:
            value = json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            raise ValueError("a stored secret does not open with this database's key") from None
        return dict(value) if isinstance(value, dict) else {}
