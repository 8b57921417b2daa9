"""One rule firing for one record: what its actions run with (the connection, the record's module
and id, who wrote, why, which rule and condition), and the record as criteria and merge fields read
it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from zcrm_emulator import record_model
from zcrm_emulator.clock import iso
from zcrm_emulator.events import Cause
from zcrm_emulator.record_model import ModuleMeta, RecordRow

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

# What a write made by a rule says about itself: no automation runs for it, so a workflow field
# update never fires other rules (Zoho's behaviour; docs/decisions.md).
NO_AUTOMATION: tuple[str, ...] = ()


@dataclass
class Firing:
    conn: Connection
    emulator: Emulator
    org_id: str
    meta: ModuleMeta
    record_id: str
    actor: str  # the user whose write fired the rule; the rule's writes are made as them
    request_id: str | None
    rule: Mapping[str, Any]  # the rule's stored object
    condition_id: str
    group_id: str | None  # the scheduled group, None for instant actions
    now_ms: int
    tz: str  # the org's time zone
    enqueued: list[str] = field(default_factory=list)  # deliveries stored, to send after the commit

    @property
    def rule_ref(self) -> dict[str, str]:
        return {"id": self.rule["id"], "name": self.rule["name"]}

    def cause(self) -> Cause:
        return Cause(trigger=NO_AUTOMATION, request_id=self.request_id)

    def row(self, *, live: bool = True) -> RecordRow | None:
        """The record as stored now (after the actions that ran before)."""
        return record_model.get_records(self.conn, self.meta.id, [self.record_id], live=live).get(self.record_id)


def record_view(row: RecordRow) -> dict[str, Any]:
    """A record as criteria read it: every stored field value, the owner and the system fields
    (datetimes in the stored UTC form)."""
    return {
        **row.data,
        "id": row.id,
        "Owner": row.owner_id,
        "Created_By": row.created_by,
        "Modified_By": row.modified_by,
        "Created_Time": iso(row.created_ms),
        "Modified_Time": iso(row.modified_ms),
    }


def merge_text(value: Any, users: Mapping[str, Mapping[str, Any]]) -> str:
    """A stored value as merge-field text: users by name, lists comma-separated, no value empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(merge_text(v, users) for v in value)
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("id") or "")
    text = str(value)
    return str(users[text]["full_name"]) if text in users else text
