"""The steps of the data sharing rule operations on the caller's connection (rules.py has Zoho's rules,
repo.py the SQL); a service never opens a transaction of its own.

A rule names roles and groups by id; what it shows is their current name. Rules are stored and
validated faithfully, but not enforced on record reads: the emulator has no per-record sharing
(docs/decisions.md "Data sharing rules"), so a rerun is scheduled and done at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.acting import Acting
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.resources.roles import repo as roles_repo
from zcrm_emulator.resources.sharing_rules import repo, rules
from zcrm_emulator.resources.user_groups import repo as groups_repo
from zcrm_emulator.resources.workflow_rules import criteria
from zcrm_emulator.store import locks
from zcrm_emulator.store.documents import Stored
from zcrm_emulator.validation import at

Context = Acting
RULE_KEYS = ("name", "type", "permission_type", "superiors_allowed", "shared_to", "shared_from", "criteria")


def take_turns(conn: Connection, org_id: str) -> None:
    """Writes of one org take turns across workers: names and per-module counts are checked by reading."""
    locks.serialize(conn, f"sharing_rules:{org_id}")


def module_of(ref: ModuleRef) -> dict[str, str]:
    return {"api_name": ref.api_name, "name": str(ref.data.get("module_name") or ref.api_name), "id": ref.id}


@dataclass(frozen=True)
class Names:
    """The org's roles and groups by id, read once per call: what a source or target may name."""

    roles: dict[str, str]
    groups: dict[str, str]

    def of(self, kind: str) -> dict[str, str]:
        return self.roles if kind == "roles" else self.groups


def names(conn: Connection, org_id: str) -> Names:
    roles = {
        str(r["id"]): str(r.get("name") or r.get("display_label") or "") for r in roles_repo.list_roles(conn, org_id)
    }
    groups = {str(g["id"]): str(g.get("name") or "") for g in groups_repo.list_groups(conn, org_id)}
    return Names(roles, groups)


def _resolve(known: Names, value: Mapping[str, Any], json_path: str) -> dict[str, Any]:
    kind, resource_id, subordinates = rules.check_shared(value, json_path)
    if resource_id is None:
        return rules.shared(kind, None, False)
    name = known.of(kind).get(resource_id)
    if name is not None:
        return rules.shared(kind, {"id": resource_id, "name": name}, subordinates)
    here = at(f"{json_path}.resource", "id")
    if resource_id in known.of("groups" if kind == "roles" else "roles"):
        raise ZohoError("DEPENDENT_FIELD_MISMATCH", {**here, "dependee": at(json_path, "type")})
    raise ZohoError("INVALID_DATA", here, Message.UNKNOWN_ID)


def _criteria(ctx: Context, module: ModuleRef, value: Any, json_path: str) -> dict[str, Any]:
    meta = record_model.load_module(ctx.conn, ctx.org_id, module.api_name, ctx.now_ms)
    return criteria.check(value, json_path, meta.by_name)


def _taken(ctx: Context, module: ModuleRef, except_id: str | None = None) -> Any:
    def taken(key: str, value: Any) -> bool:
        return key == "name" and repo.DOCUMENTS.name_taken(ctx.conn, module.id, value, except_id=except_id)

    return taken


def create(ctx: Context, module: ModuleRef, item: Any, json_path: str) -> str:
    rules.refuse_status(item, json_path)
    clean = rules.CREATE.check(item, json_path, taken=_taken(ctx, module))
    rules.check_dependants(clean, json_path)
    known = names(ctx.conn, ctx.org_id)
    rule: dict[str, Any] = {key: clean.get(key) for key in RULE_KEYS}
    rule["shared_to"] = _resolve(known, clean["shared_to"], f"{json_path}.shared_to")
    if clean.get("shared_from"):
        rule["shared_from"] = _resolve(known, clean["shared_from"], f"{json_path}.shared_from")
    if clean.get("criteria"):
        rule["criteria"] = _criteria(ctx, module, clean["criteria"], f"{json_path}.criteria")
    if repo.count_in(ctx.conn, ctx.org_id, module.id) >= rules.RULES_PER_MODULE:
        raise ZohoError("INVALID_DATA", {"limit": rules.RULES_PER_MODULE}, Message.SHARING_MODULE_LIMIT)
    rule_id = ids.allocate(ctx.conn, ctx.org_id)[0]
    data = {"id": rule_id, **rule, "module": module_of(module), "status": "active", "match_limit_exceeded": False}
    repo.DOCUMENTS.insert(ctx.conn, ctx.org_id, module.id, data, ctx.now_ms)
    return rule_id


def update(ctx: Context, module: ModuleRef, stored: Stored, item: Any, json_path: str) -> str:
    """The keys given replace the stored ones; a change of ``type`` drops the old type's source or
    criteria, which the new type then needs afresh."""
    rules.refuse_status(item, json_path)
    given = {k: v for k, v in item.items() if k != "id"} if isinstance(item, dict) else item
    clean = rules.UPDATE.check(given, json_path, taken=_taken(ctx, module, stored.id))
    base = {key: stored.data.get(key) for key in RULE_KEYS}
    if clean["type"] != base["type"]:
        base["shared_from"] = base["criteria"] = None
    merged = {**base, **{k: v for k, v in clean.items() if k in base}}
    rules.check_dependants(merged, json_path)
    known = names(ctx.conn, ctx.org_id)
    for key in ("shared_to", "shared_from"):
        if clean.get(key):
            merged[key] = _resolve(known, clean[key], f"{json_path}.{key}")
    if clean.get("criteria"):
        merged["criteria"] = _criteria(ctx, module, clean["criteria"], f"{json_path}.criteria")
    repo.DOCUMENTS.save(ctx.conn, stored.id, {**stored.data, **merged}, ctx.now_ms)
    return stored.id


def find(conn: Connection, org_id: str, rule_id: str | None, module: ModuleRef | None) -> Stored | None:
    """The rule with that id (of ``module``, when the call names one)."""
    stored = repo.DOCUMENTS.get(conn, org_id, rule_id) if rule_id else None
    if stored is None or (module is not None and stored.scope_id != module.id):
        return None
    return stored


def delete(conn: Connection, stored: Stored) -> None:
    repo.DOCUMENTS.delete(conn, stored.id)


def set_status(ctx: Context, stored: Stored, status: str) -> None:
    if stored.data.get("status") == status:
        details = {"resource_path_index": rules.PATH_INDEX}
        if status == "active":
            raise ZohoError("ID_ALREADY_ACTIVE", details, Message.SHARING_RULE_ACTIVE)
        raise ZohoError("ID_ALREADY_DEACTIVATED", details, Message.SHARING_RULE_INACTIVE)
    repo.DOCUMENTS.save(ctx.conn, stored.id, {**stored.data, "status": status}, ctx.now_ms)


def all_rules(conn: Connection, org_id: str, module: ModuleRef | None) -> list[rules.Rule]:
    """The org's rules (of one module), as shown: roles and groups under their current names."""
    known = names(conn, org_id)
    return [shown(known, rule) for rule in repo.DOCUMENTS.list(conn, org_id, module.id if module else None)]


def shown(known: Names, rule: rules.Rule) -> rules.Rule:
    out = dict(rule)
    for key in ("shared_from", "shared_to"):
        side = rule.get(key)
        resource = side.get("resource") if isinstance(side, dict) else None
        if isinstance(side, dict) and resource:
            current = known.of(side["type"]).get(resource["id"])
            out[key] = {**side, "resource": {**resource, "name": current or resource["name"]}}
    return out


def summary(found: list[rules.Rule]) -> list[dict[str, Any]]:
    """Per module with rules: how many, and whether their computation runs (never: it is done at once)."""
    counts = Counter(rule["module"]["id"] for rule in found)
    modules = {rule["module"]["id"]: rule["module"] for rule in found}
    return [
        {
            "module": {"api_name": modules[module_id]["api_name"], "id": module_id},
            "rule_computation_status": False,
            "rule_count": count,
        }
        for module_id, count in counts.items()
    ]
