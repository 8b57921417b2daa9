"""The steps of the pipeline writes on the caller's connection. The Deals module's Pipeline picklist
follows the pipelines (one value per pipeline, ``<name> (<layout>)``, its id the pipeline's), so
deals can name any pipeline; a transfer moves the deals of one pipeline to another through the
records API (record events, so automation sees it) and deletes the pipeline they left. Writers of
one org's pipelines take turns (``take_turns``): names and the default are read before they are
written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.acting import Acting
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.memo import Memo
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.layouts import repo as layouts_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.pipelines import repo, rules
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at

DEALS = "Deals"
STANDARD_LAYOUT = "Standard"
TRANSFER_PAGE = 500  # deals read per statement while a transfer looks for the pipeline's deals
UPDATE_CHUNK = 100  # deals per records-API update, as a records call takes them


class Context(Acting):
    pass


@dataclass(frozen=True)
class Deals:
    """The Deals module as pipelines see it: its layouts (id -> name) and Stage values by id."""

    module_id: str
    layouts: dict[str, str]
    stages: dict[str, dict[str, Any]]
    pipeline_field: dict[str, Any] | None


def take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"pipelines:{org_id}")


def deals(conn: Connection, org_id: str) -> Deals:
    module = modules_repo.find(conn, org_id, DEALS)
    if module is None:  # the Deals module is a standard one, always there
        raise ZohoError("INVALID_DATA", {"param_name": "layout_id"}, Message.LAYOUT_UNKNOWN)
    fields = fields_repo.list_fields(conn, module.id)
    layouts = {row.id: row.name for row in layouts_repo.list_layouts(conn, module.id)}
    if STANDARD_LAYOUT not in layouts.values():  # not read yet: the id its fields name
        for field in fields:
            for association in field.get("layout_associations") or []:
                if association.get("name") == STANDARD_LAYOUT and association.get("id"):
                    layouts.setdefault(str(association["id"]), STANDARD_LAYOUT)
    stage = next((f for f in fields if f.get("api_name") == "Stage"), {})
    stages = {str(v["id"]): v for v in stage.get("pick_list_values") or [] if v.get("id")}
    pipeline_field = next((f for f in fields if f.get("api_name") == "Pipeline"), None)
    return Deals(module.id, layouts, stages, pipeline_field)


def layout_in_query(raw: str | None, known: Deals) -> str:
    """The ``layout_id`` parameter: REQUIRED_PARAM_MISSING without it, INVALID_DATA when it names no
    Deals layout."""
    if raw is None or not raw.strip():
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param": "layout_id"}, Message.EXPECTED_PARAM_MISSING)
    layout_id = normalize_id(raw.strip())
    if layout_id is None or layout_id not in known.layouts:
        raise ZohoError("INVALID_DATA", {"param_name": "layout_id"}, Message.LAYOUT_UNKNOWN)
    return layout_id


def find(conn: Connection, org_id: str, layout_id: str, raw_id: Any) -> rules.Pipeline | None:
    pipeline_id = normalize_id(rules.text_id(raw_id))
    if pipeline_id is None or repo.layout_of(conn, org_id, pipeline_id) != layout_id:
        return None
    return next((p for p in repo.list_pipelines(conn, org_id, layout_id) if p["id"] == pipeline_id), None)


def _name_taken(pipelines: list[rules.Pipeline], name: str, except_id: str | None) -> bool:
    return any(p["display_value"].casefold() == name.casefold() and p["id"] != except_id for p in pipelines)


def _take_default(ctx: Context, pipelines: list[rules.Pipeline], layout_id: str, new_default: str) -> None:
    for other in pipelines:
        if other["id"] != new_default and other.get("default"):
            repo.save_pipeline(ctx.conn, layout_id, {**other, "default": False}, ctx.now_ms)


def create(ctx: Context, known: Deals, layout_id: str, item: Any, path: str) -> str:
    body = rules.as_object(item, path)
    name = rules.check_name(body, path, creating=True)
    assert name is not None
    default = rules.check_default(body, path)
    named = rules.check_maps(body, path, known.stages, creating=True)
    assert named is not None
    pipelines = repo.list_pipelines(ctx.conn, ctx.org_id, layout_id)
    if _name_taken(pipelines, name, None):
        raise ZohoError("DUPLICATE_DATA", at(path, "display_value"))
    pipeline_id = ids.allocate(ctx.conn, ctx.org_id)[0]
    pipeline = {
        "display_value": name,
        "default": bool(default) or not pipelines,
        "maps": rules.arranged([], named, known.stages, path),
        "actual_value": name,
        "id": pipeline_id,
        "child_available": False,
        "parent": None,
    }
    if pipeline["default"]:
        _take_default(ctx, pipelines, layout_id, pipeline_id)
    repo.insert_pipeline(ctx.conn, ctx.org_id, layout_id, pipeline, ctx.now_ms)
    sync_picklist(ctx, known)
    return pipeline_id


def update(
    ctx: Context,
    known: Deals,
    layout_id: str,
    pipeline: rules.Pipeline,
    item: Any,
    path: str,
    memo: Memo | None = None,
    cause: Cause | None = None,
) -> str:
    """A renamed pipeline's deals show the new name (through the records API, as a transfer does)."""
    body = rules.as_object(item, path)
    name = rules.check_name(body, path, creating=False)
    default = rules.check_default(body, path)
    named = rules.check_maps(body, path, known.stages, creating=False)
    pipelines = repo.list_pipelines(ctx.conn, ctx.org_id, layout_id)
    changed = dict(pipeline)
    if name is not None:
        if _name_taken(pipelines, name, pipeline["id"]):
            raise ZohoError("DUPLICATE_DATA", at(path, "display_value"))
        changed.update(display_value=name, actual_value=name)
    if default is False and pipeline.get("default"):  # a layout keeps a default: name another one
        raise ZohoError("INVALID_DATA", at(path, "default"))
    if default:
        changed["default"] = True
        _take_default(ctx, pipelines, layout_id, pipeline["id"])
    if named is not None:
        changed["maps"] = rules.arranged(pipeline["maps"], named, known.stages, path)
    repo.save_pipeline(ctx.conn, layout_id, changed, ctx.now_ms)
    if changed["display_value"] != pipeline["display_value"]:
        sync_picklist(ctx, known)
        layout_name = known.layouts[layout_id]
        renamed = [
            (deal_id, {"Pipeline": rules.picklist_label(changed, layout_name)})
            for deal_id, _ in _deal_ids(ctx.conn, known, pipeline, layout_name=layout_name)
        ]
        _update_deals(ctx, renamed, memo, cause or Cause())
    return str(pipeline["id"])


def delete(ctx: Context, known: Deals, layout_id: str, pipeline: rules.Pipeline, item: Any, path: str) -> str:
    """PATCH ``{"pipeline": [{"_delete": {"permanent": true}}]}``: the pipeline goes, unless it is
    the default or deals are in it (those move with a transfer, which deletes it too)."""
    body = rules.as_object(item, path)
    marker = body.get("_delete")
    if marker is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "_delete"))
    marker = rules.as_object(marker, f"{path}._delete", "_delete")
    if marker.get("permanent") is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(f"{path}._delete", "permanent"))
    if marker["permanent"] is not True:
        raise ZohoError("INVALID_DATA", at(f"{path}._delete", "permanent", expected_data_type="boolean"))
    if pipeline.get("default"):
        raise ZohoError("INVALID_DATA", at(path, "_delete"))
    if _deal_ids(ctx.conn, known, pipeline, layout_name=known.layouts[layout_id]):
        raise ZohoError("INVALID_DATA", at(path, "_delete"))
    repo.delete_pipeline(ctx.conn, pipeline["id"])
    sync_picklist(ctx, known)
    return str(pipeline["id"])


def sync_picklist(ctx: Context, known: Deals) -> None:
    """The Deals Pipeline field's values: one per pipeline of every layout, in layout order."""
    field = known.pipeline_field
    if field is None:
        return
    layout_names = known.layouts
    values: list[dict[str, Any]] = []
    for pipeline in repo.list_pipelines(ctx.conn, ctx.org_id):
        layout_id = repo.layout_of(ctx.conn, ctx.org_id, pipeline["id"])
        label = rules.picklist_label(pipeline, layout_names.get(layout_id or "", STANDARD_LAYOUT))
        values.append(
            {
                "display_value": label,
                "sequence_number": len(values) + 1,
                "reference_value": label,
                "colour_code": None,
                "actual_value": label,
                "id": pipeline["id"],
                "type": "used",
            }
        )
    stamp = fields_repo.next_stamp(ctx.conn, known.module_id, ctx.now_ms)
    fields_repo.save_field(ctx.conn, str(field["id"]), {**field, "pick_list_values": values}, modified_ms=stamp)


# --- transfer ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transfer:
    source: rules.Pipeline
    target: rules.Pipeline
    stages: dict[str, str]  # a Stage value of the source (actual value) -> the target's


def check_transfer(ctx: Context, known: Deals, layout_id: str, item: Any, path: str) -> Transfer:
    body = rules.as_object(item, path, rules.TRANSFER_ENVELOPE)
    pair = body.get("pipeline")
    if pair is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "pipeline"))
    pair = rules.as_object(pair, f"{path}.pipeline", "pipeline")
    ends: dict[str, rules.Pipeline] = {}
    for end in ("from", "to"):
        if pair.get(end) is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(f"{path}.pipeline", end))
        found = find(ctx.conn, ctx.org_id, layout_id, pair[end])
        if found is None:
            raise ZohoError("INVALID_DATA", at(f"{path}.pipeline", end), Message.UNKNOWN_ID)
        ends[end] = found
    source, target = ends["from"], ends["to"]
    if source["id"] == target["id"] or source.get("default"):  # the default stays; it is not a move
        raise ZohoError("INVALID_DATA", at(f"{path}.pipeline", "from"))
    stages = body.get("stages")
    if stages is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "stages"))
    if not isinstance(stages, list):
        raise ZohoError("INVALID_DATA", at(path, "stages", expected_data_type="jsonarray"))
    source_stages = {s["id"]: s for s in source["maps"]}
    target_stages = {s["id"]: s for s in target["maps"]}
    mapping: dict[str, str] = {}
    for i, entry in enumerate(stages):
        entry_path = f"{path}.stages[{i}]"
        entry = rules.as_object(entry, entry_path, "stages")
        ends_of = {"from": source_stages, "to": target_stages}
        chosen: dict[str, dict[str, Any]] = {}
        for end, allowed in ends_of.items():
            if entry.get(end) is None:
                raise ZohoError("MANDATORY_NOT_FOUND", at(entry_path, end))
            stage = allowed.get(rules.text_id(entry[end]) or "")
            if stage is None:
                raise ZohoError("INVALID_DATA", at(entry_path, end), Message.UNKNOWN_ID)
            chosen[end] = stage
        mapping[chosen["from"]["actual_value"]] = chosen["to"]["actual_value"]
    return Transfer(source, target, mapping)


def transfer(ctx: Context, known: Deals, layout_id: str, plan: Transfer, memo: Memo | None, cause: Cause) -> str:
    """The source pipeline's deals move to the target (their stages mapped, a stage the target has
    kept, any other the target's first), then the source pipeline is deleted. Runs at once; the job
    id answers as Zoho's scheduled job does."""
    layout_name = known.layouts[layout_id]
    target_label = rules.picklist_label(plan.target, layout_name)
    kept = {s["actual_value"] for s in plan.target["maps"]}
    first = plan.target["maps"][0]["actual_value"]
    moved = [
        (deal_id, {"Pipeline": target_label, "Stage": plan.stages.get(stage) or (stage if stage in kept else first)})
        for deal_id, stage in _deal_ids(ctx.conn, known, plan.source, layout_name=layout_name)
    ]
    _update_deals(ctx, moved, memo, cause)
    repo.delete_pipeline(ctx.conn, plan.source["id"])
    sync_picklist(ctx, known)
    return ids.allocate(ctx.conn, ctx.org_id)[0]


def _update_deals(ctx: Context, changes: list[tuple[str, dict[str, Any]]], memo: Memo | None, cause: Cause) -> None:
    """Deals' new values, written through the records API in chunks (record events for each)."""
    if not changes:
        return
    meta = record_model.load_module(ctx.conn, ctx.org_id, DEALS, ctx.now_ms, memo)
    who = record_model.caller(ctx.conn, ctx.org_id, ctx.actor["id"], memo)
    for start in range(0, len(changes), UPDATE_CHUNK):
        items = [{"id": deal_id, **values} for deal_id, values in changes[start : start + UPDATE_CHUNK]]
        record_model.update(ctx.conn, ctx.org_id, who, meta, items, now_ms=ctx.now_ms, cause=cause)


def _deal_ids(
    conn: Connection, known: Deals, pipeline: Mapping[str, Any], *, layout_name: str
) -> list[tuple[str, str]]:
    """(id, Stage) of every live deal in the pipeline."""
    label = rules.picklist_label(pipeline, layout_name)
    found: list[tuple[str, str]] = []
    offset = 0
    while True:
        page = record_model.PageQuery(sort="id", descending=False, limit=TRANSFER_PAGE, offset=offset)
        rows = record_model.list_records(conn, known.module_id, page)
        found.extend(
            (r.id, str(r.data.get("Stage") or "")) for r in rows[:TRANSFER_PAGE] if r.data.get("Pipeline") == label
        )
        if len(rows) < TRANSFER_PAGE:
            return found
        offset += TRANSFER_PAGE
