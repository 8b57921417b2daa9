"""Creating, updating and deleting unsubscribe links inside the caller's transaction (steps in
Zoho's order; the rules are in rules.py, the SQL in repo.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.clock import iso
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.unsubscribe_links import repo, rules
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at, check_limit


@dataclass(frozen=True)
class Writer:
    """Who writes, in which org, when."""

    org_id: str
    actor: Mapping[str, Any]
    now_ms: int

    def stamp(self) -> dict[str, Any]:
        who = {"name": self.actor["full_name"], "id": self.actor["id"]}
        return {"modified_by": who, "modified_time": iso(self.now_ms, self.actor.get("time_zone") or "UTC")}


def take_turns(conn: Connection, org_id: str) -> None:
    """Link writes of one org take turns across workers: names are unique per org and the edition
    limits the count, both checked by reading first."""
    locks.serialize(conn, f"unsubscribe_links:{org_id}")


def create_link(conn: Connection, writer: Writer, item: Any, json_path: str, envelope: str) -> str:
    """The one link of a create call: the edition's limit, then its keys; returns its id."""
    check_limit(
        repo.LINKS.count(conn, writer.org_id) + 1,
        org_repo.org_edition(conn, writer.org_id).unsubscribe_links,
        limit_due_to=[{"api_name": envelope, "json_path": f"$.{envelope}"}],
        message=rules.LIMIT_REACHED,
    )
    clean = rules.SPEC.check(
        rules.blank_urls_as_none(item),
        json_path,
        taken=lambda key, value: key == "name" and repo.LINKS.name_taken(conn, writer.org_id, value),
    )
    link_id = ids.allocate(conn, writer.org_id)[0]
    stamp = writer.stamp()
    created = {"created_by": stamp["modified_by"], "created_time": stamp["modified_time"]}
    data = rules.apply_changes(rules.new_link(link_id, created), clean, stamp)
    repo.LINKS.insert(conn, writer.org_id, writer.org_id, data, writer.now_ms)
    return link_id


def link_for_item(conn: Connection, writer: Writer, item: Any, json_path: str) -> dict[str, Any]:
    """The link a bulk-update item names by ``id``."""
    link_id = rules.LINK_ID.check(item, json_path)["id"]
    stored = repo.LINKS.get(conn, writer.org_id, link_id)
    if stored is None:
        raise ZohoError("INVALID_DATA", at(json_path, "id"), rules.UNKNOWN_ID)
    return stored.data


def update_link(conn: Connection, writer: Writer, link: Mapping[str, Any], item: Any, json_path: str) -> str:
    """Apply one update item; the dependent-key rules see the stored link with the changes on top."""
    clean = rules.SPEC.check(
        rules.blank_urls_as_none(item),
        json_path,
        partial=True,
        context=link,
        taken=lambda key, value: (
            key == "name" and repo.LINKS.name_taken(conn, writer.org_id, value, except_id=link["id"])
        ),
    )
    repo.LINKS.save(conn, link["id"], rules.apply_changes(link, clean, writer.stamp()), writer.now_ms)
    return str(link["id"])
