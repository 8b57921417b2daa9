"""A call's one read before its handler: the token's principal, the org's credit standing, and the
stamps of everything a process keeps between calls (issue "the cost of one call", design note on
state in docs/architecture.md).

A process may keep in memory what the store says (module metadata with its fields and layouts, the
org's users and profiles, whether the org has any automation) only when it proves its copy current
on every call. The proof is this one statement: the token row joined to its org, with correlated
subqueries that each read one index range and together change whenever any write of that kind lands
— by this process, another worker, a restore or a migration — since they are computed from the rows
themselves (count, latest change, and for modules the sum of changes, which moves when one is
reverted). No write path has to remember to bump anything. Revocation (the row is gone), expiry
(``expires_ms``), clock advances (compared here against the clock of this call) and other workers'
writes therefore take effect on the very next call.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from sqlalchemy import Connection

from zcrm_emulator.accounts.tokens import digest
from zcrm_emulator.admission import repo
from zcrm_emulator.usage.repo import Standing


@dataclass(frozen=True)
class Stamps:
    """Values that differ whenever what a process keeps of that kind changed in the store."""

    metadata: Hashable  # modules, fields, layouts of the org
    people: Hashable  # the org's users and profiles


@dataclass(frozen=True)
class Admission:
    org_id: str
    user_id: str
    scopes: tuple[str, ...]
    client_id: str | None
    standing: Standing
    stamps: Stamps
    # No active workflow rule, no live watch channel and no scoring rule when the call began: its
    # record events need no automation lookup (events.py, ``RecordEvent.automation_idle``).
    automation_idle: bool


def admit_token(conn: Connection, token_value: str, now_ms: int, minute: int) -> Admission | None:
    """The live token's admission; None when the token is unknown, revoked (deleted) or expired."""
    row = repo.admission_row(conn, digest(token_value), minute, now_ms)
    if row is None or row[4] <= now_ms:
        return None
    standing = Standing(row[5], int(row[6] or 0), row[7], int(row[8] or 0), int(row[9]))
    # people in the form of record_model's own people stamp, so either reading finds the same memo entry
    stamps = Stamps(metadata=tuple(row[10:17]), people=tuple(int(value or 0) for value in row[17:20]))
    return Admission(row[0], row[1], tuple(row[2].split()), row[3], standing, stamps, not any(row[20:23]))
