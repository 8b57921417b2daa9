"""Entity scores' rules (OAS entity_scores.json; v8 "Get Entity Score"): which fields a read may ask
for, and how a stored score is shown.

An entity score is one record's score under one scoring rule. ``Score`` is the positive and negative
field-rule scores together plus the touch-point score; touch-point scores come from signals, which
the emulator does not have: 0 on the people modules, null on the others ("For non-people modules,
touch point scores will always be null").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.errors import ZohoError

ENVELOPE = "data"
FIELDS = (
    "Positive_Score",
    "Negative_Score",
    "Touch_Point_Score",
    "Touch_Point_Positive_Score",
    "Touch_Point_Negative_Score",
    "Score",
    "Scoring_Rule",
    "Entity",
)
TOUCH_POINT = ("Touch_Point_Score", "Touch_Point_Positive_Score", "Touch_Point_Negative_Score")
SORT_KEYS = ("id", "Modified_Time")
SORT_ORDERS = ("asc", "desc")
PEOPLE_MODULES = frozenset({"Leads", "Contacts"})


def wanted_fields(raw: str | None) -> list[str]:
    """``fields``: mandatory (REQUIRED_PARAM_MISSING); names outside the score's fields are left out."""
    names = [part.strip() for part in (raw or "").split(",") if part.strip()]
    if not names:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "fields"})
    return [name for name in FIELDS if name in names]


@dataclass(frozen=True)
class Scored:
    """A stored score with what it is shown with: the record, its module and the rule."""

    id: str
    record: dict[str, Any]  # {name, id, module{api_name, id}}
    rule: dict[str, str]  # {name, id}
    positive: int
    negative: int
    modified_ms: int


def shown(scored: Scored, fields: Iterable[str]) -> dict[str, Any]:
    """The score as a read shows it: the fields asked for, its id and the record it scores."""
    people = scored.record["module"]["api_name"] in PEOPLE_MODULES
    touch = 0 if people else None
    values: Mapping[str, Any] = {
        "Positive_Score": scored.positive,
        "Negative_Score": scored.negative,
        "Score": scored.positive + scored.negative + (touch or 0),
        "Scoring_Rule": scored.rule,
        "Entity": scored.record,
        **dict.fromkeys(TOUCH_POINT, touch),
    }
    return {**{name: values[name] for name in fields}, "Entity": scored.record, "id": scored.id}


def info(page: int, per_page: int, count: int, more: bool, sort_by: str, sort_order: str) -> dict[str, Any]:
    return {
        "per_page": per_page,
        "next_page_token": None,
        "count": count,
        "sort_by": sort_by,
        "page": page,
        "previous_page_token": None,
        "page_token_expiry": None,
        "sort_order": sort_order,
        "more_records": more,
    }
