"""What the saved automation actions (field updates, automation tasks, email notifications) share:
finding one by the id in the path or in ``?ids=``, whether a rule uses it (``associated``), and
deleting one, which Zoho refuses while a rule uses it (AUTOMATION.md §4; OASx deleteFieldUpdates,
deleteTasks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import batch
from zcrm_emulator.automation import params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.workflow_rules import repo as rules_repo
from zcrm_emulator.routing import Call
from zcrm_emulator.store.documents import SettingsDocuments, Stored


@dataclass(frozen=True)
class SavedActions:
    documents: SettingsDocuments
    association: str  # the action ``type`` rules name these by
    in_use: Message  # NOT_ALLOWED when deleting one a rule uses

    def get(self, conn: Connection, org_id: str, raw_id: Any) -> Stored | None:
        found = normalize_id(raw_id)
        return self.documents.get(conn, org_id, found) if found is not None else None

    def in_path(self, conn: Connection, call: Call) -> Stored:
        """The action the path names: bare INVALID_DATA ``{resource_path_index: 3}`` when none."""
        stored = self.documents.get(conn, call.org_id, params.path_id(call))
        if stored is None:
            raise params.path_id_error()
        return stored

    def associated(self, conn: Connection, org_id: str) -> set[str]:
        return rules_repo.associated_ids(conn, org_id, self.association)

    def used(self, conn: Connection, org_id: str, action_id: str) -> bool:
        return rules_repo.in_use(conn, org_id, self.association, action_id, active_only=False)

    def delete_in_path(self, conn: Connection, call: Call) -> str:
        stored = self.in_path(conn, call)
        if self.used(conn, call.org_id, stored.id):
            raise ZohoError("NOT_ALLOWED", {"resource_path_index": params.PATH_ID_INDEX}, self.in_use)
        self.documents.delete(conn, stored.id)
        return stored.id

    def delete_each(self, conn: Connection, call: Call, message: str) -> list[batch.Item]:
        """``DELETE ?ids=``: one result per id, in the order given."""
        results = []
        for raw in params.ids(call):
            stored = self.get(conn, call.org_id, raw)
            if stored is None:
                results.append(batch.failure(ZohoError("INVALID_DATA", {"id": raw}, Message.UNKNOWN_ID)))
            elif self.used(conn, call.org_id, stored.id):
                results.append(batch.failure(ZohoError("NOT_ALLOWED", {"id": stored.id}, self.in_use)))
            else:
                self.documents.delete(conn, stored.id)
                results.append(batch.success(message, {"id": stored.id}))
        return results
