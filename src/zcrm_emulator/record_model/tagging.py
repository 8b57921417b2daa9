"""A record's ``Tag`` and its module's tags (resources/tags).

Records keep ``Tag`` as ``[{"name", "id"}]``: on every write the given names resolve to the module's
tags (case-insensitively), a name no tag has yet creates one, as Zoho does, and a record carries no
more tags than the edition allows (LIMIT_EXCEEDED for the item). Reads show each tag as it is now
(``Lookups.tags``): a renamed tag with its new name, a deleted one not at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import editions, ids
from zcrm_emulator.clock import iso
from zcrm_emulator.record_model.access import Caller
from zcrm_emulator.record_model.meta import ModuleMeta
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.tags import repo as tags_repo
from zcrm_emulator.resources.tags import rules as tag_rules
from zcrm_emulator.store import locks

FIELD = "Tag"


def take_turns(conn: Connection, module_id: str) -> None:
    """Writes that create a module's tags take turns across workers (names unique, count limited)."""
    locks.serialize(conn, f"tags:{module_id}")


def stamp(who: Caller, now_ms: int) -> dict[str, Any]:
    return {"modified_by": {"name": who.user.get("full_name"), "id": who.user_id}, "modified_time": iso(now_ms, who.tz)}


def limits(conn: Connection, org_id: str) -> editions.TagLimits:
    return editions.TAG_LIMITS[org_repo.org_edition(conn, org_id).name]


def resolve(
    conn: Connection,
    org_id: str,
    who: Caller,
    meta: ModuleMeta,
    names: Sequence[str],
    now_ms: int,
    json_path: str,
    colors: Mapping[str, str | None] | None = None,
) -> list[dict[str, Any]]:
    """The module's tags for ``names`` (in order, each once), creating the missing ones (with the
    colour ``colors`` gives their case-folded name, else none). LIMIT_EXCEEDED past the edition's
    tags per record or per module; INVALID_DATA for a name no tag may have."""
    keys = list(dict.fromkeys(tag_rules.name_key(name) for name in names))
    allowed = limits(conn, org_id)
    tag_rules.check_record_count(len(keys), allowed.per_record, json_path)
    take_turns(conn, meta.id)
    known = tags_repo.by_name_keys(conn, meta.id, keys)
    first_spelling = {tag_rules.name_key(name): name for name in reversed(names)}
    missing = [key for key in keys if key not in known]
    if missing:
        for key in missing:
            tag_rules.check_characters(first_spelling[key], json_path)
        tag_rules.check_module_count(tags_repo.TAGS.count(conn, meta.id) + len(missing), allowed.per_module, json_path)
        written = stamp(who, now_ms)
        for key, tag_id in zip(missing, ids.allocate(conn, org_id, len(missing)), strict=True):
            color = (colors or {}).get(key)
            data = tag_rules.new_tag(tag_id, first_spelling[key], color, written)
            tags_repo.TAGS.insert(conn, org_id, meta.id, data, now_ms)
            known[key] = data
    return [known[key] for key in keys]


def stored(tags: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """How a record keeps its tags."""
    return [{"name": tag["name"], "id": tag["id"]} for tag in tags]


def module_tags(conn: Connection, org_id: str, module_id: str) -> dict[str, dict[str, Any]]:
    """The module's tags by id, for rendering records."""
    return {tag["id"]: tag for tag in tags_repo.in_module(conn, org_id, module_id)}
