"""Creating email notifications inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.automation import lookups, storable
from zcrm_emulator.automation.saved import SavedActions
from zcrm_emulator.automation.wording import FIELD_UPDATES, reworded
from zcrm_emulator.automation.writer import Writer
from zcrm_emulator.resources.email_notifications import repo, rules

SAVED = SavedActions(repo.NOTIFICATIONS, "email_notifications", rules.IN_USE)


def create(conn: Connection, writer: Writer, item: Any, json_path: str) -> str:
    storable.check(item, json_path)
    with reworded(FIELD_UPDATES):
        clean = rules.SPEC.check(item, json_path)
    module = lookups.module_ref(conn, writer.org_id, clean["module"], json_path)
    notification_id = ids.allocate(conn, writer.org_id)[0]
    data = rules.wire(notification_id, clean, module=lookups.module_short(module), stamps=writer.created())
    repo.NOTIFICATIONS.insert(conn, writer.org_id, writer.org_id, data, writer.now_ms)
    return notification_id


def present(conn: Connection, org_id: str, items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    associated = SAVED.associated(conn, org_id)
    return [{**data, "associated": data["id"] in associated} for data in items]
