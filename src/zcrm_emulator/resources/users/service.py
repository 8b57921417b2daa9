"""The steps of the users writes: add (the API's and the control plane's), update, delete, and
transfer-and-delete (records of the user go to another user, their reports to another manager).

Checks that count or look for an email before they write take turns per org (``take_turns``), so two
workers never both add the last licensed user or the same email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from zcrm_emulator import editions, ids, record_model
from zcrm_emulator.acting import Acting
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.memo import Memo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.resources.users import repo, rules
from zcrm_emulator.store import documents, locks, uniques
from zcrm_emulator.store.schema import profiles, roles
from zcrm_emulator.validation import at

EMAIL_UNIQUE = uniques.Unique("users", ("org_id", "email"))
TRANSFER_PAGE = 500  # records read per statement while looking for a user's records
UPDATE_CHUNK = 100  # records per update call of the transfer (the records API's own limit)


class Context(Acting):
    """One users write call: its connection, org, calling user and clock."""


def take_turns(conn: Connection, org_id: str) -> None:
    locks.serialize(conn, f"users:{org_id}")  # emails unique per org regardless of case; license counts


def add_user(
    conn: Connection,
    org_id: str,
    *,
    email: str,
    first_name: str,
    last_name: str,
    profile: str = "Standard",
    role: str = "Manager",
    now_ms: int,
) -> dict[str, Any]:
    """A user of the org with the given profile and role (by name), made like the org's first user
    (control plane and tests); DUPLICATE_DATA for an email in use, whatever its case."""
    take_turns(conn, org_id)
    people = repo.list_users(conn, org_id)
    if any(u["email"].lower() == email.lower() for u in people):
        raise ZohoError("DUPLICATE_DATA", {"api_name": "email"})
    profile_row = next((p for p in documents.list_data(conn, profiles, org_id) if p["name"] == profile), None)
    role_row = next((r for r in documents.list_data(conn, roles, org_id) if r["name"] == role), None)
    if profile_row is None:
        raise ZohoError("INVALID_DATA", {"api_name": "profile"}, Message.UNKNOWN_ID)
    if role_row is None:
        raise ZohoError("INVALID_DATA", {"api_name": "role"}, Message.UNKNOWN_ID)
    admin = people[0]
    return _insert(
        Context(conn, org_id, admin, now_ms),
        email=email,
        names=(first_name, last_name),
        profile=profile_row,
        role=role_row,
        confirm=True,
        extra={},
        duplicate={"api_name": "email"},
    )


def create(ctx: Context, item: dict[str, Any], path: str) -> dict[str, Any]:
    """POST /users: one new active user, not confirmed yet (Zoho sends an invitation)."""
    clean = rules.check_keys(item, path, creating=True)
    people = repo.list_users(ctx.conn, ctx.org_id)
    profile = _profile(ctx, clean["profile"], path)
    role = _role(ctx, clean["role"], path)
    if any(u["email"].lower() == clean["email"].lower() for u in people):
        raise ZohoError("DUPLICATE_DATA", at(path, "email"), Message.USER_EMAIL_TAKEN)
    if rules.active_count(people) + 1 > _licenses(ctx):
        raise ZohoError("LICENSE_LIMIT_EXCEEDED", {}, Message.USER_LICENSE_LIMIT)
    extra = {k: v for k, v in clean.items() if k not in ("email", "first_name", "last_name", "profile", "role")}
    if "Reporting_To" in extra:
        extra["Reporting_To"] = _manager(people, extra["Reporting_To"], None)
    rules.check_separators({**ctx.actor, **extra}, path)
    return _insert(
        ctx,
        email=clean["email"],
        names=(clean.get("first_name", ""), clean.get("last_name", "")),
        profile=profile,
        role=role,
        confirm=False,
        extra=extra,
        duplicate=at(path, "email"),
    )


def _insert(
    ctx: Context,
    *,
    email: str,
    names: tuple[str, str],
    profile: dict[str, Any],
    role: dict[str, Any],
    confirm: bool,
    extra: dict[str, Any],
    duplicate: dict[str, Any],
) -> dict[str, Any]:
    template = repo.list_users(ctx.conn, ctx.org_id)[0]  # the org's first user: every key a user has
    try:
        return repo.create_user(
            ctx.conn,
            ctx.org_id,
            user_id=ids.allocate(ctx.conn, ctx.org_id)[0],
            email=email,
            first_name=names[0],
            last_name=names[1],
            profile={"name": profile["name"], "id": profile["id"]},
            role={"name": role["name"], "id": role["id"]},
            now_ms=ctx.now_ms,
            template=template,
            created_by=ctx.stamp,
            created_iso=ctx.moment,
            confirm=confirm,
            extra=extra,
        )
    except IntegrityError as error:
        # Another worker added the same email after the check: the check's own answer.
        if uniques.violated(error) != EMAIL_UNIQUE:
            raise
        raise ZohoError("DUPLICATE_DATA", duplicate, Message.USER_EMAIL_TAKEN) from None


def update(ctx: Context, user: dict[str, Any], item: dict[str, Any], path: str) -> dict[str, Any]:
    """PUT /users and /users/{id}: the keys sent change; ``status`` activates or deactivates."""
    if user.get("status") == rules.DELETED_STATUS:
        raise ZohoError("CANNOT_UPDATE_DELETED_USER", {})
    clean = rules.check_keys(item, path, creating=False)
    people = repo.list_users(ctx.conn, ctx.org_id)
    changed = dict(user)
    email = clean.pop("email", None)
    if email is not None and email.lower() != user["email"].lower():
        if user.get("confirm"):
            raise ZohoError("EMAIL_UPDATE_NOT_ALOWED", {"api_name": "email"})
        if any(u["email"].lower() == email.lower() for u in people):
            raise ZohoError("DUPLICATE_DATA", at(path, "email"), Message.USER_EMAIL_TAKEN)
        changed["email"] = email
    if "profile" in clean:
        profile = _profile(ctx, clean.pop("profile"), path)
        changed["profile"] = {"name": profile["name"], "id": profile["id"]}
    if "role" in clean:
        role = _role(ctx, clean.pop("role"), path)
        changed["role"] = {"name": role["name"], "id": role["id"]}
    status = clean.pop("status", None)
    if status is not None:
        primary = org_repo.get_org(ctx.conn, ctx.org_id).get("primary_zuid")
        rules.check_status_change(user, status, path, caller_id=ctx.actor["id"], primary_zuid=primary)
        if status == rules.ACTIVE and rules.active_count(people) + 1 > _licenses(ctx):
            raise ZohoError("LICENSE_LIMIT_EXCEEDED", {}, Message.USER_ACTIVATION_LICENSE_LIMIT)
        changed["status"] = status
    if "Reporting_To" in clean:
        changed["Reporting_To"] = _manager(people, clean.pop("Reporting_To"), user["id"])
    changed.update(clean)
    changed["full_name"] = changed["name"] = (
        f"{changed.get('first_name') or ''} {changed.get('last_name') or ''}".strip()
    )
    rules.check_separators(changed, path)
    _save(ctx, changed)
    return changed


def delete(ctx: Context, user: dict[str, Any], path: str) -> dict[str, Any]:
    """DELETE /users/{id}: the user is listed among DeletedUsers from now on; records stay theirs
    (Zoho help "Deleting users": they can be transferred later)."""
    primary = org_repo.get_org(ctx.conn, ctx.org_id).get("primary_zuid")
    rules.check_deletable(user, caller_id=ctx.actor["id"], primary_zuid=primary, path=path)
    changed = {**user, "status": rules.DELETED_STATUS}
    _save(ctx, changed)
    return changed


def _save(ctx: Context, user: dict[str, Any]) -> None:
    user["Modified_By"] = ctx.stamp
    user["Modified_Time"] = ctx.moment
    repo.save_user(ctx.conn, ctx.org_id, user, ctx.now_ms)


# --- transfer and delete ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Transfer:
    """One ``transfer_and_delete`` item: whose records go where, and who the user's reports follow."""

    user: dict[str, Any]
    to_user: dict[str, Any]
    records: bool
    subordinates_to: dict[str, Any] | None


def transfer_item(ctx: Context, item: Any, path: str, path_user_id: str | None) -> Transfer:
    """The item checked against the org's users (users_transfer_delete.json Transfer_and_Delete)."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"api_name": rules.TRANSFER_ENVELOPE, "json_path": path})
    people = {u["id"]: u for u in repo.list_users(ctx.conn, ctx.org_id)}
    user_id = path_user_id or item.get("id")
    if user_id in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
    user = people.get(str(user_id))
    if user is None:
        raise ZohoError("INVALID_DATA", at(path, "id"), Message.UNKNOWN_ID)
    transfer = item.get("transfer")
    if transfer is None:
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "transfer"))
    if not isinstance(transfer, dict):
        raise ZohoError("INVALID_DATA", at(path, "transfer", expected_data_type="jsonobject"))
    inner = f"{path}.transfer"
    flags = {}
    for key in ("records", "assignment", "criteria"):
        if key not in transfer:
            raise ZohoError("MANDATORY_NOT_FOUND", at(inner, key))
        if not isinstance(transfer[key], bool):
            raise ZohoError("INVALID_DATA", at(inner, key, expected_data_type="boolean"))
        flags[key] = transfer[key]
    to_user = _live_other(people, transfer.get("id"), user["id"], inner)
    move = item.get("move_subordinate")
    subordinates_to = None
    if move is not None:
        if not isinstance(move, dict):
            raise ZohoError("INVALID_DATA", at(path, "move_subordinate", expected_data_type="jsonobject"))
        subordinates_to = _live_other(people, move.get("id"), user["id"], f"{path}.move_subordinate")
    return Transfer(user, to_user, flags["records"], subordinates_to)


def _live_other(people: dict[str, dict[str, Any]], value: Any, user_id: str, path: str) -> dict[str, Any]:
    """The user records or reports go to: an active user other than the one deleted
    (Not_an_user_API_Exception: ``owner_status`` when the user is not active)."""
    if value in (None, ""):
        raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
    target = people.get(str(value))
    if target is None or target["id"] == user_id:
        raise ZohoError("INVALID_DATA", at(path, "id"), Message.UNKNOWN_ID)
    if target.get("status") != rules.ACTIVE:
        raise ZohoError("INVALID_DATA", at(path, "id", owner_status=target.get("status")))
    return target


def transfer_and_delete(ctx: Context, plan: Transfer, path: str, memo: Memo | None, cause: Cause) -> str:
    """Delete the user, first giving their records to ``to_user`` and their reports to the new
    manager; the job is done when the call answers (its status reads ``completed``)."""
    primary = org_repo.get_org(ctx.conn, ctx.org_id).get("primary_zuid")
    rules.check_deletable(plan.user, caller_id=ctx.actor["id"], primary_zuid=primary, path=path)
    moved = _transfer_records(ctx, plan, memo, cause) if plan.records else 0
    if plan.subordinates_to is not None:
        for person in repo.list_users(ctx.conn, ctx.org_id):
            if (person.get("Reporting_To") or {}).get("id") == plan.user["id"]:
                _save(ctx, {**person, "Reporting_To": repo.minified(plan.subordinates_to)})
    delete(ctx, plan.user, path)
    job_id = ids.allocate(ctx.conn, ctx.org_id)[0]
    job = {"id": job_id, "status": "completed", "user_id": plan.user["id"], "records_transferred": moved}
    repo.insert_job(ctx.conn, ctx.org_id, job_id, job, ctx.now_ms)
    return job_id


def _transfer_records(ctx: Context, plan: Transfer, memo: Memo | None, cause: Cause) -> int:
    """Every live record the user owns, in every records module, changes owner through the records
    API (so record events and automation see it); returns how many moved."""
    who = record_model.caller(ctx.conn, ctx.org_id, ctx.actor["id"], memo)
    moved = 0
    for module in modules_repo.list_modules(ctx.conn, ctx.org_id):
        ref = modules_repo.find(ctx.conn, ctx.org_id, module["id"])
        if not record_model.serves_records(ref) or ref is None:
            continue
        meta = record_model.load_module(ctx.conn, ctx.org_id, ref.api_name, ctx.now_ms, memo)
        owned = _owned_ids(ctx.conn, meta.id, plan.user["id"])
        for start in range(0, len(owned), UPDATE_CHUNK):
            items = [{"id": rid, "Owner": {"id": plan.to_user["id"]}} for rid in owned[start : start + UPDATE_CHUNK]]
            results = record_model.update(ctx.conn, ctx.org_id, who, meta, items, now_ms=ctx.now_ms, cause=cause)
            moved += sum(1 for r in results if r["status"] == "success")
    return moved


def _owned_ids(conn: Connection, module_id: str, owner_id: str) -> list[str]:
    found: list[str] = []
    offset = 0
    while True:
        page = record_model.PageQuery(sort="id", descending=False, limit=TRANSFER_PAGE, offset=offset)
        rows = record_model.list_records(conn, module_id, page)
        found.extend(r.id for r in rows[:TRANSFER_PAGE] if r.owner_id == owner_id)
        if len(rows) < TRANSFER_PAGE:
            return found
        offset += TRANSFER_PAGE


def job_status(conn: Connection, org_id: str, job_id: str) -> dict[str, Any] | None:
    job = repo.get_job(conn, org_id, job_id)
    return {"status": job["status"]} if job is not None else None


# --- references ------------------------------------------------------------------------------------
def _licenses(ctx: Context) -> int:
    org = org_repo.get_org(ctx.conn, ctx.org_id)
    purchased = int((org.get("license_details") or {}).get("users_license_purchased") or 0)
    return editions.user_licenses(org_repo.org_edition(ctx.conn, ctx.org_id), purchased)


def _profile(ctx: Context, profile_id: str, path: str) -> dict[str, Any]:
    found = documents.get_data(ctx.conn, profiles, ctx.org_id, profile_id)
    if found is None:
        raise ZohoError("INVALID_DATA", at(path, "profile"), Message.USER_REFERENCE_INVALID)
    return found


def _role(ctx: Context, role_id: str, path: str) -> dict[str, Any]:
    found = documents.get_data(ctx.conn, roles, ctx.org_id, role_id)
    if found is None:
        raise ZohoError("INVALID_DATA", at(path, "role"), Message.USER_REFERENCE_INVALID)
    return found


def _manager(people: list[dict[str, Any]], manager_id: str, user_id: str | None) -> dict[str, str]:
    """``Reporting_To``: another active user of the org (OASx InvalidReportingToUser,
    UpdatingSameUserIdAsReportingTo)."""
    if manager_id == user_id:
        raise ZohoError("INVALID_DATA", {"expected_data_type": "ReportingTo Id should not be the same as userId"})
    manager = next((u for u in people if u["id"] == manager_id and u.get("status") == rules.ACTIVE), None)
    if manager is None:
        raise ZohoError("INVALID_DATA", {"expected_data_type": "Invalid Reporting Manager"})
    return repo.minified(manager)
