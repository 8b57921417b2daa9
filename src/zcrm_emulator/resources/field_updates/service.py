"""Creating and changing field updates inside the caller's transaction (the rules are in rules.py,
the SQL in repo.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.automation import lookups, refs, storable
from zcrm_emulator.automation.saved import SavedActions
from zcrm_emulator.automation.wording import FIELD_UPDATES, reworded
from zcrm_emulator.automation.writer import Writer
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.memo import Memo
from zcrm_emulator.resources.field_updates import repo, rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store import locks
from zcrm_emulator.store.documents import Stored

SAVED = SavedActions(repo.FIELD_UPDATES, "field_updates", rules.IN_USE)


def take_turns(conn: Connection, org_id: str) -> None:
    """Field update writes of one org take turns across workers: names are unique in the org."""
    locks.serialize(conn, f"field_updates:{org_id}")


def _checked(
    conn: Connection, writer: Writer, memo: Memo, item: Any, json_path: str, *, except_id: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The item's clean keys and the stored pieces (module, field, value) it resolves to."""
    storable.check(item, json_path)
    with reworded(FIELD_UPDATES):
        clean = rules.SPEC.check(
            item,
            json_path,
            taken=lambda key, value: (
                key == "name" and repo.FIELD_UPDATES.name_taken(conn, writer.org_id, value, except_id=except_id)
            ),
        )
        if "value" not in item:
            raise ZohoError("MANDATORY_NOT_FOUND", rules.at(json_path, "value"), Message.REQUIRED_FIELD_MISSING)
    module = lookups.module_ref(conn, writer.org_id, clean["module"], json_path)
    meta = record_model.load_module(conn, writer.org_id, module.api_name, writer.now_ms, memo)
    field = refs.field_of(clean["field"], json_path, "field", meta.by_name, unknown=Message.UNKNOWN_FIELD)
    if not meta.writable(field["api_name"], "update"):
        raise ZohoError("INVALID_DATA", rules.at(json_path, "field"), Message.UNKNOWN_FIELD)
    owner = record_model.field_type(dict(field)).name == "ownerlookup"
    rules.check_owner_keys(item, json_path, owner=owner)
    if owner:
        clean["related_records"] = rules.check_related_records(clean.get("related_records"), json_path)
    clean["dependent_fields"] = rules.check_dependent_fields(clean.get("dependent_fields"), meta, json_path)
    users = {u["id"]: u for u in users_repo.list_users(conn, writer.org_id)}
    value = rules.check_value(item["value"], field, json_path, users)
    return clean, {"module": lookups.module_short(module), "field": field, "value": value}


def create(conn: Connection, writer: Writer, memo: Memo, item: Any, json_path: str) -> str:
    clean, parts = _checked(conn, writer, memo, item, json_path)
    update_id = ids.allocate(conn, writer.org_id)[0]
    data = rules.wire(update_id, clean, stamps=writer.created(), **parts)
    repo.FIELD_UPDATES.insert(conn, writer.org_id, writer.org_id, data, writer.now_ms)
    return update_id


def update(conn: Connection, writer: Writer, memo: Memo, stored: Stored, item: Any, json_path: str) -> str:
    """The keys given replace the stored ones; the module stays the module it was made for."""
    if not isinstance(item, Mapping):
        raise ZohoError("INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"})
    merged = {**rules.as_input(stored.data), **item}
    merged["module"] = stored.data["module"]
    clean, parts = _checked(conn, writer, memo, merged, json_path, except_id=stored.id)
    created = {k: stored.data[k] for k in ("created_time", "created_by")}
    data = rules.wire(stored.id, clean, stamps={**created, **writer.modified()}, **parts)
    repo.FIELD_UPDATES.save(conn, stored.id, data, writer.now_ms)
    return stored.id


def present(conn: Connection, org_id: str, items: Sequence[Mapping[str, Any]], *, one: bool) -> list[dict[str, Any]]:
    """Field updates as GET shows them: ``associated`` from the rules; GET one adds the module's
    labels and the fields' ``ui_type``."""
    associated = SAVED.associated(conn, org_id)
    shown = []
    for data in items:
        out = {**data, "associated": data["id"] in associated}
        if one:
            module = modules_repo.find(conn, org_id, data["module"]["id"])
            if module is not None:
                out["module"] = lookups.module_labelled(module)
                fields = lookups.fields_of(conn, module.id)
                out["field"] = _with_ui_type(data["field"], fields)
                if data.get("dependent_fields"):
                    out["dependent_fields"] = [
                        {**entry, "field": _with_ui_type(entry["field"], fields)} for entry in data["dependent_fields"]
                    ]
        shown.append(out)
    return shown


def _with_ui_type(field: Mapping[str, Any], fields: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    meta = fields.get(field["api_name"]) or {}
    return {"ui_type": meta.get("ui_type"), **field} if meta.get("ui_type") is not None else dict(field)
