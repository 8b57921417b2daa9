"""Tags' operations inside the caller's transaction: a module's tags (create, update, delete,
merge, count) and the tags of records (add, remove). Records change through the record model only
(``record_model.update``), so every tag write on records is one record event; the rules are in
rules.py, the SQL in repo.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import batch, ids, record_model
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.memo import Memo
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.tags import repo, rules
from zcrm_emulator.validation import at, only_item_of


@dataclass(frozen=True)
class Context:
    """Who writes which module's tags, when."""

    conn: Connection
    org_id: str
    who: record_model.Caller
    meta: record_model.ModuleMeta
    now_ms: int

    def stamp(self) -> dict[str, Any]:
        return record_model.tag_stamp(self.who, self.now_ms)


def module_of(conn: Connection, org_id: str, name: str, now_ms: int, memo: Memo | None) -> record_model.ModuleMeta:
    """A module that takes tags: INVALID_MODULE for an unknown one (``{}``, as for a param) and for
    one without tags."""
    try:
        meta = record_model.load_module(conn, org_id, name, now_ms, memo)
    except ZohoError as error:
        if error.code == "INVALID_MODULE":
            raise ZohoError("INVALID_MODULE", {}) from None
        raise
    rules.check_supported("Tag" in meta.by_name)
    return meta


def tag_in_module(ctx: Context, tag_id: str | None, details: dict[str, Any]) -> dict[str, Any]:
    stored = repo.TAGS.get(ctx.conn, ctx.org_id, tag_id) if tag_id else None
    if stored is None or stored.scope_id != ctx.meta.id:
        raise ZohoError("INVALID_DATA", details, Message.TAG_UNKNOWN_ID)
    return stored.data


def _name_taken(ctx: Context, except_id: str | None = None) -> Callable[[str, Any], dict[str, Any] | None]:
    """The tag holding a name already: DUPLICATE_DATA names it (tags.json Duplicate_Data: ``id``)."""

    def taken(key: str, value: Any) -> dict[str, Any] | None:
        if key != "name" or not isinstance(value, str):
            return None
        holder = repo.by_name_keys(ctx.conn, ctx.meta.id, [rules.name_key(value)]).get(rules.name_key(value))
        return {"id": holder["id"]} if holder is not None and holder["id"] != except_id else None

    return taken


def create_tag(ctx: Context, item: Any, json_path: str, default_color: str | None) -> dict[str, Any]:
    """One item of POST /settings/tags: its keys, the name free in the module, the edition's count."""
    clean = rules.CREATE.check(item, json_path, taken=_name_taken(ctx))
    rules.check_characters(clean["name"], json_path)
    limit = record_model.tag_limits(ctx.conn, ctx.org_id).per_module
    rules.check_module_count(repo.TAGS.count(ctx.conn, ctx.meta.id) + 1, limit, f"{json_path}.name")
    color = clean.get("color_code", default_color)
    tag = rules.new_tag(ids.allocate(ctx.conn, ctx.org_id)[0], clean["name"], color, ctx.stamp())
    repo.TAGS.insert(ctx.conn, ctx.org_id, ctx.meta.id, tag, ctx.now_ms)
    return tag


def update_tag(ctx: Context, tag: Mapping[str, Any], item: Any, json_path: str) -> dict[str, Any]:
    """One update: a new name (free in the module) and/or colour. Records show tags by id, so a
    renamed tag reads with its new name everywhere at once."""
    clean = rules.UPDATE.check(item, json_path, partial=True, taken=_name_taken(ctx, except_id=tag["id"]))
    if isinstance(clean.get("name"), str):
        rules.check_characters(clean["name"], json_path)
    updated = rules.changed(tag, clean, ctx.stamp())
    repo.TAGS.save(ctx.conn, tag["id"], updated, ctx.now_ms)
    return updated


def update_item(ctx: Context, item: Any, json_path: str) -> dict[str, Any]:
    """One item of PUT /settings/tags: the tag its ``id`` names, updated."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"})
    if item.get("id") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "id"))
    tag = tag_in_module(ctx, ids.normalize_id(item["id"]), at(json_path, "id"))
    return update_tag(ctx, tag, item, json_path)


def delete_tag(conn: Connection, tag_id: str) -> None:
    """Records keep the deleted tag's id, which no longer reads (record_model/tagging.py)."""
    repo.TAGS.delete(conn, tag_id)


# --- records ----------------------------------------------------------------------------------------


def tagged_records(ctx: Context, tag_ids: set[str]) -> list[record_model.RecordRow]:
    """Live records of the module that carry any of ``tag_ids``."""
    found: list[record_model.RecordRow] = []
    page = record_model.PageQuery(sort="id", descending=False, limit=1000)
    while True:
        rows = record_model.list_records(ctx.conn, ctx.meta.id, page)
        found.extend(row for row in rows if tag_ids & {t.get("id") for t in row.data.get("Tag") or []})
        if len(rows) < page.limit:
            return found
        page = record_model.PageQuery(sort="id", descending=False, limit=1000, after_id=rows[-1].id)


def records_count(ctx: Context, tag_id: str) -> int:
    return len(tagged_records(ctx, {tag_id}))


def merge(ctx: Context, tag: Mapping[str, Any], into: Mapping[str, Any], cause: Cause) -> None:
    """``tag`` merged into ``into``: its records carry ``into`` instead (one record event), then it
    is gone."""
    rows = tagged_records(ctx, {tag["id"]})
    known = record_model.tag_lookup(ctx.conn, ctx.org_id, ctx.meta.id)
    items = []
    for row in rows:
        shown = rules.shown_on_record(row.data.get("Tag"), known)
        names = rules.merged_names([into if t["id"] == tag["id"] else t for t in shown], [], over_write=False)
        items.append({"id": row.id, "Tag": [{"name": name} for name in names]})
    if items:
        for result in record_model.update(
            ctx.conn, ctx.org_id, ctx.who, ctx.meta, items, now_ms=ctx.now_ms, cause=cause
        ):
            if result["status"] == "error":
                raise ZohoError("INVALID_DATA", {"id": result["details"].get("id")})
    repo.TAGS.delete(ctx.conn, tag["id"])


def merge_item(body: Mapping[str, Any]) -> dict[str, Any]:
    """The one ``{"conflict_id"}`` of a merge; merge answers every input error as INVALID_DATA
    (tags_actions.json postMerge)."""
    items = body.get("tags")
    if not isinstance(items, list) or len(items) != 1:
        raise ZohoError("INVALID_DATA", {"api_name": "tags", "json_path": "$.tags"})
    item = items[0]
    if not isinstance(item, dict) or ids.normalize_id(item.get("conflict_id")) is None:
        raise ZohoError("INVALID_DATA", at("$.tags[0]", "conflict_id"))
    return item


@dataclass(frozen=True)
class Given:
    """The ``tags`` of a record action, checked: existing tags by id, and names (new or not) with
    the colour a new one takes."""

    names: list[str]
    colors: dict[str, str | None]


def given_tags(ctx: Context, value: Any, *, adding: bool) -> Given:
    """The ``tags`` array of add_tags/remove_tags. A tag's ``id`` takes precedence over its name;
    a name needs no tag yet when adding (it is created). Errors are request-level, as in
    tags_actions.json: INVALID_DATA ("Invalid data type", "Invalid data", "invalid tag id", or a tag
    with neither id nor name) and MAPPING_MISMATCH (a name whose tag has another colour)."""
    if value is None or value == []:  # tags_actions.json: INVALID_DATA for the missing key too
        raise ZohoError("INVALID_DATA", {"api_name": "tags", "json_path": "$.tags"})
    if not isinstance(value, list):
        raise ZohoError("INVALID_DATA", at("$", "tags", expected_data_type="jsonarray"), Message.TAG_INVALID_TYPE)
    by_id = repo.by_ids(
        ctx.conn, ctx.meta.id, [i for t in value if isinstance(t, dict) and (i := ids.normalize_id(t.get("id")))]
    )
    names: list[str] = []
    colors: dict[str, str | None] = {}
    for index, tag in enumerate(value):
        path = f"$.tags[{index}]"
        if not isinstance(tag, dict):
            raise ZohoError("INVALID_DATA", at(path, "tags", expected_data_type="jsonobject"), Message.TAG_INVALID_TYPE)
        if tag.get("id") is not None:
            found = by_id.get(ids.normalize_id(tag["id"]) or "")
            if found is None:
                raise ZohoError("INVALID_DATA", at(path, "id"), Message.TAG_UNKNOWN_ID)
            names.append(found["name"])
            continue
        name = tag.get("name")
        if name is None or (isinstance(name, str) and not name.strip()):  # neither id nor name
            raise ZohoError("INVALID_DATA", at(path, "name"))
        if not isinstance(name, str):
            raise ZohoError("INVALID_DATA", at(path, "name", expected_data_type="string"), Message.TAG_INVALID_TYPE)
        if len(name.strip()) > rules.NAME_MAX:
            raise ZohoError("INVALID_DATA", at(path, "name", maximum_length=rules.NAME_MAX), Message.TAG_INVALID_DATA)
        rules.check_characters(name, path)
        color = tag.get("color_code")
        if color is not None and color not in rules.COLORS:
            raise ZohoError("INVALID_DATA", at(path, "color_code"), Message.TAG_INVALID_DATA)
        names.append(name.strip())
        colors[rules.name_key(name)] = color
    if adding:
        existing = repo.by_name_keys(ctx.conn, ctx.meta.id, colors)
        for index, tag in enumerate(value):
            if not isinstance(tag, dict) or tag.get("id") is not None or tag.get("color_code") is None:
                continue
            known = existing.get(rules.name_key(tag["name"]))
            if known is not None and known.get("color_code") != tag["color_code"]:
                path = f"$.tags[{index}]"
                raise ZohoError("MAPPING_MISMATCH", {**at(path, "color_code"), "mapped_field": at(path, "name")})
    return Given(names, colors)


def record_ids(value: Any, json_path: str) -> list[str]:
    """The ``ids`` of a many-records action: 1 to 500 record ids (request-level errors)."""
    if value is None or value == []:  # tags_actions.json knows no MANDATORY_NOT_FOUND here
        raise ZohoError("INVALID_DATA", {"api_name": "ids", "json_path": json_path})
    if not isinstance(value, list):
        raise ZohoError("INVALID_DATA", at("$", "ids", expected_data_type="jsonarray"), Message.TAG_INVALID_TYPE)
    if len(value) > rules.RECORDS_PER_CALL:
        raise ZohoError("LIMIT_EXCEEDED", {"api_name": "ids", "json_path": json_path, "limit": rules.RECORDS_PER_CALL})
    return [str(v) for v in value]


def retag(
    ctx: Context, record_ids_: Sequence[str], given: Given, *, adding: bool, over_write: bool, cause: Cause
) -> list[batch.Item]:
    """Add the given tags to (or remove them from) each record: one result per id, in order, and
    one ``record_model.update`` for every record that changes (its record event)."""
    allowed = record_model.tag_limits(ctx.conn, ctx.org_id).per_record
    wanted = [ids.normalize_id(rid) for rid in record_ids_]
    rows = record_model.get_records(ctx.conn, ctx.meta.id, [rid for rid in wanted if rid])
    if adding:  # new names become tags first, as Zoho does; refused as a whole (module limit)
        record_model.resolve_tags(
            ctx.conn, ctx.org_id, ctx.who, ctx.meta, given.names, ctx.now_ms, "$.tags", given.colors
        )
    known = record_model.tag_lookup(ctx.conn, ctx.org_id, ctx.meta.id)
    results: list[Any] = [None] * len(record_ids_)
    updates: list[dict[str, Any]] = []
    positions: list[int] = []
    removed = {rules.name_key(name) for name in given.names}
    for index, rid in enumerate(wanted):
        row = rows.get(rid or "")
        if row is None:
            error = ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"$.ids[{index}]"})
            results[index] = batch.failure(error)
            continue
        current = rules.shown_on_record(row.data.get("Tag"), known)
        if adding:
            names = rules.merged_names(current, [{"name": name} for name in given.names], over_write)
            try:
                rules.check_record_count(len(names), allowed, "$.tags")
            except ZohoError as error:
                results[index] = batch.failure(error)
                continue
        else:
            names = rules.remaining_names(current, removed)
        updates.append({"id": row.id, "Tag": [{"name": name} for name in names]})
        positions.append(index)
    if updates:
        written = record_model.update(ctx.conn, ctx.org_id, ctx.who, ctx.meta, updates, now_ms=ctx.now_ms, cause=cause)
        after = record_model.get_records(ctx.conn, ctx.meta.id, [u["id"] for u in updates])
        known = record_model.tag_lookup(ctx.conn, ctx.org_id, ctx.meta.id)
        message = rules.ADDED_TO_RECORD if adding else rules.REMOVED_FROM_RECORD
        for index, update, result in zip(positions, updates, written, strict=True):
            if result["status"] == "error":
                results[index] = result
                continue
            tags = rules.shown_on_record(after[update["id"]].data.get("Tag"), known)
            results[index] = batch.success(message, {"id": update["id"], "tags": tags})
    return results


# --- mass delete ------------------------------------------------------------------------------------


def _mass_delete_module(conn: Connection, org_id: str, value: Any, path: str) -> str:
    """The module of a mass delete item by ``id`` and/or ``api_name`` (both: they must agree)."""
    if not isinstance(value, dict) or (value.get("id") is None and value.get("api_name") is None):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "module"))
    found: dict[str, str | None] = {}
    for key in ("id", "api_name"):
        given = value.get(key)
        if given is None:
            continue
        module = modules_repo.find(conn, org_id, str(given)) if isinstance(given, str | int) else None
        if module is not None and (key == "id") != str(given).isdigit():
            module = None  # an id names a module by id, an api_name by name
        if module is None or not _takes_tags(conn, org_id, module.id):
            raise ZohoError("INVALID_DATA", at(f"{path}.module", key))
        found[key] = module.id
    if len(set(found.values())) > 1:
        raise ZohoError(
            "AMBIGUITY_DURING_PROCESSING",
            {"ambiguity_due_to": [at(f"{path}.module", "id"), at(f"{path}.module", "api_name")]},
        )
    return next(iter(found.values())) or ""


def _takes_tags(conn: Connection, org_id: str, module_id: str) -> bool:
    return any(f.get("api_name") == "Tag" for f in fields_repo.list_fields(conn, module_id))


def mass_delete(conn: Connection, org_id: str, body: Mapping[str, Any], now_ms: int) -> str:
    """POST /settings/tags/actions/mass_delete: one module's tags (up to 200) deleted at once; the
    job is kept with its counts (tag ids not of the module count as failed). Returns the job id."""
    item = only_item_of(body, "mass_delete")
    path = "$.mass_delete[0]"
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
    module_id = _mass_delete_module(conn, org_id, item.get("module"), path)
    tags = item.get("tags")
    if tags is None or tags == []:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "tags"))
    if not isinstance(tags, list):
        raise ZohoError("INVALID_DATA", at(path, "tags", expected_data_type="jsonarray"))
    if len(tags) > rules.MASS_DELETE_MAX:
        raise ZohoError("INVALID_DATA", at(path, "tags", maximum_length=rules.MASS_DELETE_MAX))
    wanted: list[str] = []
    for index, tag in enumerate(tags):
        tag_path = f"{path}.tags[{index}]"
        if not isinstance(tag, dict) or tag.get("id") is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(tag_path, "id"))
        tag_id = ids.normalize_id(tag["id"])
        if tag_id is None:
            raise ZohoError("INVALID_DATA", at(tag_path, "id", expected_data_type="bigint"))
        wanted.append(tag_id)
    record_model.tag_take_turns(conn, module_id)
    present = repo.by_ids(conn, module_id, wanted)
    for tag_id in present:
        repo.TAGS.delete(conn, tag_id)
    job_id = ids.allocate(conn, org_id)[0]
    total = len(dict.fromkeys(wanted))
    job = {
        "job_id": job_id,
        "total_count": total,
        "failed_count": total - len(present),
        "deleted_count": len(present),
        "status": "COMPLETED",
    }
    repo.save_job(conn, org_id, job, now_ms)
    return job_id
