"""OAuth scope strings and Zoho's coverage rule (REFERENCE §2.7).

A scope is ``<Service>.<path…>.<OPERATION>``; a granted scope covers a needed one when the service
and the granted path are a prefix of the needed path and the operation is ALL or the same. So
``ZohoCRM.settings.ALL`` covers ``ZohoCRM.settings.modules.UPDATE`` and ``ZohoCRM.modules.ALL``
covers ``ZohoCRM.modules.leads.READ``. Operations compare case-insensitively (§9 #5); the older
``WRITE`` covers CREATE, UPDATE and DELETE.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

# CUSTOM: an operation of its own kind (ZohoCRM.composite_requests.CUSTOM)
OPERATIONS = frozenset({"ALL", "READ", "CREATE", "UPDATE", "DELETE", "WRITE", "CUSTOM"})
METHOD_OPERATION = {"GET": "READ", "POST": "CREATE", "PUT": "UPDATE", "PATCH": "UPDATE", "DELETE": "DELETE"}
_WRITE_COVERS = frozenset({"WRITE", "CREATE", "UPDATE", "DELETE"})


def split(scope: str) -> tuple[tuple[str, ...], str] | None:
    """('ZohoCRM','settings','modules'), 'UPDATE' — or None when it is not a well-formed scope."""
    parts = scope.strip().split(".")
    if len(parts) < 3 or not all(parts):
        return None
    operation = parts[-1].upper()
    if operation not in OPERATIONS:
        return None
    return tuple(part.lower() for part in parts[:-1]), operation


def _operation_covers(granted: str, needed: str) -> bool:
    return granted in ("ALL", needed) or (granted == "WRITE" and needed in _WRITE_COVERS)


@lru_cache(maxsize=4096)  # pure, and asked on every call with the same few pairs
def covers(granted: str, needed: str) -> bool:
    g, n = split(granted), split(needed)
    if g is None or n is None:
        return False
    (g_path, g_op), (n_path, n_op) = g, n
    return n_path[: len(g_path)] == g_path and _operation_covers(g_op, n_op)


def satisfied(granted: Iterable[str], any_of: Iterable[str]) -> bool:
    """True when some granted scope covers one of the acceptable needed scopes."""
    granted = list(granted)
    return any(covers(g, n) for n in any_of for g in granted)


def parse_list(raw: str) -> list[str]:
    """Scopes as Zoho accepts them: comma-separated (auth URLs) or space-separated (token replies)."""
    return [s for s in raw.replace(",", " ").split() if s]
