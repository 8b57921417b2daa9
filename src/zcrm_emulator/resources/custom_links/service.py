"""Creating, updating and deleting custom links inside the caller's transaction (steps in Zoho's
order; the rules are in rules.py, the SQL in repo.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.clock import iso
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.custom_links import repo, rules
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.store import locks
from zcrm_emulator.store.documents import Stored
from zcrm_emulator.validation import at, check_limit


@dataclass(frozen=True)
class LinkContext:
    """What a request's links are checked against: the module, its merge-field names, the org's
    profiles and portal user types, and who is writing."""

    org_id: str
    module: ModuleRef
    names: rules.ModuleNames
    profiles: dict[str, str]
    user_types: dict[str, str]
    actor: Mapping[str, Any]
    now_ms: int

    def exists(self, reference: str, value: Any) -> bool:
        return value in (self.profiles if reference == "profiles" else self.user_types)

    def stamp(self) -> dict[str, Any]:
        return {
            "modified_time": iso(self.now_ms, self.actor.get("time_zone") or "UTC"),
            "modified_by": {"id": self.actor["id"], "name": self.actor["full_name"]},
        }


def context(conn: Connection, org_id: str, module: ModuleRef, actor: Mapping[str, Any], now_ms: int) -> LinkContext:
    """What a write call's links are checked against. Link writes of one module take turns across
    workers: names are unique per module and the edition limits the count, checked by reading first."""
    locks.serialize(conn, f"custom_links:{module.id}")
    return LinkContext(
        org_id=org_id,
        module=module,
        names=rules.ModuleNames.of(module.data, fields_repo.list_fields(conn, module.id)),
        profiles=repo.profile_names(conn, org_id),
        user_types=repo.user_type_names(conn, org_id),
        actor=actor,
        now_ms=now_ms,
    )


def create_link(conn: Connection, ctx: LinkContext, item: Any, json_path: str, envelope: str) -> str:
    """One link of a create call: the per-module limit, the keys, the merge fields; returns its id."""
    limit = org_repo.org_edition(conn, ctx.org_id).custom_links_per_module
    check_limit(
        repo.LINKS.count(conn, ctx.module.id) + 1,
        limit,
        limit_due_to=[{"api_name": envelope, "json_path": f"$.{envelope}"}],
    )
    clean = rules.CREATE.check(
        item,
        json_path,
        taken=lambda key, value: key == "name" and repo.LINKS.name_taken(conn, ctx.module.id, value),
        exists=ctx.exists,
    )
    rules.check_merge_fields(clean["url"], ctx.names, json_path)
    link_id = ids.allocate(conn, ctx.org_id)[0]
    data = rules.apply_changes(rules.new_link(link_id), clean, profiles=ctx.profiles, user_types=ctx.user_types)
    repo.LINKS.insert(conn, ctx.org_id, ctx.module.id, {**data, **ctx.stamp()}, ctx.now_ms)
    return link_id


def link_for_item(conn: Connection, ctx: LinkContext, item: Any, json_path: str) -> Stored:
    """The link a bulk-update item names by ``id`` (in the request's module)."""
    link_id = rules.LINK_ID.check(item, json_path)["id"]
    stored = repo.LINKS.get(conn, ctx.org_id, link_id)
    if stored is None or stored.scope_id != ctx.module.id:
        raise ZohoError("INVALID_DATA", at(json_path, "id"), rules.UNKNOWN_ID)
    return stored


def update_link(conn: Connection, ctx: LinkContext, stored: Stored, item: Any, json_path: str) -> str:
    clean = rules.UPDATE.check(
        item,
        json_path,
        partial=True,
        taken=lambda key, value: (
            key == "name" and repo.LINKS.name_taken(conn, ctx.module.id, value, except_id=stored.id)
        ),
        exists=ctx.exists,
    )
    if "url" in clean:
        rules.check_merge_fields(clean["url"], ctx.names, json_path)
    data = rules.apply_changes(stored.data, clean, profiles=ctx.profiles, user_types=ctx.user_types)
    repo.LINKS.save(conn, stored.id, {**data, **ctx.stamp()}, ctx.now_ms)
    return stored.id
