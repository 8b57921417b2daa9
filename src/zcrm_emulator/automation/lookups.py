"""The module and field references of automation requests, looked up in the org (through the
modules and fields repositories)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from zcrm_emulator.automation import refs
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.routing import Call


def workflow_module(found: ModuleRef | None) -> ModuleRef | None:
    if found is None or not refs.workflow_module(found.api_name, found.generated_type, found.api_supported):
        return None
    return found


def module_ref(conn: Connection, org_id: str, value: Any, json_path: str, key: str = "module") -> ModuleRef:
    """The workflow-capable module ``value`` names (AUTOMATION.md §1 "module ref")."""
    return refs.ref(
        value,
        json_path,
        key,
        by_name=lambda name: workflow_module(modules_repo.find(conn, org_id, name)),
        by_id=lambda module_id: workflow_module(modules_repo.find(conn, org_id, module_id)),
        same=lambda a, b: a.id == b.id,
        ambiguous=Message.MODULE_ID_AMBIGUOUS,
        unknown=Message.MODULE_NAME_INVALID,
    )


def module_param(conn: Connection, call: Call) -> ModuleRef | None:
    """The optional ``module`` query param: INVALID_MODULE ``{param_name}`` "The value provided to
    the param is Invalid" when it names no workflow module."""
    name = (call.query("module") or "").strip()
    if not name:
        return None
    found = workflow_module(modules_repo.find(conn, call.org_id, name))
    if found is None:
        raise ZohoError("INVALID_MODULE", {"param_name": "module"}, Message.PARAM_INVALID)
    return found


def fields_of(conn: Connection, module_id: str) -> dict[str, dict[str, Any]]:
    """A module's fields by api name."""
    return {f["api_name"]: f for f in fields_repo.list_fields(conn, module_id)}


def module_short(module: ModuleRef) -> dict[str, str]:
    return {"api_name": module.api_name, "id": module.id}


def module_labelled(module: ModuleRef) -> dict[str, Any]:
    """The module as GET one field update or task shows it (labels and the internal name)."""
    data = module.data
    return {
        "singular_label": data.get("singular_label"),
        "plural_label": data.get("plural_label"),
        "api_name": module.api_name,
        "moduleName": data.get("module_name") or module.api_name,
        "id": module.id,
    }
