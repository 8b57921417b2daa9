"""A fresh org, built from the data files beside this module (not from code).

Files: ``org.json``, ``users.json`` (the primary admin), ``profiles.json``, ``roles.json``,
``modules.json``, ``fields/<Module>.json`` and ``portal_user_types.json``, in Zoho's wire shapes.
Placeholders resolved here: ``"@<n>"`` -> the org-prefixed id with suffix n; ``"@created"`` -> the
org's creation time; ``"@admin"`` -> the admin user as ``{name, id, email}``. The module key
``$scope_name`` (the name used in record scopes) is moved into its own column.
"""

from __future__ import annotations

import json
import secrets
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, insert

from zcrm_emulator import ids
from zcrm_emulator.clock import iso
from zcrm_emulator.store import locks
from zcrm_emulator.store import state as state_repo
from zcrm_emulator.store.schema import (
    fields,
    id_counters,
    modules,
    orgs,
    portal_user_types,
    profiles,
    roles,
    users,
)

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

ORG_ID_SUFFIX = 0
ADMIN_PROFILE = "Administrator"


@cache
def _raw(name: str) -> Any:
    return json.loads((resources.files(__package__) / name).read_text(encoding="utf-8"))


def _field_files() -> dict[str, Any]:
    folder = resources.files(__package__) / "fields"
    return {
        entry.name.removesuffix(".json"): _raw(f"fields/{entry.name}")
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


def _resolve(value: Any, prefix: int, created: str, admin: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _resolve(v, prefix, created, admin) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, prefix, created, admin) for v in value]
    if isinstance(value, str) and value.startswith("@"):
        token = value[1:]
        if token.isdigit():
            return ids.compose(prefix, int(token))
        if token == "created":
            return created
        if token == "admin":
            return dict(admin)
    return value


def create_org(conn: Connection, *, now_ms: int, edition: str, dc: str, prefix: int | None = None) -> str:
    """Insert a complete fresh org; returns its id."""
    prefix = prefix or 1_000_000 + secrets.randbelow(8_999_999)
    org_id = ids.compose(prefix, ORG_ID_SUFFIX)
    admin_raw = _raw("users.json")[0]
    admin_tz = admin_raw.get("time_zone", "UTC")
    created = iso(now_ms, admin_tz)
    admin = {
        "name": admin_raw["full_name"],
        "id": ids.compose(prefix, int(admin_raw["id"][1:])),
        "email": admin_raw["email"],
    }

    def resolve(value: Any) -> Any:
        return _resolve(value, prefix, created, admin)

    org_data = resolve(_raw("org.json"))
    org_data.update(
        id=org_id,
        zgid=str(prefix),
        primary_zuid=resolve(admin_raw.get("zuid", admin["id"])),
        primary_email=admin["email"],
        domain_name=f"org{prefix}",
    )
    org_data.setdefault("license_details", {})["paid_type"] = edition
    conn.execute(
        insert(orgs).values(id=org_id, edition=edition, dc=dc, created_ms=now_ms, modified_ms=now_ms, data=org_data)
    )
    conn.execute(insert(id_counters).values(org_id=org_id, next_suffix=ids.FIRST_DYNAMIC_SUFFIX))

    profile_rows = [resolve(p) for p in _raw("profiles.json")]
    profile_ids = {p["name"]: p["id"] for p in profile_rows}
    conn.execute(
        insert(profiles),
        [{"id": p["id"], "org_id": org_id, "name": p["name"], "modified_ms": now_ms, "data": p} for p in profile_rows],
    )
    conn.execute(
        insert(roles),
        [{"id": r["id"], "org_id": org_id, "modified_ms": now_ms, "data": r} for r in map(resolve, _raw("roles.json"))],
    )
    for user in map(resolve, _raw("users.json")):
        profile_id = user["profile"]["id"]
        conn.execute(
            insert(users).values(
                id=user["id"],
                org_id=org_id,
                email=user["email"],
                profile_id=profile_id,
                is_admin=profile_id == profile_ids.get(ADMIN_PROFILE),
                modified_ms=now_ms,
                data=user,
            )
        )

    field_files = _field_files()
    module_rows, field_rows = [], []
    for module in map(resolve, _raw("modules.json")):
        scope_name = module.pop("$scope_name", None)
        module_rows.append(
            {
                "id": module["id"],
                "org_id": org_id,
                "api_name": module["api_name"],
                "generated_type": module.get("generated_type", "default"),
                "sequence": module.get("sequence_number") or 0,
                "scope_name": scope_name,
                "modified_ms": now_ms,
                "data": module,
            }
        )
        for sequence, field in enumerate(map(resolve, field_files.get(module["api_name"], []))):
            field_rows.append(
                {
                    "id": field["id"],
                    "org_id": org_id,
                    "module_id": module["id"],
                    "api_name": field["api_name"],
                    "sequence": sequence,
                    "modified_ms": now_ms,
                    "data": field,
                }
            )
    conn.execute(insert(modules), module_rows)
    if field_rows:
        conn.execute(insert(fields), field_rows)
    conn.execute(
        insert(portal_user_types),
        [
            {"id": t["id"], "org_id": org_id, "modified_ms": now_ms, "data": t}
            for t in map(resolve, _raw("portal_user_types.json"))
        ],
    )
    return org_id


def ensure_default_org(emulator: Emulator) -> str:
    """The default org's id, creating the org on first start (once, when several workers start
    together or ask right after a reset)."""
    with emulator.store.tx() as conn:
        existing = state_repo.get(conn, "default_org_id")
        if existing is not None:
            return existing
        locks.serialize(conn, "default-org")
        existing = state_repo.get(conn, "default_org_id")  # made by the worker that held the lock
        if existing is not None:
            return existing
        org_id = create_org(
            conn, now_ms=emulator.clock.now_ms(), edition=emulator.settings.edition, dc=emulator.settings.dc
        )
        state_repo.put(conn, "default_org_id", org_id)
        return org_id


def reset(emulator: Emulator) -> str:
    """Drop every org (cascading to all their data) and build a fresh default org."""
    with emulator.store.tx() as conn:
        conn.execute(delete(orgs))
        state_repo.put(conn, state_repo.CLOCK_OFFSET, "0")
        conn.execute(delete(state_repo.emulator_state).where(state_repo.emulator_state.c.key == "default_org_id"))
    emulator.clock.offset_ms = 0
    return ensure_default_org(emulator)
