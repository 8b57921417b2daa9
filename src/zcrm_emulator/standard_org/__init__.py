"""A fresh org, built from the data files beside this module (not from code).

Files: ``org.json``, ``users.json`` (the primary admin), ``profiles.json``, ``roles.json``,
``modules.json``, ``fields/<Module>.json``, ``portal_user_types.json``, ``contact_roles.json`` and
``pipelines.json`` (the Deals layout's pipelines, ``$layout_id`` naming the layout), in Zoho's wire shapes.
Placeholders resolved here: ``"@<n>"`` -> the org-prefixed id with suffix n; ``"@created"`` -> the
org's creation time; ``"@admin"`` -> the admin user as ``{name, id, email}``. The module key
``$scope_name`` (the name used in record scopes) is moved into its own column.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Table

from zcrm_emulator import ids
from zcrm_emulator.clock import iso
from zcrm_emulator.standard_org import repo, views
from zcrm_emulator.store import Store, locks
from zcrm_emulator.store import state as state_repo
from zcrm_emulator.store.schema import (
    contact_roles,
    custom_views,
    fields,
    id_counters,
    modules,
    orgs,
    pipelines,
    portal_user_types,
    profiles,
    roles,
    users,
)

ORG_ID_SUFFIX = 0
ADMIN_PROFILE = "Administrator"
DEFAULT_ORG_KEY = "default_org_id"  # in emulator_state: the org the control plane and CLI act on


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


@dataclass(frozen=True)
class OrgRows:
    """A fresh org as rows, table by table in the order they can be inserted (standard_org/repo.py)."""

    org_id: str
    tables: list[tuple[Table, list[dict[str, Any]]]]


def org_rows(*, now_ms: int, edition: str, dc: str, prefix: int | None = None) -> OrgRows:
    """A complete fresh org, not yet stored."""
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
    org_row = {
        "id": org_id,
        "edition": edition,
        "dc": dc,
        "created_ms": now_ms,
        "modified_ms": now_ms,
        "data": org_data,
    }

    def owned(data: dict[str, Any], **columns: Any) -> dict[str, Any]:
        """The row of one object of the org: its id, the org, the stamp, its wire shape."""
        return {"id": data["id"], "org_id": org_id, "modified_ms": now_ms, "data": data, **columns}

    profile_rows = [owned(p, name=p["name"]) for p in map(resolve, _raw("profiles.json"))]
    admin_profile = next((p["id"] for p in profile_rows if p["name"] == ADMIN_PROFILE), None)
    user_rows = [
        owned(u, email=u["email"], profile_id=u["profile"]["id"], is_admin=u["profile"]["id"] == admin_profile)
        for u in map(resolve, _raw("users.json"))
    ]
    field_files = _field_files()
    module_rows, field_rows = [], []
    for module in map(resolve, _raw("modules.json")):
        scope_name = module.pop("$scope_name", None)
        module_rows.append(
            owned(
                module,
                api_name=module["api_name"],
                generated_type=module.get("generated_type", "default"),
                sequence=module.get("sequence_number") or 0,
                scope_name=scope_name,
            )
        )
        for sequence, field in enumerate(map(resolve, field_files.get(module["api_name"], []))):
            field_rows.append(owned(field, module_id=module["id"], api_name=field["api_name"], sequence=sequence))
    return OrgRows(
        org_id,
        [
            (orgs, [org_row]),
            (id_counters, [{"org_id": org_id, "next_suffix": ids.FIRST_DYNAMIC_SUFFIX}]),
            (profiles, profile_rows),
            (roles, [owned(r) for r in map(resolve, _raw("roles.json"))]),
            (users, user_rows),
            (modules, module_rows),
            (fields, field_rows),
            (portal_user_types, [owned(t) for t in map(resolve, _raw("portal_user_types.json"))]),
            (
                contact_roles,
                [owned(r, name_key=r["name"].casefold()) for r in map(resolve, _raw("contact_roles.json"))],
            ),
            (pipelines, [_pipeline_row(owned, p) for p in map(resolve, _raw("pipelines.json"))]),
            (
                custom_views,
                views.view_rows(
                    org_id,
                    module_rows,
                    field_rows,
                    id_of=lambda suffix: ids.compose(prefix, suffix),
                    created=created,
                    admin=admin,
                    now_ms=now_ms,
                ),
            ),
        ],
    )


def _pipeline_row(owned: Callable[..., dict[str, Any]], pipeline: dict[str, Any]) -> dict[str, Any]:
    layout_id = pipeline.pop("$layout_id")
    return owned(pipeline, layout_id=layout_id, name_key=pipeline["display_value"].casefold())


def create_org(conn: Connection, *, now_ms: int, edition: str, dc: str, prefix: int | None = None) -> str:
    """Insert a complete fresh org; returns its id."""
    return repo.insert_org(conn, org_rows(now_ms=now_ms, edition=edition, dc=dc, prefix=prefix))


def default_org_id(conn: Connection) -> str | None:
    return state_repo.get(conn, DEFAULT_ORG_KEY)


def ensure_default_org(store: Store, *, now: Callable[[], int], edition: str, dc: str) -> str:
    """The default org's id, creating the org when the store has none (once, when several workers
    ask together). A database normally starts as a copy of the fresh-org template (``template.py``),
    which holds it already; this builds it in place where no template can be had."""
    with store.tx() as conn:
        existing = default_org_id(conn)
        if existing is not None:
            return existing
        locks.serialize(conn, "default-org")
        existing = default_org_id(conn)  # made by the worker that held the lock
        if existing is not None:
            return existing
        org_id = create_org(conn, now_ms=now(), edition=edition, dc=dc)
        state_repo.put(conn, DEFAULT_ORG_KEY, org_id)
        return org_id
