"""Record locking: a module's locking configuration, a record's lock, and what a lock refuses.

Sources: OAS record_locking_configuration.json and record_locking.json; the v8 pages "Add / Update /
Delete Record Locking Configuration", "Lock Records", "Update Record Locking Information"; the
Kaizen posts #109 and #110 (the keys' meanings and values); tags_actions.json for the error a locked
record gives (RECORD_LOCKED "Sorry, you cannot perform this operation as the record is locked."
with ``{id, action}``). Plain functions: no HTTP, no SQL.

A module has at most one configuration (feature ``record_locking``). Its ``lock_type`` says whether
users lock records by hand (``manual``), rules lock them (``automatic``) or both. A lock refuses the
configuration's ``restricted_actions`` to everyone, or to everyone outside ``lock_excluded_profiles``
when ``locked_for`` is ``all_profiles_except_excluded_profile``; an update that only sets the
configuration's ``excluded_fields`` is let through.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from zcrm_emulator.errors import CATALOG, Message, ZohoError
from zcrm_emulator.validation import Key, Requires, Spec, at

ENVELOPE = "record_locking_configurations"
LOCK_ENVELOPE = "data"
FEATURE_TYPE = "record_locking"
LOCK_TYPES = ("manual", "automatic", "both")
MANUAL_TYPES = frozenset({"manual", "both"})
ALL_PROFILES = "all_profiles"
EXCEPT_EXCLUDED = "all_profiles_except_excluded_profile"
LOCKED_FOR = (ALL_PROFILES, EXCEPT_EXCLUDED)
RESTRICTED_ACTIONS = ("update", "delete", "tags", "change_owner")
RESTRICTED_COMMUNICATIONS = ("send_mail",)
DEFAULT_RESTRICTED = ("update",)  # "The Edit option is limited by default" (Kaizen #109)
RULES_MAX = 5  # "There can be up to five rules per module" (Kaizen #109)
REASON_MAX = 2000  # Locked_Reason__s is a textarea
IDS_MAX = 100

# Modules the v8 pages list; user-created custom modules too ("custom" generated type).
SUPPORTED_MODULES = frozenset(
    {
        "Leads",
        "Contacts",
        "Accounts",
        "Deals",
        "Quotes",
        "Sales_Orders",
        "Purchase_Orders",
        "Invoices",
        "Vendors",
        "Price_Books",
        "Cases",
        "Solutions",
        "Tasks",
        "Products",
    }
)

CREATED = "record locking configuration created successfully"
UPDATED = "record locking configuration updated successfully"
DELETED = "record locking configuration deleted successfully"  # the v8 Delete page sample
LOCKED = "record added"
LOCK_UPDATED = "relation updated"  # the v6-v8 "Update Record Locking Information" sample
UNLOCKED = "relation removed"  # the v6-v8 "Unlock Records" sample
# Both files give INVALID_DATA one message, capitalized, for every case (``file_messages``).
UNKNOWN_ID = Message.INVALID_DATA_CAPITAL

_NAMED = Spec(keys=(Key("id", type="id"), Key("api_name"), Key("name")))
_RULE = Spec(
    keys=(
        Key("id", type="id"),
        Key("name", max_length=50),  # name and criteria: mandatory for a new rule (``merge_rules``)
        Key("lock_existing_records", type="boolean"),
        Key("criteria", type="object"),
        Key("_delete", type="boolean"),
    )
)

SPEC = Spec(
    keys=(
        Key("lock_type", mandatory=True, choices=LOCK_TYPES),
        Key("feature_type", choices=(FEATURE_TYPE,)),
        Key("locked_for", choices=LOCKED_FOR),
        Key("lock_excluded_profiles", type="array", items=_NAMED),
        Key("excluded_fields", type="array", items=_NAMED),
        Key("restricted_actions", type="array", choices=RESTRICTED_ACTIONS),
        Key("restricted_communications", type="array", nullable=True, choices=RESTRICTED_COMMUNICATIONS),
        Key("restricted_custom_buttons", type="array", items=_NAMED),
        Key("lock_for_portal_users", type="boolean"),
        Key("locking_rules", type="array", max_items=RULES_MAX, items=_RULE),
        Key("system_defined", type="boolean"),
    ),
    rules=(
        Requires("lock_excluded_profiles", "locked_for", (EXCEPT_EXCLUDED,)),
        Requires("locking_rules", "lock_type", ("automatic", "both")),
    ),
)
CONFIG_ID = Spec(keys=(Key("id", type="id", mandatory=True, message=UNKNOWN_ID),))
LOCK_SPEC = Spec(keys=(Key("Locked_Reason__s", mandatory=True, max_length=REASON_MAX),))


@contextmanager
def file_messages() -> Iterator[None]:
    """INVALID_DATA raised inside with the files' message ("Invalid data") where the engine gives
    the catalogue's default one."""
    try:
        yield
    except ZohoError as error:
        if error.code == "INVALID_DATA" and error.message == CATALOG["INVALID_DATA"].message:
            error.message = str(Message.INVALID_DATA_CAPITAL)
        raise


def supported(api_name: str, generated_type: str) -> bool:
    return api_name in SUPPORTED_MODULES or generated_type == "custom"


# --- configurations --------------------------------------------------------------------------------


def new_configuration(config_id: str, stamp: Mapping[str, Any]) -> dict[str, Any]:
    """A configuration's wire object before its keys are set (the defaults of the UI)."""
    return {
        "id": config_id,
        "feature_type": FEATURE_TYPE,
        "lock_type": None,
        "locked_for": ALL_PROFILES,
        "lock_excluded_profiles": [],
        "excluded_fields": [],
        "restricted_actions": list(DEFAULT_RESTRICTED),
        "restricted_communications": [],
        "restricted_custom_buttons": [],
        "lock_for_portal_users": False,
        "locking_rules": [],
        "system_defined": False,
        "created_time": stamp["modified_time"],
        "created_by": stamp["modified_by"],
        **stamp,
    }


def resolve_profiles(
    given: Iterable[Mapping[str, Any]], profiles: Mapping[str, str], json_path: str
) -> list[dict[str, str]]:
    """``lock_excluded_profiles`` as ``{name, id}``; an id naming no profile is INVALID_DATA."""
    resolved: list[dict[str, str]] = []
    for index, profile in enumerate(given):
        profile_id = profile.get("id")
        if not isinstance(profile_id, str) or profile_id not in profiles:
            path = f"{json_path}.lock_excluded_profiles[{index}]"
            raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{path}.id"}, UNKNOWN_ID)
        resolved.append({"name": profiles[profile_id], "id": profile_id})
    return list({p["id"]: p for p in resolved}.values())


def resolve_fields(
    given: Iterable[Mapping[str, Any]], fields: Iterable[Mapping[str, Any]], json_path: str
) -> list[dict[str, str]]:
    """``excluded_fields`` named by ``api_name`` or ``id`` as ``{api_name, id}``; a field the module
    lacks is INVALID_DATA."""
    by_name = {f["api_name"]: f for f in fields}
    by_id = {str(f["id"]): f for f in by_name.values()}
    resolved = []
    for index, wanted in enumerate(given):
        found = by_id.get(str(wanted.get("id"))) if wanted.get("id") else by_name.get(str(wanted.get("api_name")))
        if found is None:
            path = f"{json_path}.excluded_fields[{index}]"
            key = "id" if wanted.get("id") else "api_name"
            raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": f"{path}.{key}"}, UNKNOWN_ID)
        resolved.append({"api_name": found["api_name"], "id": str(found["id"])})
    return list({f["id"]: f for f in resolved}.values())


def check_custom_buttons(given: list[Any], json_path: str) -> None:
    """The org has no custom buttons: any one named is an unknown id."""
    if given:
        path = f"{json_path}.restricted_custom_buttons[0]"
        raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{path}.id"}, UNKNOWN_ID)


def merge_rules(
    stored: list[dict[str, Any]], given: list[dict[str, Any]], new_ids: list[str], json_path: str
) -> list[dict[str, Any]]:
    """Locking rules after an update: a rule with an ``id`` changes (or goes, with ``_delete``), one
    without is added with one of ``new_ids``; the result holds at most RULES_MAX."""
    rules = {r["id"]: dict(r) for r in stored}
    fresh = iter(new_ids)
    for index, rule in enumerate(given):
        rule_id = rule.get("id")
        if rule_id is not None:
            if rule_id not in rules:
                path = f"{json_path}.locking_rules[{index}]"
                raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{path}.id"}, UNKNOWN_ID)
            if rule.get("_delete"):
                del rules[rule_id]
            else:
                rules[rule_id].update(_rule_values(rule))
            continue
        for key in ("name", "criteria"):
            if rule.get(key) is None:
                raise ZohoError("MANDATORY_NOT_FOUND", at(f"{json_path}.locking_rules[{index}]", key))
        new_id = next(fresh)
        rules[new_id] = {"id": new_id, "lock_existing_records": False, **_rule_values(rule)}
    merged = list(rules.values())
    if len(merged) > RULES_MAX:
        raise ZohoError("LIMIT_EXCEEDED", at(json_path, "locking_rules", limit=RULES_MAX))
    return merged


def _rule_values(rule: Mapping[str, Any]) -> dict[str, Any]:
    return {k: rule[k] for k in ("name", "lock_existing_records", "criteria") if k in rule}


SETTABLE = ("lock_type", "locked_for", "restricted_actions", "restricted_communications", "lock_for_portal_users")


def apply_changes(config: Mapping[str, Any], clean: Mapping[str, Any], resolved: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration with an item's validated keys and resolved references applied."""
    changes = {k: clean[k] for k in SETTABLE if k in clean}
    if changes.get("restricted_communications", []) is None:
        changes["restricted_communications"] = []
    out = {**config, **changes, **resolved}
    if out.get("locked_for") == ALL_PROFILES:
        out["lock_excluded_profiles"] = []
    return out


def limit_reached(json_path: str) -> ZohoError:
    """A second configuration for a module: one per module (Limit_Exceeded_1 of the OAS)."""
    return ZohoError("LIMIT_EXCEEDED", {"api_name": ENVELOPE, "json_path": json_path, "limit": 1, "available_limit": 0})


# --- locks -----------------------------------------------------------------------------------------


def new_lock(
    lock_id: str,
    record: Mapping[str, Any],
    config_id: str,
    reason: str,
    stamp: Mapping[str, Any],
) -> dict[str, Any]:
    """A Locking_Information__s record: who locked which record why, under which configuration.
    ``record``: ``{name, id, module: {api_name, id}}``; ``stamp``: ``{user, time}``."""
    return {
        "id": lock_id,
        "name": record["name"],
        "locked_for_s": {k: v for k, v in record.items() if v is not None},
        "locked_reason__s": reason,
        "lock_source__s": "Manual",
        "locked_by__s": stamp["user"],
        "Locked_time__s": stamp["time"],
        "record_locking_configuration_id__s": config_id,
        "record_locking_rule_id__s": None,
        "Created_By": stamp["user"],
        "Created_Time": stamp["time"],
        "Modified_By": stamp["user"],
        "Modified_Time": stamp["time"],
    }


def relock(lock: Mapping[str, Any], reason: str, stamp: Mapping[str, Any]) -> dict[str, Any]:
    return {**lock, "locked_reason__s": reason, "Modified_By": stamp["user"], "Modified_Time": stamp["time"]}


def wire_lock(lock: Mapping[str, Any], fields: list[str] | None) -> dict[str, Any]:
    """The lock as the API shows it: its ids as numbers (the OAS types them int64), ``fields`` only
    (with ``id``) when asked."""
    shown = dict(lock)
    for key in ("id", "record_locking_configuration_id__s", "record_locking_rule_id__s"):
        if shown.get(key) is not None:
            shown[key] = int(shown[key])
    if fields is None:
        return {k: v for k, v in shown.items() if v is not None}
    wanted = {name.casefold() for name in fields} | {"id"}
    return {k: v for k, v in shown.items() if k.casefold() in wanted and v is not None}


def lock_details(lock: Mapping[str, Any]) -> dict[str, Any]:
    """A lock write's success details: its id and stamps (the v8 "Lock Records" sample)."""
    return {
        "id": lock["id"],
        "Created_Time": lock["Created_Time"],
        "Created_By": lock["Created_By"],
        "Modified_Time": lock["Modified_Time"],
        "Modified_By": lock["Modified_By"],
    }


def check_manual(config: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Only a module whose configuration allows manual locking takes a lock by hand."""
    if config is None or config.get("lock_type") not in MANUAL_TYPES:
        raise ZohoError("INVALID_MODULE", {})
    return config


# --- what a lock refuses ---------------------------------------------------------------------------


def refused_action(
    config: Mapping[str, Any], action: str, profile_id: str | None, changed: Iterable[str] = ()
) -> str | None:
    """The action a lock under ``config`` refuses a caller of ``profile_id``, or None. An update is
    refused as ``update`` unless it sets only the configuration's ``excluded_fields``, and as
    ``change_owner`` when it sets ``Owner`` and that action is restricted."""
    restricted = set(config.get("restricted_actions") or ())
    if config.get("locked_for") == EXCEPT_EXCLUDED and any(
        p.get("id") == profile_id for p in config.get("lock_excluded_profiles") or ()
    ):
        return None
    if action != "update":
        return action if action in restricted else None
    names = set(changed) - {"id"}
    if "Owner" in names and "change_owner" in restricted:
        return "change_owner"
    free = {f.get("api_name") for f in config.get("excluded_fields") or ()}
    if "update" in restricted and not (names and names <= free):
        return "update"
    return None


def locked_error(record_id: str, action: str) -> ZohoError:
    return ZohoError("RECORD_LOCKED", {"id": record_id, "action": action})
