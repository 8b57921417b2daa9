"""Converting leads, on the caller's connection: one lead into a Contact, an Account and an optional
Deal; the options read that shows which existing records a lead matches; a mass convert job.

Every record write goes through ``zcrm_emulator.record_model`` (insert, update), so each write puts
its own record event in the outbox: the new Account, Contact and Deal (one ``create`` event each),
a matched Contact tied to the Account, the lead's notes moved to the Contact, tags carried over, the
lead's activities moved, and the lead marked converted (``update`` events). Attachments are not
records: they change parent without an event. A conversion refused half-way is undone by the savepoint its caller
runs it in (``batch.attempt``), so nothing of it is left behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any, cast

from sqlalchemy import Connection

from zcrm_emulator import batch, ids, record_model
from zcrm_emulator.clock import iso
from zcrm_emulator.errors import ErrorCode, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.memo import Memo
from zcrm_emulator.record_model import Caller, ModuleMeta, RecordRow
from zcrm_emulator.resources.layouts import repo as layouts_repo
from zcrm_emulator.resources.lead_conversion import repo, rules
from zcrm_emulator.resources.lead_conversion.rules import ACCOUNTS, CONTACTS, DEALS, LEADS, NOTES, Request


@dataclass(frozen=True)
class Context:
    """One call's conversion work: its connection, caller, moment, cause and the four modules
    (Notes when the org has it)."""

    conn: Connection
    org_id: str
    who: Caller
    now_ms: int
    cause: Cause
    leads: ModuleMeta
    contacts: ModuleMeta
    accounts: ModuleMeta
    deals: ModuleMeta
    notes: ModuleMeta | None
    activities: Mapping[str, ModuleMeta] = default(default_factory=dict)  # Tasks, Events, Calls

    def meta(self, api_name: str) -> ModuleMeta:
        return {LEADS: self.leads, CONTACTS: self.contacts, ACCOUNTS: self.accounts, DEALS: self.deals}[api_name]

    def target(self, ref: rules.ModuleRef, names: Sequence[str]) -> str:
        """The module among ``names`` a request's module reference means (INVALID_DATA at it when
        none: an unknown name or id, or the two naming different modules)."""
        for name in names:
            meta = self.activities[name] if name in self.activities else self.meta(name)
            by_name = ref.api_name is None or ref.api_name == meta.api_name
            if by_name and (ref.id is None or ref.id == meta.id):
                return name
        raise ZohoError("INVALID_DATA", dict(ref.where))


def context(
    conn: Connection, org_id: str, user_id: str, now_ms: int, memo: Memo | None, cause: Cause, *, action: str
) -> Context:
    """The modules a conversion touches, once the caller may ``action`` leads (``update`` to
    convert: the lead is changed and Contacts and Accounts are created; ``read`` for the options)."""

    def load(name: str) -> ModuleMeta:
        return record_model.load_module(conn, org_id, name, now_ms, memo)

    leads = load(LEADS)
    who = record_model.caller(conn, org_id, user_id, memo)
    record_model.check_access(who, leads, action)
    try:
        notes: ModuleMeta | None = load(NOTES)
    except ZohoError:  # an org without a Notes module keeps notes nowhere
        notes = None
    activities: dict[str, ModuleMeta] = {}
    for name in rules.ACTIVITIES if action != "read" else ():
        try:
            activities[name] = load(name)
        except ZohoError:  # an org without the module has no such activities to carry
            continue
    found = Context(
        conn, org_id, who, now_ms, cause, leads, load(CONTACTS), load(ACCOUNTS), load(DEALS), notes, activities
    )
    if action != "read":
        for meta in (found.contacts, found.accounts):
            record_model.check_access(who, meta, "create")
    return found


def find_lead(ctx: Context, raw_id: str, *, unconverted: bool = True) -> RecordRow:
    """The lead of the path: INVALID_DATA ``{resource_path_index: 0}`` when no live lead has that id,
    ID_ALREADY_CONVERTED when it was converted (unless ``unconverted`` is False)."""
    lead_id = ids.normalize_id(raw_id)
    lead = record_model.get_records(ctx.conn, ctx.leads.id, [lead_id]).get(lead_id) if lead_id else None
    if lead is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": 0})
    if unconverted and lead.data.get(rules.CONVERTED_FLAG):
        raise ZohoError("ID_ALREADY_CONVERTED", {"resource_path_index": 0})
    return lead


# --- converting one lead --------------------------------------------------------------------------


def convert(ctx: Context, lead: RecordRow, request: Request) -> dict[str, Any]:
    """Convert ``lead`` as ``request`` asks; returns the result's ``details`` (``{Contacts,
    Deals, Accounts}``, each ``{name, id}`` or null). Raises the item's ZohoError when refused."""
    if request.deal is not None:
        record_model.check_access(ctx.who, ctx.deals, "create")
    owner = request.assign_to or lead.owner_id
    if request.assign_to is not None:
        check_user(ctx, request.assign_to, request.at("assign_to"))
    account_id = _given(ctx, ctx.accounts, request.account_id, request.at(ACCOUNTS))
    contact_id = _given(ctx, ctx.contacts, request.contact_id, request.at(CONTACTS))
    company = _text(lead.data.get("Company"))
    if account_id is None and company is not None:  # an Account of the lead's company, else a new one
        account_id = _match(ctx, ctx.accounts, "Account_Name", company)
        if account_id is None:
            account_id = _insert(ctx, ctx.accounts, _carried(ctx, lead, ACCOUNTS, owner), None)
    if contact_id is None:  # a Contact with the lead's email, else a new one
        contact_id = _match(ctx, ctx.contacts, "Email", _text(lead.data.get("Email")))
        if contact_id is None:
            values = _carried(ctx, lead, CONTACTS, owner)
            if account_id is not None:
                values[rules.CONTACT_ACCOUNT] = {"id": account_id}
            contact_id = _insert(ctx, ctx.contacts, values, None)
        elif account_id is not None:
            _tie_contact(ctx, contact_id, account_id, overwrite=request.overwrite)
    elif account_id is not None:
        _tie_contact(ctx, contact_id, account_id, overwrite=request.overwrite)
    deal_id = None
    if request.deal is not None:
        deal_id = _insert(ctx, ctx.deals, _deal(ctx, lead, request.deal, owner, account_id, contact_id), request)
    made = {CONTACTS: contact_id, ACCOUNTS: account_id, DEALS: deal_id}
    _move_notes(ctx, lead.id, contact_id)
    _move_attachments(ctx, lead.id, made, request)
    _carry_tags(ctx, lead, made, request)
    _move_activities(ctx, lead.id, made, request)
    _mark_converted(ctx, lead, made)
    return {
        CONTACTS: _entity(ctx, ctx.contacts, contact_id),
        DEALS: _entity(ctx, ctx.deals, deal_id),
        ACCOUNTS: _entity(ctx, ctx.accounts, account_id),
    }


def check_user(ctx: Context, user_id: str, where: dict[str, str]) -> None:
    """``assign_to`` names an active user of the org, else INVALID_DATA at that key."""
    user = ctx.who.users.get(user_id)
    if user is None or (user.get("status") or "active") != "active":
        raise ZohoError("INVALID_DATA", where)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _given(ctx: Context, meta: ModuleMeta, record_id: str | None, where: dict[str, str]) -> str | None:
    """An existing record the request names: a live record of ``meta``, else INVALID_DATA."""
    if record_id is None:
        return None
    if record_id not in record_model.get_records(ctx.conn, meta.id, [record_id]):
        raise ZohoError("INVALID_DATA", where)
    return record_id


def _match(ctx: Context, meta: ModuleMeta, field: str, value: str | None) -> str | None:
    """The oldest live record of ``meta`` whose ``field`` equals ``value`` (case and spaces aside)."""
    hits = _holders(ctx, meta, field, value)
    return hits[0] if hits else None


def _holders(ctx: Context, meta: ModuleMeta, field: str, value: Any) -> list[str]:
    norm = record_model.normalized_key(value) if value is not None and field in meta.by_name else None
    if norm is None:
        return []
    found = record_model.find_by_keys(ctx.conn, meta.id, field, [norm], indexed=field in meta.key_fields)
    return [match.record_id for match in found.get(norm, [])]


def _carried(ctx: Context, lead: RecordRow, target: str, owner: str) -> dict[str, Any]:
    """The lead's values the conversion mapping sends to ``target``, written as a client writes
    them (lookups as ``{"id"}``), with the new record's owner."""
    meta = ctx.meta(target)
    values: dict[str, Any] = {}
    for name, value in rules.mapped_values(ctx.leads.by_name, lead.data, target).items():
        if not meta.writable(name, "create"):
            continue
        kind = meta.types[name]
        values[name] = {"id": value} if kind.reference in ("record", "user") else value
    values["Owner"] = {"id": owner}
    return values


def _deal(
    ctx: Context, lead: RecordRow, given: Mapping[str, Any], owner: str, account_id: str | None, contact_id: str
) -> dict[str, Any]:
    values = {**_carried(ctx, lead, DEALS, owner), **given}
    values.setdefault("Owner", {"id": owner})
    pipeline = ctx.deals.by_name.get("Pipeline")
    if pipeline is not None and not values.get("Pipeline"):
        values["Pipeline"] = rules.first_choice(pipeline)
    if account_id is not None and rules.DEAL_ACCOUNT in ctx.deals.by_name:
        values[rules.DEAL_ACCOUNT] = {"id": account_id}
    if rules.DEAL_CONTACT in ctx.deals.by_name:
        values[rules.DEAL_CONTACT] = {"id": contact_id}
    return values


def _refused(item: batch.Item, request: Request | None) -> ZohoError:
    """A record write's failed item as the conversion's error: a Deal's field errors point into
    the request's ``Deals`` object."""
    details = dict(item["details"])
    path = details.get("json_path")
    if request is not None and isinstance(path, str) and path.startswith("$.data[0]"):
        details["json_path"] = f"{request.path}.{DEALS}{path.removeprefix('$.data[0]')}"
    error = ZohoError(cast(ErrorCode, item["code"]), details, status=item.get("_http"))
    error.message = item["message"]
    return error


def _insert(ctx: Context, meta: ModuleMeta, values: dict[str, Any], request: Request | None) -> str:
    (item,) = record_model.insert(ctx.conn, ctx.org_id, ctx.who, meta, [values], now_ms=ctx.now_ms, cause=ctx.cause)
    if item["status"] != "success":
        raise _refused(item, request)
    return str(item["details"]["id"])


def _update(ctx: Context, meta: ModuleMeta, items: Sequence[dict[str, Any]], **server: Any) -> None:
    results = record_model.update(
        ctx.conn,
        ctx.org_id,
        ctx.who,
        meta,
        list(items),
        now_ms=ctx.now_ms,
        server_values=server or None,
        cause=ctx.cause,
    )
    for item in results:
        if item["status"] != "success":
            raise _refused(item, None)


def _tie_contact(ctx: Context, contact_id: str, account_id: str, *, overwrite: bool) -> None:
    """An existing Contact joins the conversion's Account: when it has none, or ``overwrite``."""
    contact = record_model.get_records(ctx.conn, ctx.contacts.id, [contact_id])[contact_id]
    current = contact.data.get(rules.CONTACT_ACCOUNT)
    if current == account_id or (current and not overwrite):
        return
    _update(ctx, ctx.contacts, [{"id": contact_id, rules.CONTACT_ACCOUNT: {"id": account_id}}])


def _move_notes(ctx: Context, lead_id: str, contact_id: str) -> None:
    """The lead's notes go to the Contact, as Zoho moves them on conversion."""
    notes = ctx.notes
    if notes is None or rules.NOTE_PARENT not in notes.by_name:
        return
    held = _holders(ctx, notes, rules.NOTE_PARENT, lead_id)
    if held:
        _update(ctx, notes, [{"id": note_id, rules.NOTE_PARENT: {"id": contact_id}} for note_id in held])


def _move_attachments(ctx: Context, lead_id: str, made: Mapping[str, str | None], request: Request) -> None:
    """The lead's attachments go to the record of the module ``move_attachments_to`` names, the
    Contact by default or when the conversion made no record of that module."""
    target = CONTACTS if request.attachments_to is None else ctx.target(request.attachments_to, rules.CARRY_TARGETS)
    record_id = made.get(target) or made[CONTACTS]
    assert record_id is not None  # a conversion always ends with a Contact
    repo.move_attachments(ctx.conn, lead_id, ctx.meta(target if made.get(target) else CONTACTS).id, record_id)


def _carry_tags(ctx: Context, lead: RecordRow, made: Mapping[str, str | None], request: Request) -> None:
    """The lead's tags that ``carry_over_tags`` names (every one, for a module a mass convert
    names) join the tags of the record made or used in that module."""
    carried = _tag_names(ctx, ctx.leads, lead)
    for target, wanted in request.carry_tags.items():
        record_id = made.get(target)
        if record_id is None or not carried:
            continue
        if wanted is not None:
            keys = {name.strip().casefold() for name in wanted}
            chosen = [name for name in carried if name.casefold() in keys]
        else:
            chosen = carried
        if not chosen:
            continue
        meta = ctx.meta(target)
        row = record_model.get_records(ctx.conn, meta.id, [record_id])[record_id]
        names = list({name.casefold(): name for name in [*_tag_names(ctx, meta, row), *chosen]}.values())
        _update(ctx, meta, [{"id": record_id, "Tag": [{"name": name} for name in names]}])


def _tag_names(ctx: Context, meta: ModuleMeta, row: RecordRow) -> list[str]:
    """The names of a record's live tags as they read now (a renamed tag by its new name)."""
    current = record_model.tag_lookup(ctx.conn, ctx.org_id, meta.id)
    held = row.data.get("Tag") or []
    return [str(current[tag["id"]]["name"]) for tag in held if isinstance(tag, dict) and tag.get("id") in current]


def _move_activities(ctx: Context, lead_id: str, made: Mapping[str, str | None], request: Request) -> None:
    """The lead's tasks, meetings and calls (``What_Id`` the lead) now belong to the Contact
    (``Who_Id``) and to the Deal, else the Account (``What_Id``); those of the modules
    ``related_modules`` names change owner to ``assign_to``."""
    owned = {ctx.target(ref, list(ctx.activities)) for ref in request.related_modules}
    what = made.get(DEALS) or made.get(ACCOUNTS)
    for name, meta in ctx.activities.items():
        if rules.ACTIVITY_WHAT not in meta.by_name:
            continue
        held = _holders(ctx, meta, rules.ACTIVITY_WHAT, lead_id)
        if not held:
            continue
        values: dict[str, Any] = {rules.ACTIVITY_WHAT: {"id": what} if what else None}
        if rules.ACTIVITY_WHO in meta.by_name:
            values[rules.ACTIVITY_WHO] = {"id": made[CONTACTS]}
        if name in owned and request.assign_to is not None:
            values["Owner"] = {"id": request.assign_to}
        _update(ctx, meta, [{"id": record_id, **values} for record_id in held])


def _mark_converted(ctx: Context, lead: RecordRow, made: Mapping[str, str | None]) -> None:
    """The lead's server-set conversion fields: leaves lists and searches from now on."""
    server: dict[str, Any] = {
        rules.CONVERTED_FLAG: True,
        rules.CONVERTED_TIME: iso(ctx.now_ms),
        rules.CONVERSION_DAYS: rules.conversion_days(lead.created_ms, ctx.now_ms),
    }
    for module, field in rules.CONVERTED_TO.items():
        if made.get(module) is not None:
            server[field] = {"id": made[module]}
    _update(ctx, ctx.leads, [{"id": lead.id}], **server)


def _entity(ctx: Context, meta: ModuleMeta, record_id: str | None) -> dict[str, Any] | None:
    if record_id is None:
        return None
    row = record_model.get_records(ctx.conn, meta.id, [record_id]).get(record_id)
    return rules.entity(record_id, row.data.get(meta.display_field) if row else None)


# --- the options read -----------------------------------------------------------------------------


def options(ctx: Context, lead: RecordRow) -> dict[str, Any]:
    """GET /Leads/{id}/__conversion_options: the Contacts and Accounts the lead matches (by the
    fields of ``rules.CONTACT_MATCHES``/``ACCOUNT_MATCHES``), the Deals tied to them, which fields
    matched, where Zoho would put the lead first, and the modules with more than one layout."""
    contact_ids, contact_hits = _options_matches(ctx, ctx.contacts, rules.CONTACT_MATCHES, lead)
    account_ids, account_hits = _options_matches(ctx, ctx.accounts, rules.ACCOUNT_MATCHES, lead)
    deal_ids = list(
        dict.fromkeys(
            [
                *(d for c in contact_ids for d in _holders(ctx, ctx.deals, rules.DEAL_CONTACT, c)),
                *(d for a in account_ids for d in _holders(ctx, ctx.deals, rules.DEAL_ACCOUNT, a)),
            ]
        )
    )
    preferred = ctx.accounts if account_ids and not contact_ids else ctx.contacts
    return {
        "module_preference": {"api_name": preferred.api_name, "id": preferred.id},
        CONTACTS: _shown(ctx, ctx.contacts, contact_ids),
        "preference_field_matched_value": {CONTACTS: contact_hits, ACCOUNTS: account_hits, DEALS: []},
        ACCOUNTS: _shown(ctx, ctx.accounts, account_ids),
        DEALS: _shown(ctx, ctx.deals, deal_ids),
        "modules_with_multiple_layouts": [
            {"api_name": meta.api_name, "id": meta.id}
            for meta in (ctx.contacts, ctx.accounts, ctx.deals)
            if len(layouts_repo.list_layouts(ctx.conn, meta.id)) > 1
        ],
    }


def _options_matches(
    ctx: Context, meta: ModuleMeta, pairs: Sequence[tuple[str, str]], lead: RecordRow
) -> tuple[list[str], list[dict[str, Any]]]:
    found: list[str] = []
    hits: list[dict[str, Any]] = []
    for target_field, lead_field in pairs:
        value = _text(lead.data.get(lead_field))
        holders = _holders(ctx, meta, target_field, value)
        if holders:
            field = {"api_name": target_field, "id": meta.by_name[target_field]["id"]}
            hits.append({"field": field, "matched_lead_value": value})
            found.extend(holders)
    return list(dict.fromkeys(found)), hits


def _shown(ctx: Context, meta: ModuleMeta, record_ids: Sequence[str]) -> list[dict[str, Any]]:
    if not record_ids:
        return []
    found = record_model.get_records(ctx.conn, meta.id, list(record_ids))
    rows = [found[record_id] for record_id in record_ids if record_id in found]
    reader = ctx.who.reader(record_model.lookup_names(ctx.conn, ctx.org_id, meta, rows))
    names = [*rules.OPTION_FIELDS[meta.api_name], "Locked__s", "$editable", "$approval_state"]
    return [record_model.listed_record(meta, row, names, reader) for row in rows]


# --- mass convert ---------------------------------------------------------------------------------


def mass_convert(ctx: Context, body: Mapping[str, Any]) -> str:
    """POST /Leads/actions/mass_convert: the body's request-level checks, then every lead converted
    in its own savepoint (a lead that is gone, already converted or refused counts as failed); the
    job's status is stored and its id returned. The job runs to its end here (docs/decisions.md)."""
    lead_ids = rules.mass_ids(body.get("ids"))
    deal = rules.deal_values(body.get(DEALS), "$")
    assign_to = rules.reference(body, "assign_to", "$")
    if assign_to is None:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "assign_to", "json_path": "$.assign_to"})
    tag_refs = rules.module_refs(body.get(rules.CARRY_TAGS), rules.CARRY_TAGS, f"$.{rules.CARRY_TAGS}")
    request = Request(
        "$",
        assign_to=assign_to,
        deal=deal,
        attachments_to=rules.attachments_target(body, "$"),
        carry_tags={ctx.target(ref, rules.CARRY_TARGETS): None for ref in tag_refs},
        related_modules=rules.module_refs(body.get(rules.RELATED_MODULES), rules.RELATED_MODULES, "$.related_modules"),
    )
    for ref in request.related_modules:
        ctx.target(ref, list(ctx.activities))
    if request.attachments_to is not None:
        ctx.target(request.attachments_to, rules.CARRY_TARGETS)
    check_user(ctx, assign_to, request.at("assign_to"))
    if deal is not None:
        record_model.check_access(ctx.who, ctx.deals, "create")
    leads = record_model.get_records(ctx.conn, ctx.leads.id, lead_ids)
    converted = failed = 0
    for lead_id in lead_ids:
        lead = leads.get(lead_id)
        if lead is None or lead.data.get(rules.CONVERTED_FLAG):
            failed += 1
            continue
        outcome = batch.attempt(ctx.conn, rules.CONVERTED, _converter(ctx, lead, request))
        if outcome["status"] == "success":
            converted += 1
        else:
            failed += 1
    (job_id,) = ids.allocate(ctx.conn, ctx.org_id, 1)
    status = rules.job_status(len(lead_ids), converted, failed)
    repo.save_job(ctx.conn, job_id, ctx.org_id, ctx.who.user_id, ctx.now_ms, status)
    return job_id


def _converter(ctx: Context, lead: RecordRow, request: Request) -> Callable[[], str]:
    def write() -> str:
        convert(ctx, lead, request)
        return lead.id

    return write


def job(conn: Connection, org_id: str, raw_id: str | None) -> dict[str, Any]:
    """A mass convert job's status: REQUIRED_PARAM_MISSING without ``job_id``, INVALID_DATA for an
    id naming no job of the org."""
    if not raw_id:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "job_id"})
    job_id = ids.normalize_id(raw_id)
    found = repo.get_job(conn, org_id, job_id) if job_id else None
    if found is None:
        raise ZohoError("INVALID_DATA", {"param_name": "job_id"})
    return found
