"""The steps of the Notification API's operations on the caller's connection (rules in rules.py, SQL
in repo.py), and the callbacks a committed record write owes the channels watching its module."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import batch, record_model
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.events import RecordChange, RecordEvent
from zcrm_emulator.memo import Memo
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.notifications import criteria, repo, rules
from zcrm_emulator.resources.notifications.repo import Watch


@dataclass(frozen=True)
class WatchContext:
    """Whose channels a call works on, when, under which version, and how rows are shown."""

    org_id: str
    user_id: str
    now_ms: int
    version: str
    shown: rules.Shown


def context(org_id: str, user: Mapping[str, Any], now_ms: int, version: str, base_url: str) -> WatchContext:
    """The caller's context: rows are shown in the caller's time zone."""
    return WatchContext(org_id, str(user["id"]), now_ms, version, rules.Shown(base_url, user.get("time_zone") or "UTC"))


def clear_dead(conn: Connection, ctx: WatchContext) -> None:
    """A write call first drops the caller's expired rows: a channel re-enabled after it died
    starts afresh."""
    repo.remove_dead(conn, ctx.org_id, ctx.user_id, ctx.now_ms)


# --- checking a channel item ----------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A channel item whose keys, events, conditions and fields were checked."""

    clean: dict[str, Any]
    channel_id: str
    wanted: dict[str, set[str]]  # module api name -> operations
    watched: dict[str, criteria.WatchedModule]
    conditions: dict[str, list[dict[str, Any]]]
    fields: dict[str, list[str]]


def _watched(conn: Connection, org_id: str, names: Sequence[str]) -> dict[str, criteria.WatchedModule]:
    """The modules the events name, with their fields: INVALID_DATA on ``events`` for an unknown or
    unsupported one."""
    watched = {}
    for name in names:
        module = modules_repo.find(conn, org_id, name)
        if module is None or module.api_name != name:
            raise ZohoError("INVALID_DATA", {"api_name": "events"})
        rules.check_watchable(module.api_name, module.generated_type, module.api_supported)
        field_ids = {f["api_name"]: str(f["id"]) for f in fields_repo.list_fields(conn, module.id)}
        watched[name] = criteria.WatchedModule(module.api_name, module.id, field_ids)
    return watched


def check_item(conn: Connection, ctx: WatchContext, item: Any, json_path: str) -> Checked:
    clean = rules.CHANNEL.check(item, json_path)
    wanted = rules.parse_events(clean["events"])
    watched = _watched(conn, ctx.org_id, list(wanted))
    conditions = criteria.check_conditions(clean.get("notification_condition"), json_path, watched)
    fields = rules.check_fields(clean.get("fields"), json_path, watched)
    return Checked(clean, clean["channel_id"], wanted, watched, conditions, fields)


def _live_rows(conn: Connection, ctx: WatchContext, channel_id: str) -> list[Watch]:
    """The caller's live rows of a channel: NOT_SUBSCRIBED when it has none."""
    rows = repo.of_user(conn, ctx.org_id, ctx.user_id, ctx.now_ms, channel_ids=[channel_id])
    if not rows:
        raise ZohoError("NOT_SUBSCRIBED", {"channel_id": channel_id})
    return rows


def _events_detail(ctx: WatchContext, checked: Checked, expiry: Mapping[str, int | None]) -> dict[str, Any]:
    return {
        "events": [
            ctx.shown.event(checked.channel_id, module.api_name, module.id, expiry[module.api_name])
            for module in checked.watched.values()
        ]
    }


# --- enable, replace, patch, remove events, disable, list -----------------------------------------


def _subscribe(conn: Connection, ctx: WatchContext, checked: Checked, json_path: str) -> dict[str, Any]:
    """Store each module of a checked enable or replace item with fresh settings."""
    rules.require_notify_url(checked.clean)
    expiry = rules.expiry_ms(checked.clean.get("channel_expiry"), ctx.now_ms, ctx.version, json_path)
    for name, module in checked.watched.items():
        data = rules.settings_for(module, checked.wanted[name], checked.clean, checked.conditions, checked.fields)
        repo.save(
            conn, ctx.org_id, ctx.user_id, checked.channel_id, module.id, expiry_ms=expiry, data=data, now_ms=ctx.now_ms
        )
    return _events_detail(ctx, checked, dict.fromkeys(checked.watched, expiry))


def enable(conn: Connection, ctx: WatchContext, item: Any, json_path: str) -> tuple[str, dict[str, Any]]:
    """POST: subscribe the channel to the modules of its events (a module it already watches is
    set afresh; its other modules stay)."""
    checked = check_item(conn, ctx, item, json_path)
    return rules.SUBSCRIBED, _subscribe(conn, ctx, checked, json_path)


def replace_channel(conn: Connection, ctx: WatchContext, item: Any, json_path: str) -> tuple[str, dict[str, Any]]:
    """PUT: the channel becomes exactly what the item says; modules it leaves out are dropped and
    keys it leaves out take their defaults (Doc7 update-details: "rest of the details would be removed")."""
    checked = check_item(conn, ctx, item, json_path)
    rows = _live_rows(conn, ctx, checked.channel_id)
    kept = {module.id for module in checked.watched.values()}
    details = _subscribe(conn, ctx, checked, json_path)
    repo.remove(conn, [row.id for row in rows if row.module_id not in kept])
    return rules.SUBSCRIBED, details


def patch(conn: Connection, ctx: WatchContext, item: Any, json_path: str) -> tuple[str, dict[str, Any]]:
    """PATCH: with ``"_delete_events": true`` drop the events listed; otherwise add the events given
    and change only the keys sent (Doc7 update-info: "rest of the details will not be removed")."""
    checked = check_item(conn, ctx, item, json_path)
    rows = _live_rows(conn, ctx, checked.channel_id)
    if checked.clean.get("_delete_events") is True:
        return rules.REMOVED, _remove_events(conn, ctx, checked, rows)
    by_module = {row.module_id: row for row in rows}
    requested = checked.clean.get("channel_expiry")
    new_expiry = None if requested is None else rules.expiry_ms(requested, ctx.now_ms, ctx.version, json_path)
    expiry: dict[str, int | None] = {}
    for name, module in checked.watched.items():
        row = by_module.get(module.id)
        # A module new to the channel starts from the channel's settings, with no events of its own.
        stored = row.data if row is not None else rules.for_new_module(rows[0].data)
        data = rules.patched(stored, module, checked.wanted[name], checked.clean, checked.conditions, checked.fields)
        until = new_expiry if new_expiry is not None else (row or rows[0]).expiry_ms
        expiry[name] = until
        repo.save(
            conn, ctx.org_id, ctx.user_id, checked.channel_id, module.id, expiry_ms=until, data=data, now_ms=ctx.now_ms
        )
    return rules.UPDATED, _events_detail(ctx, checked, expiry)


def _remove_events(conn: Connection, ctx: WatchContext, checked: Checked, rows: list[Watch]) -> dict[str, Any]:
    """Drop the listed events from the channel's modules; a module left with none is unsubscribed.
    NOT_SUBSCRIBED when the channel watches none of the modules named."""
    by_module = {row.module_id: row for row in rows}
    touched = []
    for name, module in checked.watched.items():
        row = by_module.get(module.id)
        if row is None:
            continue
        left = [operation for operation in row.data["events"] if operation not in checked.wanted[name]]
        if left:
            repo.save(
                conn,
                ctx.org_id,
                ctx.user_id,
                checked.channel_id,
                module.id,
                expiry_ms=row.expiry_ms,
                data={**row.data, "events": left},
                now_ms=ctx.now_ms,
            )
        else:
            repo.remove(conn, [row.id])
        touched.append(ctx.shown.event(checked.channel_id, module.api_name, module.id, None))
    if not touched:
        raise ZohoError("NOT_SUBSCRIBED", {"channel_id": checked.channel_id})
    return {"events": touched}


def disable(conn: Connection, ctx: WatchContext, channel_ids: Sequence[str]) -> list[batch.Item]:
    """DELETE ?channel_ids=: one result per (channel, module) unsubscribed, NOT_SUBSCRIBED for a
    channel with no live module."""
    results: list[batch.Item] = []
    for channel_id in channel_ids:
        rows = repo.of_user(conn, ctx.org_id, ctx.user_id, ctx.now_ms, channel_ids=[channel_id])
        if not rows:
            results.append(batch.failure(ZohoError("NOT_SUBSCRIBED", {"channel_id": channel_id})))
            continue
        repo.remove(conn, [row.id for row in rows])
        results += [
            batch.success(rules.UNSUBSCRIBED, ctx.shown.unsubscribed(channel_id, row.data["module"], row.module_id))
            for row in rows
        ]
    return results


def listing(
    conn: Connection, ctx: WatchContext, module_name: str | None, channel_id: str | None
) -> list[dict[str, Any]]:
    """GET: the caller's live rows, of one module or channel when asked (INVALID_MODULE for a module
    that does not exist)."""
    module_id = None
    if module_name is not None:
        module = modules_repo.find_by_name(conn, ctx.org_id, module_name)
        if module is None:
            raise ZohoError("INVALID_MODULE", {"api_name": "module"})
        module_id = module.id
    channels = None if channel_id is None else [channel_id]
    rows = repo.of_user(conn, ctx.org_id, ctx.user_id, ctx.now_ms, channel_ids=channels, module_id=module_id)
    return [ctx.shown.row(row.channel_id, row.module_id, row.expiry_ms, row.data) for row in rows]


# --- callbacks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Callback:
    """One POST owed to a channel: where, what, and for which records."""

    channel_id: str
    notify_url: str
    action: str
    ids: tuple[str, ...]
    body: dict[str, Any]


def _by_action(event: RecordEvent) -> dict[str, list[RecordChange]]:
    """The event's records grouped by what happened to them (an upsert both inserts and updates);
    restores call nothing back (the watch events are create, edit and delete)."""
    groups: dict[str, list[RecordChange]] = {}
    for change in event.changes:
        if change.action in rules.EVENT_OF_ACTION:
            groups.setdefault(change.action, []).append(change)
    return groups


def may_call_back(conn: Connection, event: RecordEvent, now_ms: int) -> bool:
    """Whether the event can owe any callback: it holds an insert, update or delete, and a live row
    watches its module (one indexed lookup: most writes have no channel watching)."""
    return bool(_by_action(event)) and repo.anyone_watching(conn, event.org_id, event.module_id, now_ms)


def watched_now(conn: Connection, event: RecordEvent, now_ms: int) -> list[Watch]:
    """The live rows watching the event's module (any user's)."""
    return repo.watching(conn, event.org_id, event.module_id, now_ms)


class _Values:
    """Renders the values of affected fields for the channels that ask for them, in the time zone
    of each channel's user; the module's metadata is loaded once per event, when first needed."""

    def __init__(self, conn: Connection, event: RecordEvent, now_ms: int, memo: Memo) -> None:
        self.conn, self.event, self.now_ms, self.memo = conn, event, now_ms, memo
        self._meta: record_model.ModuleMeta | None = None

    @property
    def meta(self) -> record_model.ModuleMeta:
        if self._meta is None:
            self._meta = record_model.load_module(
                self.conn, self.event.org_id, self.event.module, self.now_ms, self.memo
            )
        return self._meta

    def updated(self, user_id: str, changes: Sequence[RecordChange]) -> dict[str, dict[str, Any]]:
        """Each updated record's changed fields as GET would show them, as the write left them."""
        stored = record_model.get_records(self.conn, self.meta.id, [c.record_id for c in changes], live=False)
        rows = []
        for change in changes:
            row = stored.get(change.record_id)
            if row is not None:
                after = {k: v for k, v in change.after.items() if k != "Owner"}
                rows.append((change, replace(row, data=after, owner_id=change.after.get("Owner") or row.owner_id)))
        names = record_model.lookup_names(self.conn, self.event.org_id, self.meta, [row for _, row in rows])
        reader = record_model.caller(self.conn, self.event.org_id, user_id, self.memo).reader(names)
        return {
            change.record_id: {
                name: value
                for name, value in record_model.listed_record(self.meta, row, change.fields, reader).items()
                if name in change.fields
            }
            for change, row in rows
        }

    def deleted(self, user_id: str) -> dict[str, Any]:
        reader = record_model.caller(self.conn, self.event.org_id, user_id, self.memo).reader()
        return {"Modified_By": reader.user(self.event.actor), "Record_Status__s": rules.DELETED_RECORD_STATUS}


def _affected(watch: Watch, action: str, changes: Sequence[RecordChange], values: _Values) -> list[rules.Affected]:
    wants_values = bool(watch.data["return_affected_field_values"])
    if action == "insert":
        return [rules.Affected(change.record_id, ()) for change in changes]
    if action == "delete":
        shown = values.deleted(watch.user_id) if wants_values else None
        return [rules.Affected(change.record_id, rules.DELETE_FIELDS, shown) for change in changes]
    rendered = values.updated(watch.user_id, changes) if wants_values else {}
    return [
        rules.Affected(change.record_id, tuple(change.fields), rendered.get(change.record_id, {})) for change in changes
    ]


def callbacks_for(
    conn: Connection, event: RecordEvent, watches: Sequence[Watch], now_ms: int, base_url: str, memo: Memo
) -> list[Callback]:
    """What each watching channel is owed for one committed write call: one callback per channel
    and action, naming every record of the call it covers; an edit only when the module's field
    conditions are met. The record API's ``trigger`` list is not consulted (decisions.md, §9 #11)."""
    groups = _by_action(event)
    values = _Values(conn, event, now_ms, memo)
    owed = []
    for watch in watches:
        for action, changes in groups.items():
            if rules.EVENT_OF_ACTION[action] not in watch.data["events"]:
                continue
            if action == "update":
                conditions = watch.data.get("notification_condition")
                changes = [change for change in changes if criteria.edit_notifies(conditions, change.fields)]
            if not changes:
                continue
            body = rules.callback_body(
                server_time=now_ms,
                base_url=base_url,
                module=event.module,
                action=action,
                channel_id=watch.channel_id,
                data=watch.data,
                records=_affected(watch, action, changes, values),
            )
            ids = tuple(change.record_id for change in changes)
            owed.append(Callback(watch.channel_id, str(watch.data["notify_url"]), action, ids, body))
    return owed
