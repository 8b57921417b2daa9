"""Creating and changing automation tasks inside the caller's transaction (rules in rules.py, SQL
in repo.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.automation import lookups, storable
from zcrm_emulator.automation.saved import SavedActions
from zcrm_emulator.automation.wording import TASKS, reworded
from zcrm_emulator.automation.writer import Writer
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.memo import Memo
from zcrm_emulator.resources.automation_tasks import repo, rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.users import repo as users_repo
from zcrm_emulator.store.documents import Stored

SAVED = SavedActions(repo.TASKS, "tasks", rules.IN_USE)


def _checked(conn: Connection, writer: Writer, memo: Memo, item: Any, json_path: str) -> tuple[dict[str, Any], Any]:
    storable.check(item, json_path)
    with reworded(TASKS):
        clean = rules.SPEC.check(item, json_path)
    module = lookups.module_ref(conn, writer.org_id, clean["module"], json_path)
    clean["feature_type"] = rules.check_feature_type(clean.get("feature_type"), json_path)
    tasks = record_model.load_module(conn, writer.org_id, "Tasks", writer.now_ms, memo)
    source = record_model.load_module(conn, writer.org_id, module.api_name, writer.now_ms, memo)
    users = {u["id"]: u for u in users_repo.list_users(conn, writer.org_id)}
    clean["field_mappings"] = rules.check_mappings(clean["field_mappings"], json_path, tasks, source, users)
    return clean, module


def create(conn: Connection, writer: Writer, memo: Memo, item: Any, json_path: str) -> str:
    clean, module = _checked(conn, writer, memo, item, json_path)
    task_id = ids.allocate(conn, writer.org_id)[0]
    data = rules.wire(task_id, clean, module=lookups.module_short(module), stamps=writer.created())
    repo.TASKS.insert(conn, writer.org_id, writer.org_id, data, writer.now_ms)
    return task_id


def update(conn: Connection, writer: Writer, memo: Memo, stored: Stored, item: Any, json_path: str) -> str:
    """The keys given replace the stored ones (``field_mappings`` as a whole); the module stays."""
    if not isinstance(item, Mapping):
        raise ZohoError("INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"})
    merged = {**rules.as_input(stored.data), **item, "module": stored.data["module"]}
    clean, module = _checked(conn, writer, memo, merged, json_path)
    created = {k: stored.data[k] for k in ("created_time", "created_by")}
    data = rules.wire(stored.id, clean, module=lookups.module_short(module), stamps={**created, **writer.modified()})
    repo.TASKS.save(conn, stored.id, data, writer.now_ms)
    return stored.id


def present(conn: Connection, org_id: str, items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Task templates as GET shows them: ``associated`` from the rules, the module with its labels."""
    associated = SAVED.associated(conn, org_id)
    shown = []
    for data in items:
        module = modules_repo.find(conn, org_id, data["module"]["id"])
        labelled = lookups.module_labelled(module) if module is not None else data["module"]
        shown.append({**data, "module": labelled, "associated": data["id"] in associated})
    return shown
