"""Pipelines' rules (v8 "Get Pipelines in a Layout", "Create/Update a Pipeline", "Transfer and
Delete a Pipeline"; OAS pipeline.json). A pipeline belongs to one Deals layout; its name
(``display_value``) is unique in the layout regardless of case; its stages (``maps``) are values of
the Stage picklist, each once, ordered 1..n by the ``sequence_number`` sent. One pipeline of a layout
is the default: naming another the default takes the flag from it, and the default is never deleted.
An update's ``maps`` change the stages they name (``_delete: true`` removes one) and leave the rest;
the last stage is never removed (CANNOT_DELETE)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import at

Pipeline = dict[str, Any]

ENVELOPE = "pipeline"
TRANSFER_ENVELOPE = "transfer_pipeline"
CREATED, UPDATED, DELETED = "Pipeline created", "Pipeline updated", "Pipeline deleted"
TRANSFERRED = "transfer pipeline scheduled successfully"
NAME_MAX = 100
STAGE_KEYS = ("display_value", "sequence_number", "forecast_category", "actual_value", "id", "colour_code")


def as_object(item: Any, path: str, api_name: str = ENVELOPE) -> Mapping[str, Any]:
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"api_name": api_name, "json_path": path, "expected_data_type": "jsonobject"})
    return item


def text_id(value: Any) -> str | None:
    """An id as sent (string or number), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def check_name(item: Mapping[str, Any], path: str, *, creating: bool) -> str | None:
    if item.get("display_value") is None:
        if creating:
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "display_value"))
        return None
    name = item["display_value"]
    if not isinstance(name, str):
        raise ZohoError("INVALID_DATA", at(path, "display_value", expected_data_type="text"))
    name = name.strip()
    if not name:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "display_value"))
    if len(name) > NAME_MAX:
        raise ZohoError("INVALID_DATA", at(path, "display_value", maximum_length=NAME_MAX))
    return name


def check_default(item: Mapping[str, Any], path: str) -> bool | None:
    value = item.get("default")
    if value is not None and not isinstance(value, bool):
        raise ZohoError("INVALID_DATA", at(path, "default", expected_data_type="boolean"))
    return value


def check_maps(
    item: Mapping[str, Any], path: str, stages: Mapping[str, dict[str, Any]], *, creating: bool
) -> list[tuple[str, int | None, bool]] | None:
    """The stages an item names: (stage id, sequence number, delete) each, checked against the
    Stage picklist (``stages`` by id); None when an update leaves them as they are."""
    if item.get("maps") is None:
        if creating:
            raise ZohoError("MANDATORY_NOT_FOUND", at(path, "maps"))
        return None
    maps = item["maps"]
    if not isinstance(maps, list):
        raise ZohoError("INVALID_DATA", at(path, "maps", expected_data_type="jsonarray"))
    if not maps:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "maps"))
    named: list[tuple[str, int | None, bool]] = []
    for i, entry in enumerate(maps):
        entry_path = f"{path}.maps[{i}]"
        entry = as_object(entry, entry_path, "maps")
        if entry.get("id") is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(entry_path, "id"))
        stage_id = text_id(entry["id"])
        if stage_id is None or stage_id not in stages:
            raise ZohoError("INVALID_DATA", at(entry_path, "id"), Message.UNKNOWN_ID)
        if any(stage_id == seen for seen, _, _ in named):
            raise ZohoError("DUPLICATE_DATA", at(entry_path, "id"))
        remove = entry.get("_delete")
        if remove is not None and not isinstance(remove, bool):
            raise ZohoError("INVALID_DATA", at(entry_path, "_delete", expected_data_type="boolean"))
        position = entry.get("sequence_number")
        if position is None and creating:
            raise ZohoError("MANDATORY_NOT_FOUND", at(entry_path, "sequence_number"))
        if position is not None and (not isinstance(position, int) or isinstance(position, bool) or position < 1):
            raise ZohoError("INVALID_DATA", at(entry_path, "sequence_number", expected_data_type="integer"))
        if remove and creating:
            raise ZohoError("INVALID_DATA", at(entry_path, "_delete"))
        named.append((stage_id, position, bool(remove)))
    return named


def stage_entry(stage: Mapping[str, Any], position: int) -> dict[str, Any]:
    """A stage of a pipeline as Zoho shows it: the Stage picklist value, at its position."""
    entry = {key: stage.get(key) for key in STAGE_KEYS}
    entry["sequence_number"] = position
    entry["forecast_type"] = stage.get("forecast_type") or "Open"
    entry["forecast_category"] = stage.get("forecast_category") or {"name": "Pipeline", "id": None}
    return entry


def arranged(
    current: list[dict[str, Any]],
    named: list[tuple[str, int | None, bool]],
    stages: Mapping[str, dict[str, Any]],
    path: str,
) -> list[dict[str, Any]]:
    """A pipeline's stages once ``named`` is applied to ``current``: removed, moved or added, then
    numbered 1..n in the order of their sequence numbers (a stage named keeps its place among
    equal numbers ahead of one left where it was)."""
    order: dict[str, tuple[int, int]] = {s["id"]: (s.get("sequence_number") or 0, 1) for s in current}
    for index, (stage_id, position, remove) in enumerate(named):
        if remove:
            if stage_id not in order:
                raise ZohoError("INVALID_DATA", at(f"{path}.maps[{index}]", "id"), Message.UNKNOWN_ID)
            del order[stage_id]
            continue
        known = order.get(stage_id)
        order[stage_id] = (position if position is not None else known[0] if known else len(order) + 1, 0)
    if not order:
        raise ZohoError("CANNOT_DELETE", at(f"{path}", "maps"), Message.LAST_STAGE)
    ranked = sorted(order, key=lambda stage_id: order[stage_id])
    return [stage_entry(stages[stage_id], i + 1) for i, stage_id in enumerate(ranked)]


def picklist_label(pipeline: Mapping[str, Any], layout_name: str) -> str:
    """How the Deals Pipeline picklist names a pipeline: ``<name> (<layout>)``."""
    return f"{pipeline['display_value']} ({layout_name})"
