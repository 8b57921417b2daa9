"""What a module's related lists are, and the rules of relating records (OAS related_lists.json,
related_records.json; REFERENCE §4).

A module's related lists come from two places, as in a Zoho org:

* **lookups** (one-to-many): a lookup field on a child module naming the parent module makes a
  list on the parent. Its ``api_name`` and ``id`` are the lookup's own ``lookup.api_name`` and
  ``lookup.id`` (Contacts' ``Account_Name`` makes the Accounts list ``Contacts``); relating a record
  sets the child's lookup, delinking it clears it.
* **the standard data** (``standard_lists.json``): each standard module's Notes and Attachments,
  and the many-to-many relations (Products of a Price Book with their ``list_price``, the Leads and
  Contacts of a Campaign with their ``Member_Status``, the Products of Leads, Accounts, Contacts and
  Deals), listed on both of their modules; relating stores a link with its values.

Plain data and functions: no SQL, no HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from zcrm_emulator import ids
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import at

RELATION_ADDED = "relation added"
RELATION_REMOVED = "relation removed"
MAX_ITEMS = 100  # related records per PUT, and ids per DELETE (docs "Update Related Records")
MAX_FIELDS_PARAM = 50

# How a list's records relate to the parent.
LOOKUP = "lookup"  # the child's lookup field holds the parent id
LINK = "link"  # a stored many-to-many link
NOTES = "notes"  # notes whose Parent_Id is the parent (served by resources/notes)
ATTACHMENTS = "attachments"  # served by resources/attachments

NOTE_PARENT_FIELD = "Parent_Id"  # a note's parent record (any module; ``$se_module`` names it)

# Modules whose records may have notes beside the standard ones listed: custom modules.
NOTES_PARENT_TYPES = frozenset({"custom"})


@dataclass(frozen=True)
class LinkField:
    """A value a many-to-many link keeps (``list_price``: double; ``Member_Status``: text)."""

    name: str
    data_type: str


@dataclass(frozen=True)
class RelatedList:
    """One related list of a parent module."""

    id: str
    api_name: str
    display_label: str
    parent: str  # the parent module's api_name
    child: str  # the module of the related records
    kind: str  # LOOKUP, LINK, NOTES or ATTACHMENTS
    custom: bool = False  # made by a custom lookup field
    lookup_field: str | None = None  # LOOKUP: the child's field pointing at the parent
    relation: str | None = None  # LINK: the relation's name
    parent_side: str = "a"  # LINK: the column the parent's id is in ("a" or "b")
    link_fields: tuple[LinkField, ...] = field(default=())

    @property
    def child_side(self) -> str:
        return "b" if self.parent_side == "a" else "a"


@dataclass(frozen=True)
class ModuleInfo:
    """What the lists need of a module: its id, api_name, labels and kind."""

    id: str
    api_name: str
    plural_label: str
    generated_type: str
    records: bool  # serves records over the API


@cache
def _standard() -> dict[str, Any]:
    text = (resources.files(__package__) / "standard_lists.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _resolve_id(value: Any, prefix: int) -> str | None:
    if isinstance(value, str) and value.startswith("@") and value[1:].isdigit():
        return ids.compose(prefix, int(value[1:]))
    return value if isinstance(value, str) else None


def standard_note_parents() -> frozenset[str]:
    return frozenset(entry["parent"] for entry in _standard()["lists"] if entry["kind"] == NOTES)


def may_have_notes(module: ModuleInfo) -> bool:
    """Can a record of this module be a note's parent (``$se_module``)?"""
    return module.records and (
        module.api_name in standard_note_parents() or module.generated_type in NOTES_PARENT_TYPES
    )


def _label(api_name: str, child: ModuleInfo | None) -> str:
    if child is not None and child.api_name == api_name:
        return child.plural_label
    return api_name.replace("_", " ")


def related_lists(
    parent: ModuleInfo,
    modules: Sequence[ModuleInfo],
    lookups: Iterable[tuple[str, Mapping[str, Any]]],
    org_id: str,
) -> list[RelatedList]:
    """The related lists of ``parent``, in Zoho's order (Notes, Attachments, then the lookups' and
    the many-to-many lists). ``lookups``: (child module id, lookup field) of every lookup field of
    the org; only the records modules' lookups naming ``parent`` make lists here."""
    prefix = ids.prefix_of(org_id)
    by_name = {m.api_name: m for m in modules}
    by_id = {m.id: m for m in modules}
    found: dict[str, RelatedList] = {}

    def add(entry: RelatedList) -> None:
        found.setdefault(entry.api_name.lower(), entry)

    standard = _standard()
    for entry in standard["lists"]:
        if entry["parent"] == parent.api_name and entry["child"] in by_name:
            list_id = _resolve_id(entry["id"], prefix)
            if list_id is not None:
                child = by_name[entry["child"]]
                kind = entry["kind"]
                add(
                    RelatedList(
                        list_id,
                        entry["api_name"],
                        child.plural_label,
                        parent.api_name,
                        child.api_name,
                        kind,
                        lookup_field=NOTE_PARENT_FIELD if kind == NOTES else None,
                    )
                )
    for child_id, meta in lookups:
        looking = by_id.get(child_id)
        lookup = meta.get("lookup") or {}
        target = (lookup.get("module") or {}).get("id")
        api_name, list_id = lookup.get("api_name"), _resolve_id(lookup.get("id"), prefix)
        if looking is None or not looking.records or target != parent.id or not api_name or not list_id:
            continue
        add(
            RelatedList(
                list_id,
                api_name,
                _label(api_name, looking),
                parent.api_name,
                looking.api_name,
                LOOKUP,
                custom=bool(meta.get("custom_field")),
                lookup_field=meta["api_name"],
            )
        )
    for relation in standard["relations"]:
        fields = tuple(LinkField(name, kind) for name, kind in relation["fields"].items())
        for side, other in (("a", "b"), ("b", "a")):
            linked = by_name.get(relation[other])
            list_id = _resolve_id(relation["ids"][side], prefix)
            if relation[side] == parent.api_name and linked is not None and list_id is not None:
                add(
                    RelatedList(
                        list_id,
                        linked.api_name,
                        linked.plural_label,
                        parent.api_name,
                        linked.api_name,
                        LINK,
                        relation=relation["name"],
                        parent_side=side,
                        link_fields=fields,
                    )
                )
    return list(found.values())


def find_list(lists: Sequence[RelatedList], name: str, *, path_index: int = 2) -> RelatedList:
    """The list a path names (by its api_name) in segment ``path_index``, or
    INVALID_DATA "The relation name given seems to be invalid"."""
    for entry in lists:
        if entry.api_name == name:
            return entry
    raise ZohoError("INVALID_DATA", {"resource_path_index": path_index}, Message.RELATION_NAME_INVALID)


def deleted_parent_list(entry: RelatedList) -> RelatedList:
    """A list of a deleted parent's records: lookup relations only (docs "Get Related Records of a
    Deleted Record"), the others named as a list the path cannot have."""
    if entry.kind != LOOKUP:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 3}, Message.RELATION_NAME_INVALID)
    return entry


def token_binding(entry: RelatedList, parent_id: str) -> str:
    """What a related list's page token is bound to beside its params: the list and the parent."""
    return f"{entry.id}:{parent_id}"


def find_list_by_id(lists: Sequence[RelatedList], list_id: str) -> RelatedList | None:
    return next((entry for entry in lists if entry.id == list_id), None)


def wire(entry: RelatedList, sequence: int, modules: Mapping[str, ModuleInfo]) -> dict[str, Any]:
    """A related list as ``GET /settings/related_lists`` shows it (OAS related_lists.json)."""
    child = modules.get(entry.child)
    return {
        "id": entry.id,
        "sequence_number": str(sequence),
        "display_label": entry.display_label,
        "api_name": entry.api_name,
        "module": {"api_name": entry.child, "id": child.id if child else None},
        "name": entry.api_name,
        "action": None,
        "href": f"{entry.parent}/{{ENTITYID}}/{entry.api_name}",
        "type": "custom_lookup" if entry.custom else "default",
        "visible": True,
        "customize_sort": False,
        "customize_fields": False,
        "customize_display_label": entry.kind in (LOOKUP, LINK),
        "sort_by": None,
        "sort_order": None,
        "fields": [],
        "status": "visible",
    }


# --- relating records --------------------------------------------------------------------------


def item_id(item: Any, path: str, path_id: str | None) -> str:
    """The related record's id of a PUT item (the path's, for PUT …/{related_record_id})."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
    if path_id is not None:
        return path_id
    raw = item.get("id")
    if raw is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
    return ids.require_id(raw, at(path, "id"), Message.RELATED_ID_INVALID)


def link_values(entry: RelatedList, item: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The link's values an item gives (``list_price`` a number, ``Member_Status`` text); other keys
    are ignored, as Zoho ignores them on a relation."""
    values: dict[str, Any] = {}
    for spec in entry.link_fields:
        if spec.name not in item:
            continue
        value = item[spec.name]
        if value is not None:
            if spec.data_type == "double" and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise ZohoError("INVALID_DATA", at(path, spec.name, expected_data_type="double"))
            if spec.data_type == "text" and not isinstance(value, str):
                raise ZohoError("INVALID_DATA", at(path, spec.name, expected_data_type="text"))
            if isinstance(value, str) and len(value) > 255:
                raise ZohoError("INVALID_DATA", at(path, spec.name, maximum_length=255))
        values[spec.name] = value
    return values


def delink_ids(values: Sequence[str]) -> list[str]:
    """``?ids=`` of a delink: 1 to 100 record ids."""
    if not values:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"}, Message.EXPECTED_PARAM_MISSING)
    if len(values) > MAX_ITEMS:
        raise ZohoError("LIMIT_EXCEEDED", {"limit": MAX_ITEMS, "param_name": "ids"})
    for value in values:
        if ids.normalize_id(value) is None:
            raise ZohoError("INVALID_DATA", {"param_name": "ids"}, Message.RELATED_ID_INVALID)
    return list(values)
