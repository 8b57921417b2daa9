"""Reading entity scores: the stored scores of live records, with each record's name and module and
each rule's name (the scores themselves are written by ``scoring_rules``)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection

from zcrm_emulator import record_model
from zcrm_emulator.resources.entity_scores import rules
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.scoring_rules import repo as scoring_repo


def latest_modified(conn: Connection, org_id: str) -> int | None:
    return scoring_repo.latest_score_ms(conn, org_id)


def scores(conn: Connection, org_id: str, now_ms: int) -> list[rules.Scored]:
    """Every score of the org whose record is live, in id order."""
    rows = scoring_repo.list_scores(conn, org_id)
    rule_names = {r["id"]: r["name"] for r in scoring_repo.list_rules(conn, org_id)}
    by_module: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_module[row.module_id].append(row.record_id)
    records: dict[str, dict[str, object]] = {}
    for module_id, record_ids in by_module.items():
        module = modules_repo.find(conn, org_id, module_id)
        if module is None:
            continue
        meta = record_model.load_module(conn, org_id, module.api_name, now_ms)
        for record in record_model.get_records(conn, meta.id, record_ids).values():
            name = record.data.get(meta.display_field)
            records[record.id] = {
                "name": str(name) if name is not None else "",
                "id": record.id,
                "module": {"api_name": module.api_name, "id": module.id},
            }
    return [
        rules.Scored(
            row.id,
            dict(records[row.record_id]),
            {"name": rule_names.get(row.rule_id, ""), "id": row.rule_id},
            row.positive,
            row.negative,
            row.modified_ms,
        )
        for row in rows
        if row.record_id in records
    ]
