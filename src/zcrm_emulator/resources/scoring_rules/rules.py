"""Scoring rules' rules (OAS scoring_rules.json; v8 "Create Scoring Rules", "Update Scoring Rules",
"Update Scoring Rule Status", "Clone Scoring Rule", "Execute Scoring Rules").

A rule belongs to one module (Leads, Accounts, Contacts, Deals or a custom module) and optionally one
of its layouts (none: every layout). It scores a record by its field rules, each a criterion and a
score (negative scores lower it), and, on the people modules, by signal rules (a signal and a score).
A record's positive score is the sum of the positive scores of the field rules it meets, its negative
score the sum of the negative ones, its score both together plus its touch-point score. Signals are
not emulated: signal rules are kept and shown, and the touch-point scores they would give stay 0.
Plain functions over plain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.validation import at

Rule = dict[str, Any]

ENVELOPE = "scoring_rules"
# The file's Success_Response knows one message; the others follow its wording (docs/decisions.md).
CREATED = "scoring rule created successfully"
UPDATED = "scoring rule updated successfully"
DELETED = "scoring rule deleted successfully"
ACTIVATED = "scoring rule activated successfully"
DEACTIVATED = "scoring rule deactivated successfully"
CLONED = CREATED  # a clone is a new rule
EXECUTED = "scoring rule executed successfully"

NAME_MAX = 25
DESCRIPTION_MAX = 500
EXECUTE_MAX = 5  # "Upto five active rules can be executed using this method"
PATH_INDEX = 3  # settings/automation/scoring_rules/{id}: the id's segment
MODULE_INDEX = 0  # {module}/actions/run_scoring_rules
SCORE_MIN, SCORE_MAX = -(2**31), 2**31 - 1  # int32, as the file types a score
STANDARD_MODULES = ("Leads", "Accounts", "Contacts", "Deals")
PEOPLE_MODULES = frozenset({"Leads", "Contacts"})  # the only ones with signal rules
RECENT_MS = 183 * 24 * 3600 * 1000  # "records created or with activity within the last six months"


@dataclass(frozen=True)
class Limits:
    active_per_module: int
    total_per_module: int
    criteria_per_rule: int  # field rules of one rule


# The v8 "Create Scoring Rules" table per edition (Free has no column there: Standard's).
LIMITS = {
    "free": Limits(1, 1, 10),
    "standard": Limits(1, 1, 10),
    "professional": Limits(1, 1, 20),
    "enterprise": Limits(25, 50, 30),
    "ultimate": Limits(40, 80, 50),
}


def limits_of(edition: str) -> Limits:
    return LIMITS.get(edition, LIMITS["enterprise"])


def scoring_module(api_name: str, generated_type: str) -> bool:
    return api_name in STANDARD_MODULES or generated_type == "custom"


def path_error() -> ZohoError:
    """An id in the URL that names no rule: INVALID_DATA at its segment (the file's message)."""
    return ZohoError("INVALID_DATA", {"resource_path_index": PATH_INDEX})


def wrong_type(path: str, key: str, expected: str) -> ZohoError:
    return ZohoError("INVALID_DATA", at(path, key, expected_data_type=expected))


def check_object(item: Any, path: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"})
    return item


def check_name(item: Mapping[str, Any], path: str) -> str:
    value = item.get("name")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "name"))
    if not isinstance(value, str):
        raise wrong_type(path, "name", "string")
    if len(value.strip()) > NAME_MAX:
        raise ZohoError("INVALID_DATA", at(path, "name", maximum_length=NAME_MAX))
    return value.strip()


def check_description(item: Mapping[str, Any], path: str) -> str | None:
    value = item.get("description")
    if value is None:
        return None
    if not isinstance(value, str):
        raise wrong_type(path, "description", "string")
    if len(value) > DESCRIPTION_MAX:
        raise ZohoError("INVALID_DATA", at(path, "description", maximum_length=DESCRIPTION_MAX))
    return value


def check_active(item: Mapping[str, Any], path: str) -> bool:
    """A new rule is active unless it says ``"active": false``."""
    value = item.get("active", True)
    if value is None:
        return True
    if not isinstance(value, bool):
        raise wrong_type(path, "active", "boolean")
    return value


def check_score(entry: Mapping[str, Any], path: str) -> int:
    value = entry.get("score")
    if value is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "score"))
    if isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
        raise wrong_type(path, "score", "integer")
    return value


def check_list(item: Mapping[str, Any], path: str, key: str) -> list[Any] | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise wrong_type(path, key, "jsonarray")
    return value


def require_some_rule(field_rules: list[Any], signal_rules: list[Any], path: str) -> None:
    """A rule scores by field rules, signal rules or both: one of them, at least."""
    if not field_rules and not signal_rules:
        raise ZohoError(
            "EXPECTED_FIELD_MISSING",
            {"expected_fields": [at(path, "field_rules"), at(path, "signal_rules")]},
            Message.SPECIFY_ATLEAST_ONE,
        )


def check_signal(entry: Mapping[str, Any], path: str) -> dict[str, str]:
    signal = entry.get("signal")
    if signal is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "signal"))
    if not isinstance(signal, dict):
        raise wrong_type(path, "signal", "jsonobject")
    clean = {}
    for key in ("namespace", "id"):
        value = signal.get(key)
        if value in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", at(f"{path}.signal", key))
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise wrong_type(f"{path}.signal", key, "string")
        clean[key] = str(value)
    return clean


def entry_id(entry: Mapping[str, Any]) -> str | None:
    return normalize_id(entry.get("id")) if entry.get("id") not in (None, "") else None


def check_limit(count: int, limit: int, path: str, key: str) -> None:
    if count > limit:
        raise ZohoError("LIMIT_EXCEEDED", {**at(path, key), "limit": limit})


def clone_name(name: str, taken: set[str]) -> str:
    """A clone's name: the rule's with " copy" (a number after it when that is taken), within 25."""
    for n in range(1, 1000):
        suffix = " copy" if n == 1 else f" copy {n}"
        candidate = name[: NAME_MAX - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
    raise ZohoError("LIMIT_EXCEEDED", {"api_name": "name"})


# --- scores ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Score:
    positive: int
    negative: int


def score_of(met_scores: list[int]) -> Score:
    """What the field rules a record meets give it: the positive ones and the negative ones apart."""
    return Score(sum(s for s in met_scores if s > 0), sum(s for s in met_scores if s < 0))


def in_layout(rule: Mapping[str, Any], record_layout: str | None, default_layout: str) -> bool:
    """A layout's rule scores only that layout's records; a rule without one scores every record."""
    layout = rule.get("layout")
    if not layout:
        return True
    return str(layout["id"]) == str(record_layout or default_layout)


def recent(created_ms: int, modified_ms: int, now_ms: int) -> bool:
    return max(created_ms, modified_ms) >= now_ms - RECENT_MS


# --- reads -----------------------------------------------------------------------------------------
def listed(
    rules: list[Rule], *, module_id: str | None, layout_id: str | None, active: bool | None, name: str | None
) -> list[Rule]:
    """The rules the list's filters keep (``name``: the whole name, any case)."""
    return [
        r
        for r in rules
        if (module_id is None or r["module"]["id"] == module_id)
        and (layout_id is None or (r.get("layout") or {}).get("id") == layout_id)
        and (active is None or r["active"] is active)
        and (name is None or r["name"].casefold() == name.strip().casefold())
    ]
