"""Creating a custom module and updating modules, inside the caller's transaction.

The steps of each operation in Zoho's order; the rules are in rules.py, the SQL in repo.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.clock import iso
from zcrm_emulator.editions import require_enterprise
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.custom_views import service as views_service
from zcrm_emulator.resources.modules import repo, rules, templates
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.store import documents, locks
from zcrm_emulator.store.schema import profiles
from zcrm_emulator.validation import at, check_limit

DEFAULT_LAYOUT = {"api_name": "Standard__s", "name": "Standard"}


def require_edition(conn: Connection, org_id: str, message: Message) -> None:
    """Custom modules are created and updated from the Enterprise edition up (NOT_SUPPORTED)."""
    require_enterprise(org_repo.org_edition(conn, org_id), message)


def take_turns(conn: Connection, org_id: str) -> None:
    """Module writes of one org take turns across workers: labels are unique per org, names are
    numbered in sequence and the edition limits the count, all checked by reading first."""
    locks.serialize(conn, f"modules:{org_id}")


def check_module_limit(conn: Connection, org_id: str) -> None:
    """LIMIT_EXCEEDED ``{limit}`` once the org has its edition's number of custom modules."""
    limit = org_repo.org_edition(conn, org_id).custom_modules
    check_limit(repo.count_custom(conn, org_id) + 1, limit)


def _profile_names(conn: Connection, org_id: str) -> dict[str, str]:
    return {p["id"]: p["name"] for p in documents.list_data(conn, profiles, org_id)}


def _fresh_ids(conn: Connection, org_id: str) -> Iterator[str]:
    while True:
        yield ids.allocate(conn, org_id)[0]


def _stamp(actor: Mapping[str, Any], now_ms: int) -> tuple[str, dict[str, str]]:
    return iso(now_ms, actor.get("time_zone") or "UTC"), {"name": actor["full_name"], "id": actor["id"]}


def create_custom_module(
    conn: Connection, org_id: str, item: Any, *, actor: Mapping[str, Any], now_ms: int, json_path: str = "$.modules[0]"
) -> str:
    """Validate one module of a create call and insert it with its system fields; returns its id."""
    existing = repo.list_modules(conn, org_id)
    names = _profile_names(conn, org_id)
    in_use = rules.names_in_use(existing)
    clean = rules.CREATE.check(item, json_path, taken=in_use, exists=lambda _ref, pid: pid in names)
    plural, singular = clean["plural_label"].strip(), clean["singular_label"].strip()
    plan = templates.custom_module_plan()
    display = clean.get("display_field")
    rules.check_display_label((display or {}).get("field_label"), rules.system_labels(plan, singular), json_path)

    module_name = rules.next_module_name(existing)
    new_ids = _fresh_ids(conn, org_id)
    module_id, layout_id = next(new_ids), next(new_ids)
    context = rules.FieldContext(
        singular_label=singular,
        layout={**DEFAULT_LAYOUT, "id": layout_id},
        profiles=[{"name": name, "id": pid} for pid, name in names.items()],
        drop=frozenset(plan["module_specific_keys"]),
    )
    field_list = rules.system_fields(plan, display, context, new_ids)
    modified_time, modified_by = _stamp(actor, now_ms)
    new = rules.NewModule(
        id=module_id,
        api_name=clean.get("api_name") or rules.generate_api_name(plural, in_use, module_name),
        module_name=module_name,
        plural_label=plural,
        singular_label=singular,
        profiles=rules.minified_profiles((p["id"] for p in clean["profiles"]), names),
        sequence=repo.next_sequence(conn, org_id),
        modified_time=modified_time,
        modified_by=modified_by,
        layout_id=layout_id,
    )
    module = rules.module_object(plan, new, field_list)
    repo.insert_module(conn, org_id, module, field_list, scope_name="custom", now_ms=now_ms)
    views_service.add_custom_module_views(conn, org_id, module, field_list, actor=actor, now_ms=now_ms)
    return module_id


def module_for_item(conn: Connection, org_id: str, item: Any, json_path: str) -> dict[str, Any]:
    """The module a bulk-update item names by ``id`` (MANDATORY_NOT_FOUND / INVALID_DATA)."""
    module_id = rules.MODULE_ID.check(item, json_path)["id"]
    found = repo.find(conn, org_id, module_id)
    if found is None:
        raise ZohoError("INVALID_DATA", at(json_path, "id"), rules.INVALID_MODULE_ID)
    return found.data


def update_module(
    conn: Connection,
    org_id: str,
    module: Mapping[str, Any],
    item: Any,
    json_path: str,
    *,
    actor: Mapping[str, Any],
    now_ms: int,
) -> str:
    """Apply one update item (labels, profile delta) to ``module``; returns the module id."""
    rules.check_updatable(module, json_path)
    names = _profile_names(conn, org_id)
    in_use = rules.names_in_use(repo.list_modules(conn, org_id), except_id=module["id"])
    clean = rules.UPDATE.check(item, json_path, partial=True, taken=in_use, exists=lambda _ref, pid: pid in names)
    rules.check_api_name_unchanged(clean, module, json_path)
    changes: dict[str, Any] = {k: clean[k].strip() for k in ("plural_label", "singular_label") if k in clean}
    if "profiles" in clean:
        kept = rules.apply_profile_delta(module["profiles"], clean["profiles"], names, json_path)
        changes.update(profiles=kept, profile_count=len(kept))
    if changes:
        modified_time, modified_by = _stamp(actor, now_ms)
        data = {**module, **changes, "modified_time": modified_time, "modified_by": modified_by}
        repo.save_module(conn, module["id"], data, now_ms)
    return str(module["id"])
