"""The "N per 10 minutes" limits (REFERENCE §2.6): mints counted in a sliding window per subject.

Subjects: grant codes per client (``GRANT_CODES``, the client id), refresh tokens per user per client
(``REFRESH_TOKENS``, ``client/user``), access tokens per refresh token (``ACCESS_TOKENS``, the refresh
token's hash). A mint is allowed when fewer than ``rate.count`` happened in the last
``rate.window_seconds``; it is then recorded. Refused attempts are not recorded.

The count and the record are one step for every process on the store: the subject is locked until
the request's transaction ends (``store/locks.py``), which also covers the caps the caller enforces
after it (active tokens per refresh token, refresh tokens per user and client).
"""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import Connection

from zcrm_emulator.accounts import repo
from zcrm_emulator.accounts.policy import Rate, TokenPolicy
from zcrm_emulator.store import locks

GRANT_CODES = "grant_code"
REFRESH_TOKENS = "refresh_token"
ACCESS_TOKENS = "access_token"


def user_client_subject(client_id: str, user_id: str) -> str:
    return f"{client_id}/{user_id}"


def _longest_window_ms(policy: TokenPolicy) -> int:
    rates = [getattr(policy, f.name) for f in fields(policy)]
    return max(rate.window_seconds for rate in rates if isinstance(rate, Rate)) * 1000


def allow(
    conn: Connection, policy: TokenPolicy, *, kind: str, subject: str, org_id: str, rate: Rate, now_ms: int
) -> bool:
    """True (and the mint recorded) when one more fits the rate; False when the limit is reached."""
    locks.serialize(conn, f"oauth-mint:{kind}:{subject}")
    if repo.count_mints(conn, kind, subject, now_ms - rate.window_seconds * 1000) >= rate.count:
        return False
    repo.record_mint(conn, org_id=org_id, kind=kind, subject=subject, now_ms=now_ms, keep_ms=_longest_window_ms(policy))
    return True
