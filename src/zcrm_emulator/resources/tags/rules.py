"""Tags: the input rules, the limits and the tag object.

Sources: OAS tags.json, tags_actions.json and mass_delete_tags.json; the v8 "Create Tags", "Update
Tags", "Add Tags to Records" pages (the colour palette, ``over_write``, 500 records a call, the id of
a tag taking precedence over its name); Zoho's help on tagging (tags per record and per module, by
edition: ``editions.TAG_LIMITS``). A tag belongs to one module; its name is unique there regardless
of case. Plain functions: no HTTP, no SQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import Key, Spec, at

ENVELOPE = "tags"
NAME_MAX = 25  # tags.json Tag.name maxLength
RECORDS_PER_CALL = 500  # "Add Tags to Records": up to 500 record ids
# The palette of the v8 pages, in their order; the OAS enum holds the same thirteen.
COLORS = (
    "#F17574",
    "#F48435",
    "#E7A826",
    "#A8C026",
    "#63C57E",
    "#1DB9B4",
    "#57B1FD",
    "#879BFC",
    "#D297EE",
    "#FD87BD",
    "#969696",
    "#658BA8",
    "#B88562",
)
# Names are shown comma-separated in the CRM and the older APIs took them as a comma-separated
# ``tag_names`` param, so a comma cannot be part of one (docs/decisions.md "Tags").
FORBIDDEN_CHARACTERS = frozenset(",")

CREATED = "tags created successfully"
UPDATED = "tags updated successfully"
DELETED = "tags deleted successfully"
MERGED = UPDATED  # tags.json allows a merge no message of its own (docs/decisions.md "Tags")
SCHEDULED = "tags scheduled successfully"  # mass delete (v8 "Mass Delete Tags")
MASS_DELETE_MAX = 200  # tags per mass delete call ("Mass Delete Tags")
ADDED_TO_RECORD = "tags updated successfully"
REMOVED_FROM_RECORD = "tags removed successfully"

NAME = Key("name", mandatory=True, max_length=NAME_MAX, min_length=1, unique=True)
COLOR = Key("color_code", nullable=True, choices=COLORS)
CREATE = Spec(keys=(NAME, COLOR))
UPDATE = Spec(keys=(Key("id", type="id"), Key("name", max_length=NAME_MAX, min_length=1, unique=True), COLOR))


def name_key(name: str) -> str:
    """How two tag names compare: trimmed, case-folded (as every settings name)."""
    return name.strip().casefold()


def check_characters(name: str, json_path: str) -> None:
    if any(ch in FORBIDDEN_CHARACTERS for ch in name):
        raise ZohoError("INVALID_DATA", at(json_path, "name"))


def check_supported(has_tag_field: bool) -> None:
    """Modules without a ``Tag`` field (Notes, the line-item modules) take no tags."""
    if not has_tag_field:
        raise ZohoError("INVALID_MODULE", {}, Message.TAG_MODULE_NOT_SUPPORTED)


def new_tag(tag_id: str, name: str, color_code: str | None, stamp: Mapping[str, Any]) -> dict[str, Any]:
    """A tag's wire object (tags.json ``Tag``: every key required). ``stamp``: ``modified_by`` and
    ``modified_time`` of the write, which also created it."""
    return {
        "created_time": stamp["modified_time"],
        "modified_time": stamp["modified_time"],
        "modified_by": stamp["modified_by"],
        "name": name.strip(),
        "created_by": stamp["modified_by"],
        "id": tag_id,
        "color_code": color_code,
    }


def changed(tag: Mapping[str, Any], clean: Mapping[str, Any], stamp: Mapping[str, Any]) -> dict[str, Any]:
    """The tag with an update's ``name`` and ``color_code`` applied."""
    updated = dict(tag)
    if isinstance(clean.get("name"), str):
        updated["name"] = clean["name"].strip()
    if "color_code" in clean:
        updated["color_code"] = clean["color_code"]
    updated["modified_by"] = stamp["modified_by"]
    updated["modified_time"] = stamp["modified_time"]
    return updated


def write_details(tag: Mapping[str, Any]) -> dict[str, Any]:
    """``details`` of a created, updated or merged tag (tags.json Success_Response)."""
    return {
        "created_time": tag["created_time"],
        "modified_time": tag["modified_time"],
        "modified_by": tag["modified_by"],
        "id": tag["id"],
        "created_by": tag["created_by"],
        "color_code": tag["color_code"],
    }


def on_record(tag: Mapping[str, Any]) -> dict[str, Any]:
    """How a record shows one of its tags (``Tag`` and the record actions' ``details.tags``)."""
    return {"name": tag["name"], "id": tag["id"], "color_code": tag.get("color_code")}


def _last_key(json_path: str) -> str:
    """The key a JSON path ends at (``$.data[0].Tag`` -> ``Tag``), Zoho's ``api_name``."""
    return json_path.rsplit(".", 1)[-1]


def check_record_count(count: int, limit: int, json_path: str) -> None:
    """LIMIT_EXCEEDED when a record would carry more tags than the edition allows."""
    if count > limit:
        raise ZohoError("LIMIT_EXCEEDED", {"api_name": _last_key(json_path), "json_path": json_path, "limit": limit})


def check_module_count(count: int, limit: int, json_path: str) -> None:
    """LIMIT_EXCEEDED when a module would have more tags than the edition allows."""
    if count > limit:
        raise ZohoError("LIMIT_EXCEEDED", {"api_name": _last_key(json_path), "json_path": json_path, "limit": limit})


def merged_names(
    current: Sequence[Mapping[str, Any]], added: Sequence[Mapping[str, Any]], over_write: bool
) -> list[str]:
    """A record's tag names after an add: the given ones replace (``over_write``) or join the
    current ones, each name once (by case-folded name), current order first."""
    names: list[str] = []
    seen: set[str] = set()
    for tag in [*([] if over_write else current), *added]:
        key = name_key(tag["name"])
        if key not in seen:
            seen.add(key)
            names.append(tag["name"])
    return names


def remaining_names(current: Sequence[Mapping[str, Any]], removed_keys: set[str]) -> list[str]:
    return [tag["name"] for tag in current if name_key(tag["name"]) not in removed_keys]


def shown_on_record(record_tags: Any, known: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A record's stored ``Tag`` as it reads now: each tag that still exists, with its current name
    and colour (found by id; a value stored by name only, by its name)."""
    by_key = {name_key(tag["name"]): tag for tag in known.values()}
    shown: list[dict[str, Any]] = []
    for entry in record_tags or []:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            continue
        tag = known.get(entry.get("id") or "") or (None if entry.get("id") else by_key.get(name_key(entry["name"])))
        if tag is not None and all(t["id"] != tag["id"] for t in shown):
            shown.append(on_record(tag))
    return shown
