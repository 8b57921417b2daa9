"""The steps of the layout writes on the caller's connection: changing a layout's sections, deleting
a custom layout (its records and profiles go to ``transfer_to``), deactivating one (its profiles go
to ``transfer_to``) and activating it again for the profiles given.

Only custom layouts (``generated_type`` "custom") can be deleted or deactivated; the Standard
layout a module starts with is system-defined (its ``actions_allowed`` says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.clock import iso
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import PageQuery
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.layouts import repo, rules
from zcrm_emulator.resources.layouts.repo import LayoutRow
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.resources.profiles import repo as profiles_repo
from zcrm_emulator.validation import at

# Records read per statement while a deleted layout's records move to another layout.
BATCH = 1000


def in_path(conn: Connection, module: ModuleRef, raw_id: str) -> LayoutRow:
    """The module's layout the path names: INVALID_DATA ``{resource_path_index}`` when none."""
    layout_id = normalize_id(raw_id)
    found = repo.get_layout(conn, module.id, layout_id) if layout_id else None
    if found is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 0}, Message.LAYOUT_UNKNOWN)
    return found


def for_item(conn: Connection, module: ModuleRef, raw_id: Any, json_path: str) -> LayoutRow:
    """The module's layout an item's ``id`` names: INVALID_DATA on ``id`` when none."""
    layout_id = normalize_id(raw_id)
    found = repo.get_layout(conn, module.id, layout_id) if layout_id else None
    if found is None:
        raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{json_path}.id"}, Message.LAYOUT_UNKNOWN)
    return found


def _stamped(data: Mapping[str, Any], actor: Mapping[str, Any], now_ms: int) -> dict[str, Any]:
    return {
        **data,
        "modified_time": iso(now_ms, actor.get("time_zone") or "UTC"),
        "modified_by": {"name": actor["full_name"], "id": actor["id"]},
    }


def update_sections(
    conn: Connection,
    org_id: str,
    layout: LayoutRow,
    clean: Mapping[str, Any],
    json_path: str,
    *,
    actor: Mapping[str, Any],
    now_ms: int,
) -> str:
    """Apply a PATCH item's validated ``sections`` to the layout (rules.apply_sections)."""
    kept = layout.data.get(rules.STORED_SECTIONS) or [
        {**section, "id": ids.allocate(conn, org_id)[0]} for section in rules.default_sections()
    ]
    field_ids = {str(field["id"]) for field in fields_repo.list_fields(conn, layout.module_id)}
    sections = rules.apply_sections(
        kept, clean["sections"], field_ids, lambda: ids.allocate(conn, org_id)[0], json_path
    )
    data = _stamped({**layout.data, rules.STORED_SECTIONS: sections}, actor, now_ms)
    repo.save_layout(conn, layout.id, data, now_ms)
    return layout.id


def _custom(layout: LayoutRow, message: Message | None) -> None:
    if layout.data.get("generated_type") != "custom":
        raise ZohoError("NOT_ALLOWED", {"id": layout.id}, message)


def _target(conn: Connection, layout: LayoutRow, raw: str) -> LayoutRow:
    """The active layout of the same module ``transfer_to`` names (not the layout itself)."""
    target_id = normalize_id(raw)
    target = repo.get_layout(conn, layout.module_id, target_id) if target_id else None
    if target is None or target.id == layout.id:
        raise ZohoError("INVALID_DATA", {"param_name": "transfer_to"}, Message.LAYOUT_UNKNOWN)
    if target.data.get("status") != rules.ACTIVE:
        raise ZohoError("NOT_ALLOWED", {"param_name": "transfer_to"}, Message.LAYOUT_TRANSFER_INACTIVE)
    return target


def _give_profiles(conn: Connection, source: LayoutRow, target: LayoutRow, now_ms: int) -> None:
    """``source``'s profiles become ``target``'s too (each profile keeps a layout to open records in)."""
    have = {profile.get("id") for profile in target.data.get("profiles") or []}
    moved = [profile for profile in source.data.get("profiles") or [] if profile.get("id") not in have]
    if moved:
        repo.save_layout(conn, target.id, {**target.data, "profiles": [*target.data["profiles"], *moved]}, now_ms)


def _move_records(conn: Connection, module_id: str, source_id: str, target_id: str) -> None:
    """Records in ``source_id`` now open in ``target_id`` (their ``Layout``)."""
    after: str | None = None
    while True:
        rows = record_model.list_records(conn, module_id, PageQuery("id", False, BATCH, 0, None, after))
        moved = [row for row in rows if row.data.get("Layout") == source_id]
        record_model.update_records(conn, [replace(row, data={**row.data, "Layout": target_id}) for row in moved])
        if len(rows) < BATCH:
            return
        after = rows[-1].id


def delete(conn: Connection, layout: LayoutRow, transfer_to: str, now_ms: int) -> str:
    _custom(layout, Message.LAYOUT_SYSTEM_DEFINED)
    target = _target(conn, layout, transfer_to)
    _give_profiles(conn, layout, target, now_ms)
    _move_records(conn, layout.module_id, layout.id, target.id)
    repo.delete_layout(conn, layout.id)
    return layout.id


def deactivate(conn: Connection, layout: LayoutRow, transfer_to: str, *, actor: Mapping[str, Any], now_ms: int) -> str:
    _custom(layout, None)
    if layout.data.get("status") != rules.ACTIVE:
        raise ZohoError("ALREADY_DEACTIVATED", {"id": layout.id})
    target = _target(conn, layout, transfer_to)
    _give_profiles(conn, layout, target, now_ms)
    data = _stamped({**layout.data, "status": rules.INACTIVE, "profiles": []}, actor, now_ms)
    repo.save_layout(conn, layout.id, data, now_ms)
    return layout.id


def activate(
    conn: Connection,
    org_id: str,
    layout: LayoutRow,
    clean: Mapping[str, Any],
    json_path: str,
    *,
    actor: Mapping[str, Any],
    now_ms: int,
) -> str:
    """The layout active again, for the profiles the item names (each an existing profile)."""
    if layout.data.get("status") == rules.ACTIVE:
        raise ZohoError("ALREADY_ACTIVATED", {"id": layout.id})
    profiles = []
    for index, given in enumerate(clean["profiles"]):
        profile = profiles_repo.get_profile(conn, org_id, given["id"])
        if profile is None:
            raise ZohoError("INVALID_DATA", at(f"{json_path}.profiles[{index}]", "id"), Message.UNKNOWN_ID)
        profiles.append(rules.layout_profile(profile))
    data = _stamped({**layout.data, "status": rules.ACTIVE, "profiles": profiles}, actor, now_ms)
    repo.save_layout(conn, layout.id, data, now_ms)
    return layout.id
