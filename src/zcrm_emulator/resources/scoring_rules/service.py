"""The steps of the scoring-rule calls: create, update, delete, activate, clone, and executing rules
on a module's records, which stores each record's scores (``entity_scores``). Writers of one org's
rules take turns (``take_turns``): names are unique per module and the limits are counted before each
write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.acting import Acting
from zcrm_emulator.automation import lookups, refs
from zcrm_emulator.automation.firing import record_view
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.layouts import repo as layouts_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.modules.repo import ModuleRef
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.scoring_rules import repo, rules
from zcrm_emulator.resources.workflow_rules import criteria
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at

PAGE = 200  # records read at a time while executing


@dataclass(frozen=True)
class Context(Acting):
    @property
    def limits(self) -> rules.Limits:
        return rules.limits_of(org_repo.org_edition(self.conn, self.org_id).name)

    @property
    def zone(self) -> str:
        return str(self.actor.get("time_zone") or "UTC")


def org_zone(conn: Connection, org_id: str) -> str:
    return str(org_repo.get_org(conn, org_id).get("time_zone") or "UTC")


def take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"scoring_rules:{org_id}")


def find(ctx: Context, rule_id: str | None) -> rules.Rule | None:
    stored = repo.get_rule(ctx.conn, ctx.org_id, rule_id) if rule_id is not None else None
    return stored.data if stored is not None else None


def module_named(conn: Connection, org_id: str, name: str) -> ModuleRef | None:
    found = modules_repo.find(conn, org_id, name)
    if found is None or not rules.scoring_module(found.api_name, found.generated_type):
        return None
    return found


# --- writes ----------------------------------------------------------------------------------------
def create(ctx: Context, item: Any, path: str) -> rules.Rule:
    item = rules.check_object(item, path)
    name = rules.check_name(item, path)
    description = rules.check_description(item, path)
    module = _module(ctx, item.get("module"), path)
    layout = _layout(ctx, module, item.get("layout"), path)
    active = rules.check_active(item, path)
    fields = lookups.fields_of(ctx.conn, module.id)
    field_rules = _field_rules(ctx, [], rules.check_list(item, path, "field_rules") or [], path, fields)
    signal_rules = _signal_rules(ctx, module, [], rules.check_list(item, path, "signal_rules") or [], path)
    rules.require_some_rule(field_rules, signal_rules, path)
    limits = ctx.limits
    rules.check_limit(len(field_rules), limits.criteria_per_rule, path, "field_rules")
    if repo.name_taken(ctx.conn, module.id, name):
        raise ZohoError("DUPLICATE_DATA", at(path, "name"))
    rules.check_limit(repo.count_rules(ctx.conn, module.id) + 1, limits.total_per_module, path, "name")
    if active:
        _room_to_activate(ctx, module.id)
    rule = {
        "id": ids.allocate(ctx.conn, ctx.org_id)[0],
        "name": name,
        "description": description,
        "module": refs.short({"api_name": module.api_name, "id": module.id}),
        "layout": layout,
        "active": active,
        "field_rules": field_rules,
        "signal_rules": signal_rules,
        "created_time": ctx.moment,
        "created_by": ctx.stamp,
        "modified_time": ctx.moment,
        "modified_by": ctx.stamp,
    }
    repo.insert_rule(ctx.conn, ctx.org_id, module.id, rule, ctx.now_ms)
    return rule


def update(ctx: Context, rule: rules.Rule, item: Any, path: str) -> rules.Rule:
    """Name, description and the field and signal rules change; module, layout and status, sent or
    not, stay as they are ("Update Scoring Rules")."""
    item = rules.check_object(item, path)
    changed = dict(rule)
    module_id = rule["module"]["id"]
    if "name" in item:
        name = rules.check_name(item, path)
        if repo.name_taken(ctx.conn, module_id, name, except_id=rule["id"]):
            raise ZohoError("DUPLICATE_DATA", at(path, "name"))
        changed["name"] = name
    if "description" in item:
        changed["description"] = rules.check_description(item, path)
    given_fields = rules.check_list(item, path, "field_rules")
    if given_fields is not None:
        fields = lookups.fields_of(ctx.conn, module_id)
        changed["field_rules"] = _field_rules(ctx, rule["field_rules"], given_fields, path, fields)
        rules.check_limit(len(changed["field_rules"]), ctx.limits.criteria_per_rule, path, "field_rules")
    given_signals = rules.check_list(item, path, "signal_rules")
    if given_signals is not None:
        module = modules_repo.find(ctx.conn, ctx.org_id, module_id)
        assert module is not None  # the rule's module: its row goes with it (ON DELETE CASCADE)
        changed["signal_rules"] = _signal_rules(ctx, module, rule["signal_rules"], given_signals, path)
    rules.require_some_rule(changed["field_rules"], changed["signal_rules"], path)
    changed.update(modified_time=ctx.moment, modified_by=ctx.stamp)
    repo.save_rule(ctx.conn, changed, ctx.now_ms)
    if changed["name"] != rule["name"]:
        repo.touch_scores(ctx.conn, rule["id"], ctx.now_ms)
    return changed


def delete(ctx: Context, rule: rules.Rule) -> None:
    repo.delete_rule(ctx.conn, rule["id"])


def set_active(ctx: Context, rule: rules.Rule, active: bool) -> rules.Rule:
    if active and not rule["active"]:
        _room_to_activate(ctx, rule["module"]["id"])
    changed = {**rule, "active": active, "modified_time": ctx.moment, "modified_by": ctx.stamp}
    repo.save_rule(ctx.conn, changed, ctx.now_ms)
    return changed


def clone(ctx: Context, rule: rules.Rule) -> rules.Rule:
    """A copy under a new name, always active ("Clone Scoring Rule"), its entries with new ids."""
    module_id = rule["module"]["id"]
    if repo.count_rules(ctx.conn, module_id) + 1 > ctx.limits.total_per_module:
        raise ZohoError("LIMIT_EXCEEDED", {"limit": ctx.limits.total_per_module, "api_name": "name"})
    _room_to_activate(ctx, module_id)
    entries = len(rule["field_rules"]) + len(rule["signal_rules"])
    new_ids = iter(ids.allocate(ctx.conn, ctx.org_id, 1 + entries))
    copy = {
        **rule,
        "id": next(new_ids),
        "name": rules.clone_name(rule["name"], repo.names(ctx.conn, module_id)),
        "active": True,
        "field_rules": [{**entry, "id": next(new_ids)} for entry in rule["field_rules"]],
        "signal_rules": [{**entry, "id": next(new_ids)} for entry in rule["signal_rules"]],
        "created_time": ctx.moment,
        "created_by": ctx.stamp,
        "modified_time": ctx.moment,
        "modified_by": ctx.stamp,
    }
    repo.insert_rule(ctx.conn, ctx.org_id, module_id, copy, ctx.now_ms)
    return copy


def _room_to_activate(ctx: Context, module_id: str) -> None:
    active = sum(1 for r in repo.module_rules(ctx.conn, module_id) if r["active"])
    if active + 1 > ctx.limits.active_per_module:
        raise ZohoError(
            "ACTIVE_STATE_LIMIT_EXCEEDED",
            {"limit": ctx.limits.active_per_module},
            Message.SCORING_ACTIVE_LIMIT,
        )


def _module(ctx: Context, value: Any, path: str) -> ModuleRef:
    if value is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "module"))

    def by_key(key: str) -> ModuleRef | None:
        return module_named(ctx.conn, ctx.org_id, key)

    return refs.ref(
        value,
        path,
        "module",
        by_name=by_key,
        by_id=by_key,
        same=lambda a, b: a.id == b.id,
        ambiguous=Message.MODULE_ID_AMBIGUOUS,
        unknown=Message.MODULE_NAME_INVALID,
    )


def _layout(ctx: Context, module: ModuleRef, value: Any, path: str) -> dict[str, str] | None:
    """The module's layout ``value`` names; None (every layout) when none is given."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise rules.wrong_type(path, "layout", "jsonobject")
    wanted_id, wanted_name = rules.entry_id(value), value.get("api_name")
    if wanted_id is None and not wanted_name:
        raise ZohoError("MANDATORY_NOT_FOUND", at(f"{path}.layout", "id"))
    for row in layouts_repo.list_layouts(ctx.conn, module.id):
        api_name = str(row.data.get("api_name") or row.name)
        if (wanted_id is None or row.id == wanted_id) and (not wanted_name or wanted_name == api_name):
            return {"api_name": api_name, "id": row.id}
    raise ZohoError("INVALID_DATA", at(path, "layout"), Message.UNKNOWN_ID)


def _entries(
    ctx: Context, current: list[dict[str, Any]], given: list[Any], path: str, key: str
) -> Iterable[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """Each entry sent under ``key``: its path, itself and the stored entry its ``id`` names (None
    for a new one); an id the rule has no entry for is INVALID_DATA."""
    by_id = {entry["id"]: entry for entry in current}
    for i, raw in enumerate(given):
        where = f"{path}.{key}[{i}]"
        if not isinstance(raw, dict):
            raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": where, "expected_data_type": "jsonobject"})
        stored = None
        if raw.get("id") not in (None, ""):
            stored = by_id.get(rules.entry_id(raw) or "")
            if stored is None:
                raise ZohoError("INVALID_DATA", at(where, "id"), Message.UNKNOWN_ID)
        yield where, raw, stored


def _merged(
    ctx: Context,
    current: list[dict[str, Any]],
    given: list[Any],
    path: str,
    key: str,
    build: Any,
) -> list[dict[str, Any]]:
    """The entries after an update: the stored ones changed or removed (``_delete``) as sent, the new
    ones after them with new ids."""
    result = {entry["id"]: entry for entry in current}
    added: list[dict[str, Any]] = []
    for where, raw, stored in _entries(ctx, current, given, path, key):
        if stored is not None and "_delete" in raw:
            result.pop(stored["id"], None)
            continue
        entry = build(raw, where, stored)
        if stored is None:
            added.append(entry)
        else:
            result[stored["id"]] = {**entry, "id": stored["id"]}
    new_ids = ids.allocate(ctx.conn, ctx.org_id, len(added)) if added else []
    return [*result.values(), *({**entry, "id": new_id} for entry, new_id in zip(added, new_ids, strict=True))]


def _field_rules(
    ctx: Context, current: list[dict[str, Any]], given: list[Any], path: str, fields: Mapping[str, Any]
) -> list[dict[str, Any]]:
    def build(raw: dict[str, Any], where: str, stored: dict[str, Any] | None) -> dict[str, Any]:
        if stored is not None:  # an update names what it changes
            score = rules.check_score(raw, where) if "score" in raw else stored["score"]
            found = raw.get("criteria")
            return {"score": score, "criteria": _criteria(found, where, fields) if found else stored["criteria"]}
        score = rules.check_score(raw, where)
        if raw.get("criteria") is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(where, "criteria"))
        return {"score": score, "criteria": _criteria(raw["criteria"], where, fields)}

    return _merged(ctx, current, given, path, "field_rules", build)


def _signal_rules(
    ctx: Context, module: ModuleRef, current: list[dict[str, Any]], given: list[Any], path: str
) -> list[dict[str, Any]]:
    if given and module.api_name not in rules.PEOPLE_MODULES:
        raise ZohoError("INVALID_DATA", at(path, "signal_rules"))  # people modules only

    def build(raw: dict[str, Any], where: str, stored: dict[str, Any] | None) -> dict[str, Any]:
        if stored is not None:
            score = rules.check_score(raw, where) if "score" in raw else stored["score"]
            return {"score": score, "signal": rules.check_signal(raw, where) if "signal" in raw else stored["signal"]}
        return {"score": rules.check_score(raw, where), "signal": rules.check_signal(raw, where)}

    return _merged(ctx, current, given, path, "signal_rules", build)


def _criteria(value: Any, where: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    return _shown(criteria.check(value, f"{where}.criteria", fields))


def _shown(criterion: dict[str, Any]) -> dict[str, Any]:
    """A checked criterion as a rule shows it: without the workflow-only ``type``."""
    if "group" in criterion:
        return {"group_operator": criterion["group_operator"].upper(), "group": [_shown(c) for c in criterion["group"]]}
    return {"comparator": criterion["comparator"], "field": criterion["field"], "value": criterion["value"]}


# --- executing -------------------------------------------------------------------------------------
def run(ctx: Context, module: ModuleRef, chosen: list[rules.Rule]) -> None:
    """Each rule scores the module's recent records of its layout: a record's score row is written,
    or dropped when the rule no longer reaches it."""
    meta = record_model.load_module(ctx.conn, ctx.org_id, module.api_name, ctx.now_ms)
    offset = 0
    while True:
        page = record_model.PageQuery(sort="id", descending=False, limit=PAGE, offset=offset)
        rows = record_model.list_records(ctx.conn, meta.id, page)
        for rule in chosen:
            score_rows(ctx.conn, ctx.org_id, rule, meta, rows, ctx.now_ms, ctx.actor["id"], ctx.zone)
        if len(rows) < PAGE:
            return
        offset += PAGE


def score_rows(
    conn: Connection,
    org_id: str,
    rule: rules.Rule,
    meta: record_model.ModuleMeta,
    rows: list[record_model.RecordRow],
    now_ms: int,
    actor: str,
    zone: str,
) -> None:
    """The rule's scores of these records, written (or dropped for the records it does not reach)."""
    had = repo.scores_of_rule(conn, rule["id"])
    reached = [
        row
        for row in rows
        if rules.recent(row.created_ms, row.modified_ms, now_ms)
        and rules.in_layout(rule, row.data.get("Layout"), meta.layout.id)
    ]
    repo.drop_scores(conn, rule["id"], [row.id for row in rows if row not in reached and row.id in had])
    new_ids = iter(ids.allocate(conn, org_id, sum(1 for row in reached if row.id not in had)) or [])
    ctx = criteria.Context(now_ms, zone, actor)
    for row in reached:
        record = record_view(row)
        met = [
            entry["score"]
            for entry in rule["field_rules"]
            if criteria.matches(entry["criteria"], record, meta.by_name, ctx)
        ]
        score = rules.score_of(met)
        score_id = had[row.id].id if row.id in had else next(new_ids)
        repo.put_score(
            conn,
            org_id,
            repo.ScoreRow(score_id, rule["id"], meta.id, row.id, score.positive, score.negative, now_ms),
        )
