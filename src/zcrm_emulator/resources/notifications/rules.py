"""The Notification API's rules (``/actions/watch``): a channel's keys, its events, its expiry, field
conditions, and the callback Zoho POSTs to ``notify_url``. Plain functions over plain data.

Sources: AUTOMATION.md §5 (OASx createNotifications, Doc7 enable / get-details / update-info /
specific-disable, real captures in 3P:amp), REFERENCE §5, notifications.json. The choices where they
disagree or say nothing are in docs/decisions.md ("Automation").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from zcrm_emulator.api_paths import VERSIONS
from zcrm_emulator.clock import iso
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.notifications.criteria import WatchedModule
from zcrm_emulator.validation import LONG, Invalid, Key, Spec, TypeCheck, at, register_type

ENVELOPE = "watch"
CHANNELS_MAX = 50  # channels in one enable call
EVENTS_MAX = 50
CHANNEL_ID_MAX = 64  # OASx: channel_id is a string of at most 64 characters
NOTIFY_URL_MAX = 255
TOKEN_MAX = 50  # Doc7: "The maximum character length is 50" (OASx says 256; decisions.md §9 #8)
FIELDS_MAX = 100

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
WEEK_MS = 7 * DAY_MS
DEFAULT_LIFETIME_MS = HOUR_MS  # an absent expiry, or one beyond the cap
WEEK_CAP_SINCE = "v4"  # v2 to v3 cap a channel at one day, v4 and later at one week

# Modules a channel may watch (the v8 "Enable Notifications" page), by api name; custom modules too.
WATCHABLE_MODULES = frozenset(
    {
        "Leads",
        "Accounts",
        "Contacts",
        "Deals",
        "Campaigns",
        "Tasks",
        "Cases",
        "Events",  # Meetings
        "Calls",
        "Solutions",
        "Products",
        "Vendors",
        "Price_Books",
        "Quotes",
        "Sales_Orders",
        "Purchase_Orders",
        "Invoices",
        "Appointments__s",
        "Services__s",
    }
)

# A module's events as GET lists them (Doc7 get-details: "Deals.all" reads back edit, create, delete).
OPERATIONS = ("edit", "create", "delete")
ALL = "all"
# A record change's action -> the event a channel subscribes to, and the callback's ``operation``.
EVENT_OF_ACTION = {"insert": "create", "update": "edit", "delete": "delete"}
# What Zoho lists as affected by a delete, and their values (3P:amp, a real capture).
DELETE_FIELDS = ("Modified_By", "Record_Status__s")
DELETED_RECORD_STATUS = 0

SUBSCRIBED = "Successfully subscribed for actions-watch of the given module"
UPDATED = "Successfully updated the subscribe details"
REMOVED = "Successfully removed the subscribe details"
UNSUBSCRIBED = "Successfully un-subscribed from actions-watch"


def _channel_id(value: Any) -> str:
    """A channel id as the docs (a long) or the OAS (a string) type it; kept as a string."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= LONG[1]:
        return str(value)
    raise Invalid


register_type("channel_id", TypeCheck("text", _channel_id))

# Enable, replace and patch: ``notify_url`` is checked apart (its MANDATORY_NOT_FOUND has no json_path).
CHANNEL = Spec(
    keys=(
        Key("channel_id", type="channel_id", mandatory=True, min_length=1, max_length=CHANNEL_ID_MAX),
        Key("events", type="array", mandatory=True, max_items=EVENTS_MAX),
        Key("notify_url", type="url", max_length=NOTIFY_URL_MAX),
        Key("token", nullable=True, max_length=TOKEN_MAX),
        Key("channel_expiry", type="any", nullable=True),  # checked by expiry_ms
        Key("return_affected_field_values", type="boolean", nullable=True),
        Key("notify_on_related_action", type="boolean", nullable=True),
        Key("notification_condition", type="array", nullable=True),
        Key("fields", type="array", nullable=True, max_items=FIELDS_MAX),
        Key("_delete_events", type="boolean", nullable=True),
    )
)
# The keys a PATCH may change besides the events (those it does not send stay as they were).
PATCHABLE = (
    "notify_url",
    "token",
    "return_affected_field_values",
    "notify_on_related_action",
    "notification_condition",
    "fields",
)


def require_notify_url(clean: Mapping[str, Any]) -> None:
    """Enable and replace need ``notify_url``: MANDATORY_NOT_FOUND ``{"api_name":"notify_url"}``."""
    if not clean.get("notify_url"):
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "notify_url"})


# --- events ---------------------------------------------------------------------------------------


def _bad_events() -> ZohoError:
    return ZohoError("INVALID_DATA", {"api_name": "events"})


def parse_events(events: Sequence[Any]) -> dict[str, set[str]]:
    """``["Deals.all", "Leads.create"]`` -> ``{"Deals": {edit, create, delete}, "Leads": {create}}``
    in first-seen order; INVALID_DATA ``{"api_name":"events"}`` for anything else."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if not isinstance(event, str):
            raise _bad_events()
        module, dot, operation = event.rpartition(".")
        if not dot or not module or operation not in (*OPERATIONS, ALL):
            raise _bad_events()
        wanted.setdefault(module, set()).update(OPERATIONS if operation == ALL else (operation,))
    return wanted


def check_watchable(api_name: str, generated_type: str | None, api_supported: bool) -> None:
    """A module of the supported list, or a custom one: else INVALID_DATA on ``events``."""
    if not api_supported or (api_name not in WATCHABLE_MODULES and generated_type != "custom"):
        raise _bad_events()


def event_names(module: str, operations: Iterable[str]) -> list[str]:
    """A module's stored operations as GET lists them: ``["Deals.edit", "Deals.create"]``."""
    held = set(operations)
    return [f"{module}.{operation}" for operation in OPERATIONS if operation in held]


# --- expiry ---------------------------------------------------------------------------------------


def _moment_ms(value: Any) -> int | None:
    """Epoch ms of an ISO datetime with an offset (or ``Z``); None otherwise."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return int(moment.timestamp() * 1000) if moment.tzinfo is not None else None


def expiry_ms(requested: Any, now_ms: int, version: str, json_path: str) -> int:
    """When a channel dies: the requested moment, or one hour from now when none is given or it lies
    beyond the version's cap (not an error). A malformed or past moment is INVALID_DATA."""
    if requested is None:
        return now_ms + DEFAULT_LIFETIME_MS
    moment = _moment_ms(requested)
    if moment is None:
        raise ZohoError("INVALID_DATA", at(json_path, "channel_expiry", expected_data_type="datetime"))
    if moment <= now_ms:
        raise ZohoError("INVALID_DATA", at(json_path, "channel_expiry"))
    cap = WEEK_MS if VERSIONS.index(version) >= VERSIONS.index(WEEK_CAP_SINCE) else DAY_MS
    return moment if moment - now_ms <= cap else now_ms + DEFAULT_LIFETIME_MS


# --- fields ---------------------------------------------------------------------------------------


def check_fields(
    raw: Sequence[Any] | None, json_path: str, watched: Mapping[str, WatchedModule]
) -> dict[str, list[str]]:
    """``fields``: api names of fields of the channel's modules (each module's row echoes its own);
    INVALID_DATA at ``$.watch[i].fields[j]`` for anything else. Zoho documents no effect of it."""
    by_module: dict[str, list[str]] = {}
    for index, name in enumerate(raw or ()):
        owners = [m.api_name for m in watched.values() if isinstance(name, str) and name in m.fields]
        if not owners:
            raise ZohoError("INVALID_DATA", {"api_name": "fields", "json_path": f"{json_path}.fields[{index}]"})
        for owner in owners:
            by_module.setdefault(owner, []).append(name)
    return by_module


# --- stored settings and what the API shows of them ----------------------------------------------


def settings_for(
    module: WatchedModule,
    operations: Iterable[str],
    clean: Mapping[str, Any],
    conditions: Mapping[str, list[dict[str, Any]]],
    fields: Mapping[str, list[str]],
) -> dict[str, Any]:
    """One module's stored settings from a checked enable or replace item (defaults where absent)."""
    return {
        "module": module.api_name,
        "events": [operation for operation in OPERATIONS if operation in set(operations)],
        "notify_url": clean["notify_url"],
        "token": clean.get("token"),
        "return_affected_field_values": bool(clean.get("return_affected_field_values")),
        "notify_on_related_action": clean.get("notify_on_related_action") is not False,
        "notification_condition": conditions.get(module.api_name),
        "fields": fields.get(module.api_name),
    }


def for_new_module(channel: Mapping[str, Any]) -> dict[str, Any]:
    """What a PATCH starts from for a module new to the channel: the channel's settings (another
    module's row), without that module's events, condition or fields."""
    return {**channel, "events": [], "notification_condition": None, "fields": None}


def patched(
    stored: Mapping[str, Any],
    module: WatchedModule,
    operations: Iterable[str],
    clean: Mapping[str, Any],
    conditions: Mapping[str, list[dict[str, Any]]],
    fields: Mapping[str, list[str]],
) -> dict[str, Any]:
    """A module's settings after a PATCH: its events gain the ones given, the keys sent replace
    theirs (a sent ``notification_condition`` or ``fields`` that leaves this module out clears it),
    the rest stays."""
    data = {**stored, "module": module.api_name}
    held = set(stored.get("events") or ()) | set(operations)
    data["events"] = [operation for operation in OPERATIONS if operation in held]
    for key in PATCHABLE:
        if key not in clean:
            continue
        if key == "notification_condition":
            data[key] = conditions.get(module.api_name)
        elif key == "fields":
            data[key] = fields.get(module.api_name)
        elif key in ("return_affected_field_values", "notify_on_related_action"):
            data[key] = clean[key] if clean[key] is not None else key == "notify_on_related_action"
        elif clean[key] is not None or key == "token":
            data[key] = clean[key]
    return data


def resource_uri(base_url: str, module: str) -> str:
    """The module's URI on the emulator itself, with the ``v2`` every Zoho sample writes."""
    return f"{base_url}/crm/v2/{module}"


@dataclass(frozen=True)
class Shown:
    """How one (channel, module) row is put on the wire: its URI base and the reader's time zone."""

    base_url: str
    tz: str

    def expiry(self, expiry_ms: int) -> str:
        return iso(expiry_ms, self.tz)

    def event(self, channel_id: str, module: str, module_id: str, expiry_ms: int | None) -> dict[str, Any]:
        """One ``details.events`` entry; a removal's entries carry no expiry (Doc7 specific-disable)."""
        entry: dict[str, Any] = {} if expiry_ms is None else {"channel_expiry": self.expiry(expiry_ms)}
        entry.update(
            resource_uri=resource_uri(self.base_url, module),
            resource_id=module_id,
            resource_name=module,
            channel_id=channel_id,
        )
        return entry

    def unsubscribed(self, channel_id: str, module: str, module_id: str) -> dict[str, Any]:
        """A disable's ``details`` (Zoho's example: no name, no expiry)."""
        return {"resource_uri": resource_uri(self.base_url, module), "resource_id": module_id, "channel_id": channel_id}

    def row(self, channel_id: str, module_id: str, expiry_ms: int, data: Mapping[str, Any]) -> dict[str, Any]:
        """One GET row, in the key order of Zoho's get-details example."""
        module = str(data["module"])
        return {
            "notify_on_related_action": data["notify_on_related_action"],
            "channel_expiry": self.expiry(expiry_ms),
            "return_affected_field_values": data["return_affected_field_values"],
            "resource_uri": resource_uri(self.base_url, module),
            "resource_id": module_id,
            "notify_url": data["notify_url"],
            "resource_name": module,
            "fields": data.get("fields"),
            "notification_condition": data.get("notification_condition"),
            "channel_id": channel_id,
            "events": event_names(module, data["events"]),
            "token": data.get("token"),
        }


# --- the callback ---------------------------------------------------------------------------------


def query_params(notify_url: str) -> dict[str, str]:
    """The notify URL's own query string, as the callback's ``query_params``."""
    return dict(parse_qsl(urlsplit(notify_url).query, keep_blank_values=True))


@dataclass(frozen=True)
class Affected:
    """One record of a callback: its id, the fields the write changed, and their values (rendered,
    only when the channel asks for them)."""

    record_id: str
    fields: tuple[str, ...]
    values: Mapping[str, Any] | None = None


def callback_body(
    *,
    server_time: int,
    base_url: str,
    module: str,
    action: str,
    channel_id: str,
    data: Mapping[str, Any],
    records: Sequence[Affected],
) -> dict[str, Any]:
    """What Zoho POSTs to a channel's ``notify_url`` for one write call's records of one action
    (``insert``, ``update`` or ``delete``; several ids when the call wrote several)."""
    body: dict[str, Any] = {"server_time": server_time}
    if data["return_affected_field_values"]:
        body["affected_values"] = [
            {"record_id": record.record_id, "values": dict(record.values or {})}
            for record in records
            if action != "insert"
        ]
    body.update(
        query_params=query_params(str(data["notify_url"])),
        module=module,
        resource_uri=resource_uri(base_url, module),
        ids=[record.record_id for record in records],
        affected_fields=[] if action == "insert" else [{r.record_id: list(r.fields)} for r in records],
        operation=action,
        channel_id=channel_id,
        token=data.get("token"),
    )
    return body
