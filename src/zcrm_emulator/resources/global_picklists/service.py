"""The steps of the global-picklist calls: create, update and delete a set, the fields built on it
(their ``pick_list_values`` follow the set's used options), and replacing an option in them.
Writers of one org's sets take turns (``take_turns``): labels and api names are unique per org."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.acting import Acting
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.global_picklists import repo, rules
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at

Context = Acting
Association = tuple[dict[str, Any], dict[str, Any]]  # (module summary, field)
REPLACE_BATCH = 100  # records per update, as a records call takes them


def take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"global_picklists:{org_id}")


def _fresh_ids(conn: Connection, org_id: str) -> Iterator[str]:
    while True:
        yield ids.allocate(conn, org_id)[0]


def all_picklists(conn: Connection, org_id: str) -> list[rules.Picklist]:
    return repo.list_picklists(conn, org_id)


def find(conn: Connection, org_id: str, raw_id: Any) -> rules.Picklist | None:
    picklist_id = normalize_id(raw_id)
    return repo.get_picklist(conn, org_id, picklist_id) if picklist_id else None


def path_picklist(conn: Connection, org_id: str, raw_id: str) -> rules.Picklist:
    """The set the URL names: INVALID_DATA at its segment when the org has none such."""
    found = find(conn, org_id, raw_id)
    if found is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": rules.PATH_INDEX}, Message.UNKNOWN_ID)
    return found


def associations(conn: Connection, org_id: str, picklist_id: str) -> list[Association]:
    """The fields built on the set, with their modules."""
    return [
        (module, field)
        for module, field in repo.org_fields(conn, org_id)
        if ((field.get("global_picklist") or {}).get("id")) == picklist_id
    ]


def shown(conn: Connection, org_id: str, picklist: rules.Picklist, include: frozenset[str]) -> rules.Picklist:
    """The set as GET shows it: ``used_in_modules`` when asked for."""
    wire = dict(picklist)
    if "used_in_modules" in include:
        used: dict[str, dict[str, Any]] = {}
        for module, _field in associations(conn, org_id, picklist["id"]):
            used.setdefault(module["id"], {"api_name": module["api_name"], "id": module["id"]})
        wire["used_in_modules"] = list(used.values())
    return wire


# --- writes ----------------------------------------------------------------------------------------
def create(ctx: Context, item: Any, path: str) -> rules.Picklist:
    clean = rules.check_keys(rules.item_object(item, path), path, creating=True)
    everything = repo.list_picklists(ctx.conn, ctx.org_id)
    label = clean["display_label"]
    if rules.label_taken(everything, label, None):
        raise ZohoError("DUPLICATE_DATA", at(path, "display_label"))
    taken = {p["api_name"].casefold() for p in everything}
    if "api_name" in clean and clean["api_name"].casefold() in taken:
        raise ZohoError("DUPLICATE_DATA", at(path, "api_name"))
    sort_lexically = clean.get("pick_list_values_sorted_lexically", False)
    new_ids = _fresh_ids(ctx.conn, ctx.org_id)
    options = rules.merge_options([], clean["pick_list_values"], path, new_ids, sort_lexically=sort_lexically)
    picklist = {
        "display_label": label,
        "actual_label": label,
        "api_name": clean.get("api_name") or rules.generate_api_name(label, taken),
        "id": next(new_ids),
        "description": clean.get("description"),
        "created_time": ctx.moment,
        "modified_time": ctx.moment,
        "created_by": ctx.stamp,
        "modified_by": ctx.stamp,
        "presence": True,
        "pick_list_values_sorted_lexically": sort_lexically,
        "pick_list_values": options,
    }
    repo.insert_picklist(ctx.conn, ctx.org_id, picklist, ctx.now_ms)
    return picklist


def update(ctx: Context, picklist: rules.Picklist, item: Any, path: str) -> rules.Picklist:
    clean = rules.check_keys(rules.item_object(item, path), path, creating=False)
    everything = repo.list_picklists(ctx.conn, ctx.org_id)
    changed = dict(picklist)
    if "display_label" in clean:
        if rules.label_taken(everything, clean["display_label"], picklist["id"]):
            raise ZohoError("DUPLICATE_DATA", at(path, "display_label"))
        changed["display_label"] = clean["display_label"]
    if "api_name" in clean and clean["api_name"] != picklist["api_name"]:
        if rules.api_name_taken(everything, clean["api_name"], picklist["id"]):
            raise ZohoError("DUPLICATE_DATA", at(path, "api_name"))
        changed["api_name"] = clean["api_name"]
    if "description" in clean:
        changed["description"] = clean["description"]
    if "pick_list_values_sorted_lexically" in clean:
        changed["pick_list_values_sorted_lexically"] = clean["pick_list_values_sorted_lexically"]
    given = clean.get("pick_list_values", [])
    if given or "pick_list_values_sorted_lexically" in clean:
        changed["pick_list_values"] = rules.merge_options(
            picklist["pick_list_values"],
            given,
            path,
            _fresh_ids(ctx.conn, ctx.org_id),
            sort_lexically=changed["pick_list_values_sorted_lexically"],
        )
    changed.update(modified_by=ctx.stamp, modified_time=ctx.moment)
    repo.save_picklist(ctx.conn, changed, ctx.now_ms)
    if changed["pick_list_values"] != picklist["pick_list_values"]:
        _follow(ctx, changed)
    return changed


def _follow(ctx: Context, picklist: rules.Picklist) -> None:
    """The fields built on the set offer its used options from now on."""
    values = rules.field_values(picklist["pick_list_values"])
    for module, field in associations(ctx.conn, ctx.org_id, picklist["id"]):
        stamp = fields_repo.next_stamp(ctx.conn, module["id"], ctx.now_ms)
        data = {**field, "pick_list_values": values, "modified_time": ctx.moment}
        fields_repo.save_field(ctx.conn, field["id"], data, modified_ms=stamp)


def delete(ctx: Context, picklist: rules.Picklist) -> str:
    """A set some field is built on stays: NOT_ALLOWED."""
    if associations(ctx.conn, ctx.org_id, picklist["id"]):
        raise ZohoError("NOT_ALLOWED", {"id": picklist["id"]}, Message.GLOBAL_PICKLIST_IN_USE)
    repo.delete_picklist(ctx.conn, picklist["id"])
    return str(picklist["id"])


def replace(ctx: Context, picklist: rules.Picklist, body: Any) -> str:
    """Replace one value by an option of the set in the records of the fields built on it: the old
    option (when the set has one; the value may be one it no longer has) becomes unused, and the
    fields offer the rest. The job is done at once; returns its id."""
    item = rules.check_replace_body(body)
    path = "$.replace_picklist_values[0]"
    options = picklist["pick_list_values"]
    new = rules.find_option(options, item["new_value"], path, "new_value")
    if new is None or new["type"] != "used":
        raise ZohoError("INVALID_DATA", at(path, "new_value"))
    old = rules.find_option(options, item["old_value"], path, "old_value")
    shown = item["old_value"].get("display_value")
    if old is None and not (isinstance(shown, str) and shown.strip()):
        raise ZohoError("INVALID_DATA", at(f"{path}.old_value", "id"))
    if old is not None and old["id"] == new["id"]:
        raise ZohoError("INVALID_DATA", at(path, "old_value"))
    _replace_in_records(ctx, picklist["id"], old["actual_value"] if old else str(shown), new["actual_value"])
    if old is not None and old["type"] == "used":
        kept = [{**o, "type": "unused"} if o["id"] == old["id"] else o for o in options]
        changed = {**picklist, "pick_list_values": kept, "modified_by": ctx.stamp, "modified_time": ctx.moment}
        repo.save_picklist(ctx.conn, changed, ctx.now_ms)
        _follow(ctx, changed)
    return ids.allocate(ctx.conn, ctx.org_id)[0]


def _replace_in_records(ctx: Context, picklist_id: str, old_value: str, new_value: str) -> None:
    """Records of the fields built on the set that hold ``old_value`` get ``new_value``, as the
    acting user's update (record events follow, so automation sees the change)."""
    who = record_model.caller(ctx.conn, ctx.org_id, ctx.actor["id"])
    for module, field in associations(ctx.conn, ctx.org_id, picklist_id):
        name = field["api_name"]
        found = record_model.find_by_keys(ctx.conn, module["id"], name, [old_value.strip().lower()], indexed=False)
        record_ids = [match.record_id for matches in found.values() for match in matches]
        if not record_ids:
            continue
        meta = record_model.load_module(ctx.conn, ctx.org_id, module["api_name"], ctx.now_ms)
        for start in range(0, len(record_ids), REPLACE_BATCH):
            items = [{"id": record_id, name: new_value} for record_id in record_ids[start : start + REPLACE_BATCH]]
            record_model.update(ctx.conn, ctx.org_id, who, meta, items, now_ms=ctx.now_ms)


# --- fields built on a set -------------------------------------------------------------------------
def field_built_on(conn: Connection, org_id: str, item: Any, json_path: str) -> tuple[dict[str, str] | None, Any]:
    """A new field's item as the fields resource checks it: when it names a set in
    ``global_picklist`` (``{id}`` or ``{api_name}``), the reference the field keeps and the item
    with the set's used options as its ``pick_list_values``; otherwise (None, the item)."""
    if not isinstance(item, dict) or item.get("global_picklist") is None:
        return None, item
    given = item["global_picklist"]
    if item.get("data_type") != "picklist":
        raise ZohoError("INVALID_DATA", at(json_path, "global_picklist"))
    if not isinstance(given, dict):
        raise ZohoError("INVALID_DATA", at(json_path, "global_picklist", expected_data_type="jsonobject"))
    where = f"{json_path}.global_picklist"
    if given.get("id") not in (None, ""):
        found, key = find(conn, org_id, given["id"]), "id"
    elif isinstance(given.get("api_name"), str) and given["api_name"]:
        name = given["api_name"].casefold()
        found = next((p for p in repo.list_picklists(conn, org_id) if p["api_name"].casefold() == name), None)
        key = "api_name"
    else:
        raise ZohoError("MANDATORY_NOT_FOUND", at(where, "id"))
    if found is None:
        raise ZohoError("INVALID_DATA", at(where, key), Message.UNKNOWN_ID)
    reference = {"id": found["id"], "api_name": found["api_name"]}
    return reference, {**item, "pick_list_values": rules.field_values(found["pick_list_values"])}
