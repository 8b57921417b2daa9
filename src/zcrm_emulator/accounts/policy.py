"""Zoho Accounts' token validity and limits as one table of named policies (REFERENCE §2.6).

``current`` follows Zoho's current pages (CRM v8 "Token Validity", Accounts "OAuth token limits",
Kaizen #43); ``legacy`` carries the older figures of the seed "Custom Connectors" guide (30 active
access tokens per refresh token, refresh tokens 5 per minute) and of the older CRM docs (grant codes
live 2 minutes). A server picks one by name (``serve --token-policy``, ``Settings.token_policy``),
and any single limit can be overridden (``serve --token-limit name=value``, ``Settings.token_limits``,
``PUT /_emulator/token-policy``).

Every "N per window" limit counts mints in a sliding window (``Rate``); every "at most N active"
limit evicts the oldest when one more is made (``*_active_*``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

DEFAULT_POLICY = "current"


@dataclass(frozen=True)
class Rate:
    """At most ``count`` mints in any ``window_seconds``; the next one is refused."""

    count: int
    window_seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.window_seconds}"


@dataclass(frozen=True)
class TokenPolicy:
    name: str
    # Grant codes from the consent page: single use, this long (REFERENCE §9 #1, docs/decisions.md).
    grant_code_seconds: int
    # Self Client codes: the durations the API console offers, and its default.
    self_client_code_minutes: tuple[int, ...]
    self_client_default_minutes: int
    grant_codes_per_client: Rate
    access_token_seconds: int
    # Creating one more deletes the oldest (the 16th kills the 1st).
    access_tokens_active_per_refresh_token: int
    access_tokens_per_refresh_token: Rate
    # Creating one more deletes the oldest, with its access tokens (the 21st kills the 1st).
    refresh_tokens_active_per_user_client: int
    refresh_tokens_per_user_client: Rate
    # Scope enhancement tokens (REFERENCE §2.8): ``expires_in: 600``.
    enhance_token_seconds: int

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able values: rates as ``{"count", "window_seconds"}``."""
        return dataclasses.asdict(self) | {"self_client_code_minutes": list(self.self_client_code_minutes)}


CURRENT = TokenPolicy(
    name="current",
    grant_code_seconds=180,
    self_client_code_minutes=(3, 5, 7, 10),
    self_client_default_minutes=3,
    grant_codes_per_client=Rate(10, 600),
    access_token_seconds=3600,
    access_tokens_active_per_refresh_token=15,
    access_tokens_per_refresh_token=Rate(10, 600),
    refresh_tokens_active_per_user_client=20,
    refresh_tokens_per_user_client=Rate(10, 600),
    enhance_token_seconds=600,
)

POLICIES: dict[str, TokenPolicy] = {
    "current": CURRENT,
    "legacy": replace(
        CURRENT,
        name="legacy",
        grant_code_seconds=120,
        access_tokens_active_per_refresh_token=30,
        refresh_tokens_per_user_client=Rate(5, 60),
    ),
}

_TUNABLE = {f.name for f in fields(TokenPolicy)} - {"name"}


class PolicyError(ValueError):
    """An unknown policy name, an unknown limit name, or a value of the wrong shape."""


def _positive(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PolicyError(f"{name}: expected a positive integer")
    try:
        number = int(value)
    except ValueError:
        raise PolicyError(f"{name}: expected a positive integer") from None
    if number < 1:
        raise PolicyError(f"{name}: expected a positive integer")
    return number


def _rate(name: str, value: Any, base: Rate) -> Rate:
    """``"10/600"``, ``{"count": 10, "window_seconds": 600}``, or a bare count (the window stays)."""
    if isinstance(value, Mapping):
        return Rate(_positive(name, value.get("count")), _positive(name, value.get("window_seconds")))
    if isinstance(value, str) and "/" in value:
        count, _, window = value.partition("/")
        return Rate(_positive(name, count.strip()), _positive(name, window.strip()))
    return Rate(_positive(name, value), base.window_seconds)


def _minutes(name: str, value: Any) -> tuple[int, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items:
        raise PolicyError(f"{name}: expected a list of minutes")
    return tuple(_positive(name, item.strip() if isinstance(item, str) else item) for item in items)


def resolve(name: str = DEFAULT_POLICY, overrides: Mapping[str, Any] | None = None) -> TokenPolicy:
    """The named policy with single limits replaced; PolicyError names what is wrong."""
    base = POLICIES.get(name)
    if base is None:
        raise PolicyError(f"unknown token policy {name!r} (known: {', '.join(POLICIES)})")
    changes: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        if key not in _TUNABLE:
            raise PolicyError(f"unknown token limit {key!r} (known: {', '.join(sorted(_TUNABLE))})")
        current = getattr(base, key)
        if isinstance(current, Rate):
            changes[key] = _rate(key, value, current)
        elif isinstance(current, tuple):
            changes[key] = _minutes(key, value)
        else:
            changes[key] = _positive(key, value)
    policy = replace(base, **changes)
    if policy.self_client_default_minutes not in policy.self_client_code_minutes:
        raise PolicyError("self_client_default_minutes must be one of self_client_code_minutes")
    return policy


def parse_assignments(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["name=value", ...]`` (the CLI's ``--token-limit``) -> a dict; PolicyError when malformed."""
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise PolicyError(f"expected NAME=VALUE, got {pair!r}")
        result[key.strip()] = value.strip()
    return result
