"""SQL for scoring rules (one row per rule, its wire object in ``data``, names unique per module) and
the scores they give records (one row per rule and record)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from zcrm_emulator.store import uniques
from zcrm_emulator.store.documents import SettingsDocuments, Stored
from zcrm_emulator.store.schema import entity_scores, scoring_rules

RULES = SettingsDocuments(scoring_rules, scope="module_id")


def list_rules(conn: Connection, org_id: str) -> list[dict[str, Any]]:
    return RULES.list(conn, org_id)


def get_rule(conn: Connection, org_id: str, rule_id: str) -> Stored | None:
    return RULES.get(conn, org_id, rule_id)


def module_rules(conn: Connection, module_id: str) -> list[dict[str, Any]]:
    query = select(scoring_rules.c.data).where(scoring_rules.c.module_id == module_id)
    return [row.data for row in conn.execute(query.order_by(scoring_rules.c.id))]


def count_rules(conn: Connection, module_id: str) -> int:
    return RULES.count(conn, module_id)


def name_taken(conn: Connection, module_id: str, name: str, except_id: str | None = None) -> bool:
    return RULES.name_taken(conn, module_id, name, except_id=except_id)


def names(conn: Connection, module_id: str) -> set[str]:
    query = select(scoring_rules.c.name_key).where(scoring_rules.c.module_id == module_id)
    return {row.name_key for row in conn.execute(query)}


def insert_rule(conn: Connection, org_id: str, module_id: str, data: dict[str, Any], now_ms: int) -> None:
    RULES.insert(conn, org_id, module_id, data, now_ms)


def save_rule(conn: Connection, data: dict[str, Any], now_ms: int) -> None:
    RULES.save(conn, data["id"], data, now_ms)


def delete_rule(conn: Connection, rule_id: str) -> None:
    """The rule and the scores it gave."""
    conn.execute(delete(entity_scores).where(entity_scores.c.rule_id == rule_id))
    RULES.delete(conn, rule_id)


# --- entity scores ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreRow:
    id: str
    rule_id: str
    module_id: str
    record_id: str
    positive: int
    negative: int
    modified_ms: int


def _score_row(row: Any) -> ScoreRow:
    return ScoreRow(row.id, row.rule_id, row.module_id, row.record_id, row.positive, row.negative, row.modified_ms)


def scores_of_rule(conn: Connection, rule_id: str) -> dict[str, ScoreRow]:
    """The rule's scores by record id."""
    query = select(entity_scores).where(entity_scores.c.rule_id == rule_id)
    return {row.record_id: _score_row(row) for row in conn.execute(query)}


def put_score(conn: Connection, org_id: str, row: ScoreRow) -> None:
    """A record's score under a rule: inserted, or the one it had replaced."""
    values = {"positive": row.positive, "negative": row.negative, "modified_ms": row.modified_ms}
    statement = uniques.insert(conn, entity_scores).values(
        id=row.id, org_id=org_id, rule_id=row.rule_id, module_id=row.module_id, record_id=row.record_id, **values
    )
    conn.execute(statement.on_conflict_do_update(index_elements=["rule_id", "record_id"], set_=values))


def drop_scores(conn: Connection, rule_id: str, record_ids: Sequence[str]) -> None:
    if record_ids:
        conn.execute(
            delete(entity_scores).where(entity_scores.c.rule_id == rule_id, entity_scores.c.record_id.in_(record_ids))
        )


def drop_record_scores(conn: Connection, record_ids: Sequence[str]) -> None:
    if record_ids:
        conn.execute(delete(entity_scores).where(entity_scores.c.record_id.in_(record_ids)))


def list_scores(conn: Connection, org_id: str) -> list[ScoreRow]:
    query = select(entity_scores).where(entity_scores.c.org_id == org_id).order_by(entity_scores.c.id)
    return [_score_row(row) for row in conn.execute(query)]


def latest_score_ms(conn: Connection, org_id: str) -> int | None:
    latest: int | None = conn.execute(
        select(func.max(entity_scores.c.modified_ms)).where(entity_scores.c.org_id == org_id)
    ).scalar_one()
    return latest


def touch_scores(conn: Connection, rule_id: str, now_ms: int) -> None:
    """A renamed rule shows its new name on its scores: they count as modified."""
    conn.execute(update(entity_scores).where(entity_scores.c.rule_id == rule_id).values(modified_ms=now_ms))
