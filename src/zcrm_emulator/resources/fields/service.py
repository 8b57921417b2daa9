"""Creating, updating and deleting custom fields inside the caller's transaction.

The steps of each operation in Zoho's order; the rules are in rules.py, the field object in
shapes.py, the SQL in repo.py. Every write moves the module's field stamp (``repo.version``), so
the next records call rebuilds the module's specs and takes the new field at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.clock import iso
from zcrm_emulator.editions import FIELD_LIMITS, FieldLimits
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.fields import repo, rules, shapes
from zcrm_emulator.resources.global_picklists import service as global_picklists
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.store import documents, locks
from zcrm_emulator.store.schema import profiles
from zcrm_emulator.validation import at, check_limit

LOOKUP_TARGET_TYPES = frozenset({"default", "custom"})
DEFAULT_LAYOUT = {"api_name": "Standard__s", "name": "Standard"}


@dataclass(frozen=True)
class FieldContext:
    """One write call on one module's fields: who writes, when, and what the org has."""

    org_id: str
    module: ModuleRef
    actor: Mapping[str, Any]
    now_ms: int
    limits: FieldLimits
    profiles: list[dict[str, str]]  # {name, id} of every profile of the org


def context(conn: Connection, org_id: str, module: ModuleRef, actor: Mapping[str, Any], now_ms: int) -> FieldContext:
    """The call's context, once the module's field writes have taken their turn: labels and api
    names are unique per module and the edition limits the count, all checked by reading first."""
    locks.serialize(conn, f"fields:{module.id}")
    edition = org_repo.org_edition(conn, org_id)
    found = [{"name": p["name"], "id": p["id"]} for p in documents.list_data(conn, profiles, org_id)]
    return FieldContext(org_id, module, actor, now_ms, FIELD_LIMITS[edition.name], found)


def _fresh_ids(conn: Connection, org_id: str) -> Iterator[str]:
    while True:
        yield ids.allocate(conn, org_id)[0]


def _time(ctx: FieldContext) -> str:
    return iso(ctx.now_ms, ctx.actor.get("time_zone") or "UTC")


def _profile_exists(ctx: FieldContext) -> Any:
    known = {p["id"] for p in ctx.profiles}
    return lambda _reference, profile_id: profile_id in known


def _check_limits(ctx: FieldContext, fields: list[dict[str, Any]], data_type: str, json_path: str) -> None:
    """LIMIT_EXCEEDED ``{limit, limit_due_to}``: custom fields per module, and per counted type."""
    custom = [f for f in fields if f.get("custom_field")]
    due_to = [at(json_path, "data_type")]
    check_limit(len(custom) + 1, ctx.limits.per_module, limit_due_to=due_to)
    if data_type in ctx.limits.per_type:
        same = sum(1 for f in custom if f.get("data_type") == data_type)
        check_limit(same + 1, ctx.limits.per_type[data_type], limit_due_to=due_to)


def _lookup_module(conn: Connection, ctx: FieldContext, clean: Mapping[str, Any], json_path: str) -> dict[str, str]:
    """The records module a lookup points at, by ``api_name`` or ``id`` (INVALID_DATA otherwise)."""
    given = clean["lookup"]["module"]
    key = given.get("id") or given.get("api_name")
    found = modules_repo.find(conn, ctx.org_id, str(key)) if key else None
    if found is None or not found.api_supported or found.generated_type not in LOOKUP_TARGET_TYPES:
        name = "id" if given.get("id") else "api_name"
        raise ZohoError("INVALID_DATA", at(f"{json_path}.lookup.module", name), Message.MODULE_NAME_INVALID)
    return {"api_name": found.api_name, "id": found.id}


def _layout(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The module's layout as its fields name it."""
    for field in fields:
        for association in field.get("layout_associations") or []:
            return dict(association)
    return dict(DEFAULT_LAYOUT)


def create_field(conn: Connection, ctx: FieldContext, item: Any, json_path: str) -> str:
    """Validate one field of a create call and insert it; returns its id."""
    source, item = global_picklists.field_built_on(conn, ctx.org_id, item, json_path)
    clean = rules.CREATE.check(item, json_path, exists=_profile_exists(ctx))
    fields = repo.list_fields(conn, ctx.module.id)
    label = clean["field_label"].strip()
    rules.check_label_free(label, fields, json_path)
    data_type = clean["data_type"]
    _check_limits(ctx, fields, data_type, json_path)
    length, decimals = rules.check_length(data_type, clean, json_path)
    target = _lookup_module(conn, ctx, clean, json_path) if data_type == "lookup" else None
    new_ids = _fresh_ids(conn, ctx.org_id)
    field_id = next(new_ids)
    place = shapes.Placement(ctx.module.api_name, _layout(fields), ctx.profiles)
    field = shapes.new_field(
        clean,
        field_id=field_id,
        api_name=rules.generate_api_name(label, {f["api_name"].casefold() for f in fields}),
        length=length,
        decimal_place=decimals,
        place=place,
        lookup_module=target,
        created_time=_time(ctx),
        new_ids=new_ids,
    )
    if source is not None:
        field.update(global_picklist=source, pick_list_values=item["pick_list_values"])
    repo.insert_field(
        conn, ctx.org_id, ctx.module.id, field, modified_ms=repo.next_stamp(conn, ctx.module.id, ctx.now_ms)
    )
    return field_id


def field_for_item(conn: Connection, ctx: FieldContext, item: Any, json_path: str) -> dict[str, Any]:
    """The field a bulk-update item names by ``id`` (MANDATORY_NOT_FOUND / INVALID_DATA)."""
    field_id = rules.FIELD_ID.check(item, json_path)["id"]
    found = repo.get_field(conn, ctx.module.id, field_id)
    if found is None:
        raise ZohoError("INVALID_DATA", at(json_path, "id"), Message.UNKNOWN_ID)
    return found


def field_in_path(conn: Connection, ctx: FieldContext, field_id: str | None, json_path: str) -> dict[str, Any]:
    """The field the path names (INVALID_DATA at the item's ``id`` when the module has none such)."""
    found = repo.get_field(conn, ctx.module.id, field_id) if field_id else None
    if found is None:
        raise ZohoError("INVALID_DATA", at(json_path, "id"), Message.UNKNOWN_ID)
    return found


def update_field(conn: Connection, ctx: FieldContext, field: dict[str, Any], item: Any, json_path: str) -> str:
    """Apply one update item to ``field`` (label, length, tooltip, profiles, picklist); its id."""
    clean = rules.UPDATE.check(item, json_path, partial=True, exists=_profile_exists(ctx))
    rules.check_type_unchanged(clean, field, json_path)
    changes: dict[str, Any] = {}
    label = (clean.get("field_label") or "").strip()
    if label and label != field.get("field_label"):
        rules.check_custom(field, json_path, "field_label")
        rules.check_label_free(label, repo.list_fields(conn, ctx.module.id), json_path, except_id=field["id"])
        changes.update(field_label=label, display_label=label)
    if ("length" in clean or "decimal_place" in clean) and field.get("data_type") in rules.NEW_TYPES:
        rules.check_custom(field, json_path, "length" if "length" in clean else "decimal_place")
        current = {"length": field.get("length"), "decimal_place": field.get("decimal_place"), **clean}
        changes["length"], changes["decimal_place"] = rules.check_length(field["data_type"], current, json_path)
    if "tooltip" in clean:
        changes["tooltip"] = dict(clean["tooltip"]) if clean["tooltip"] else None
    if "profiles" in clean:
        given = {p["id"]: p for p in field.get("profiles") or []}
        for profile in clean["profiles"]:
            if profile.get("permission_type"):
                given.setdefault(profile["id"], {"id": profile["id"]})["permission_type"] = profile["permission_type"]
        changes["profiles"] = shapes.profiles_of(list(given.values()), ctx.profiles, "read_write")
    if "pick_list_values" in clean:
        # A global picklist's field offers the set's options: they change through the set.
        if field.get("data_type") not in ("picklist", "multiselectpicklist") or field.get("global_picklist"):
            raise ZohoError("INVALID_DATA", at(json_path, "pick_list_values"))
        changes["pick_list_values"] = _kept_ids(
            field.get("pick_list_values") or [],
            shapes.picklist(clean["pick_list_values"], _fresh_ids(conn, ctx.org_id)),
        )
    if changes:
        data = {**field, **changes, "modified_time": _time(ctx)}
        repo.save_field(conn, field["id"], data, modified_ms=repo.next_stamp(conn, ctx.module.id, ctx.now_ms))
    return str(field["id"])


def _kept_ids(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A picklist option that stays (same actual value) keeps its id."""
    ids_by_value = {o.get("actual_value"): o.get("id") for o in old}
    return [{**value, "id": ids_by_value.get(value["actual_value"]) or value["id"]} for value in new]


def delete_field(conn: Connection, ctx: FieldContext, field_id: str | None) -> str:
    """Remove a custom field (INVALID_DATA for an unknown id or a system field)."""
    found = repo.get_field(conn, ctx.module.id, field_id) if field_id else None
    if found is None:
        raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": "$.id"}, Message.UNKNOWN_ID)
    if not found.get("custom_field"):
        raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": "$.id"})
    repo.delete_field(conn, found["id"])
    record_model.forget_field(conn, ctx.module.id, found["api_name"])
    return str(found["id"])
