"""``/settings/territories`` and the users of territories (OAS territories.json, territory_users.json,
users_territories.json; OASx territory examples; v8 territory pages).

Reads answer 204 when there is nothing to show. Writes answer one result per item inside
``territories`` (create 201, the rest 200, 207 mixed); a path id no territory has is a bare
INVALID_DATA at its segment. Below Enterprise every call is refused as Zoho refuses an org without
territory management: FEATURE_NOT_ENABLED, and TERRITORY_NOT_ENABLED (403) on a territory's users.
Writes need the caller's profile to allow managing territories.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import ErrorCode, Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.territories import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import items_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.territories"
PERMISSION = "Crm_Implied_Manage_Territories"
ENVELOPE = rules.ENVELOPE
USERS = "users"


def _context(call: Call, code: ErrorCode = "FEATURE_NOT_ENABLED") -> service.Context:
    service.require_enabled(call.conn, call.org_id, code)
    return service.Context.of(call)


def _path_territory(ctx: service.Context, raw: str, index: int = rules.PATH_INDEX) -> rules.Territory:
    territory = service.find(ctx, normalize_id(raw))
    if territory is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": index}, Message.UNKNOWN_ID)
    return territory


def _listing(call: Call, territories: list[rules.Territory], key: str = ENVELOPE) -> Response:
    page = params.page(call)
    criteria = rules.parse_name_filter(call.query("filters"), ("name", "api_name"))
    chosen = [t for t in territories if rules.matches(t, criteria)]
    shown, info = page.slice([service.shown(t) for t in chosen])
    return reply({key: shown, "info": info}) if shown else no_content()


# --- territories --------------------------------------------------------------------------------
async def list_territories(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        territories = service.tree(ctx)
        if params.not_modified(call, repo.latest_modified(ctx.conn, ctx.org_id)):
            return no_content(304)
    wanted = rules.parse_ids(call.query("ids"))
    if wanted:
        territories = [t for t in territories if t["id"] in wanted]
    return _listing(call, territories)


async def get_territory(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        territory = service.find(ctx, normalize_id(call.params["id"]))
    if territory is None:
        return no_content()
    return reply({ENVELOPE: [service.shown(territory)], "info": params.Page(1, 1).info(1, False)})


async def child_territories(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        territory = _path_territory(ctx, call.params["id"])
        below = rules.children(service.tree(ctx), territory["id"])
    return _listing(call, below)


async def associated_users_count(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        territories = service.tree(ctx)
        counts = repo.user_counts(ctx.conn, ctx.org_id)
    rows = [
        {"count": str(counts.get(t["id"], 0)), "territory": {**rules.minified(t), "subordinates": False}}
        for t in territories
    ]
    shown, info = params.page(call).slice(rows)
    return reply({"associated_users_count": shown, "info": info}) if shown else no_content()


async def deleted_associated_territories(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        rows = service.deleted_associated(ctx)
    wanted = rules.parse_ids(call.query("ids"))
    if wanted:
        rows = [row for row in rows if row["id"] in wanted]
    shown, info = params.page(call).slice(rows)
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


def _item(ctx: service.Context, message: str, write: Callable[[], str], path: str) -> batch.Item:
    return batch.attempt(ctx.conn, message, write, json_path=path)


async def create_territories(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"
            results.append(_item(ctx, rules.ADDED, partial(_create_item, ctx, item, path), path))
    return batch.answer(ENVELOPE, results, all_ok=201)


def _create_item(ctx: service.Context, item: Any, path: str) -> str:
    return str(service.create(ctx, item, path)["id"])


def _update_item(ctx: service.Context, item: Any, path: str, territory: rules.Territory | None) -> str:
    if territory is None:
        if not isinstance(item, dict):
            raise ZohoError(
                "INVALID_DATA", {"api_name": ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"}
            )
        if item.get("id") in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": f"{path}.id"})
        territory = service.find(ctx, rules.reference_id(item["id"]))
        if territory is None:
            raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{path}.id"}, Message.TERRITORY_ID_INVALID)
    return str(service.update(ctx, territory, item, path)["id"])


async def update_territories(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"
            results.append(_item(ctx, rules.UPDATED, partial(_update_item, ctx, item, path, None), path))
    return batch.answer(ENVELOPE, results, all_ok=200)


async def update_territory(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        territory = _path_territory(ctx, call.params["id"])
        items = rules.one_item(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        path = f"$.{ENVELOPE}[0]"
        result = _item(ctx, rules.UPDATED, lambda: _update_item(ctx, items[0], path, territory), path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


def _forecasts(call: Call) -> None:
    """``delete_previous_forecasts``: a boolean; forecasts are not emulated, so it changes nothing."""
    params.choice(call, "delete_previous_forecasts", ("true", "false"), "false")


async def delete_territories(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        raw = params.required(call, "ids")
        wanted = rules.parse_ids(raw)
        if len(wanted) > rules.DELETE_MAX:
            raise ZohoError("INVALID_REQUEST", {}, Message.REQUEST_UNPROCESSABLE)
        _forecasts(call)
        service.take_turns(ctx.conn, ctx.org_id)
        results = [_delete_item(ctx, territory_id) for territory_id in wanted]
    return batch.answer(ENVELOPE, results, all_ok=200)


def _delete_item(ctx: service.Context, territory_id: str) -> batch.Item:
    def write() -> str:
        territory = service.find(ctx, territory_id)
        if territory is None:
            raise ZohoError("INVALID_DATA", {"id": territory_id}, Message.TERRITORY_ID_INVALID)
        service.delete(ctx, territory, {"id": territory_id})
        return territory_id

    return batch.attempt(ctx.conn, rules.DELETED, write)


async def delete_territory(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        territory = _path_territory(ctx, call.params["id"])
        _forecasts(call)
        service.take_turns(ctx.conn, ctx.org_id)
        service.delete(ctx, territory, {"resource_path_index": rules.PATH_INDEX})  # the URL's id: refused whole
    return batch.answer(ENVELOPE, [batch.success(rules.DELETED, {"id": territory["id"]})], all_ok=200)


def _transfer_item(ctx: service.Context, item: Any, path: str, territory: rules.Territory | None) -> str:
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": path, "expected_data_type": "jsonobject"})
    if territory is None:
        if item.get("id") in (None, ""):
            raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "id", "json_path": f"{path}.id"})
        territory = service.find(ctx, rules.reference_id(item["id"]))
        if territory is None:
            raise ZohoError("INVALID_DATA", {"api_name": "id", "json_path": f"{path}.id"}, Message.TERRITORY_ID_INVALID)
    forecasts = item.get("delete_previous_forecasts")
    if forecasts is not None and not isinstance(forecasts, bool):
        details = {"api_name": "delete_previous_forecasts", "json_path": f"{path}.delete_previous_forecasts"}
        raise ZohoError("INVALID_DATA", {**details, "expected_data_type": "boolean"})
    raw = item.get("transfer_to_id")
    transfer_to = None if raw in (None, "") else rules.reference_id(raw)
    if raw not in (None, "") and transfer_to is None:
        details = {"api_name": "transfer_to_id", "json_path": f"{path}.transfer_to_id"}
        raise ZohoError("INVALID_DATA", details, Message.TERRITORY_ID_INVALID)
    service.transfer_and_delete(ctx, territory, transfer_to, path)
    return str(territory["id"])


async def transfer_and_delete_many(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        items = items_of(call.json(), ENVELOPE, max_items=rules.DELETE_MAX)
        service.take_turns(ctx.conn, ctx.org_id)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"
            results.append(_item(ctx, rules.TRANSFERRED, partial(_transfer_item, ctx, item, path, None), path))
    return batch.answer(ENVELOPE, results, all_ok=200)


async def transfer_and_delete_one(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        territory = _path_territory(ctx, call.params["id"])
        items = rules.one_item(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        path = f"$.{ENVELOPE}[0]"
        result = _item(ctx, rules.TRANSFERRED, lambda: _transfer_item(ctx, items[0], path, territory), path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


# --- a territory's users (territory_users.json) ----------------------------------------------------------
def _members_context(call: Call) -> service.Context:
    return _context(call, "TERRITORY_NOT_ENABLED")


async def territory_users(call: Call) -> Response:
    with call.tx():
        ctx = _members_context(call)
        territory = _path_territory(ctx, call.params["territory"])
        users = [u for u in (service.user_of(ctx, i) for i in repo.user_ids(ctx.conn, territory["id"])) if u]
    shown, info = params.page(call).slice(users)
    return reply({USERS: shown, "info": info}) if shown else no_content()


async def territory_user(call: Call) -> Response:
    with call.tx():
        ctx = _members_context(call)
        territory = _path_territory(ctx, call.params["territory"])
        user_id = normalize_id(call.params["user"])
        user = service.user_of(ctx, user_id) if user_id in repo.user_ids(ctx.conn, territory["id"]) else None
    return reply({USERS: [user]}) if user is not None else no_content()


async def add_territory_users(call: Call) -> Response:
    with call.tx():
        ctx = _members_context(call)
        territory = _path_territory(ctx, call.params["territory"])
        items = items_of(call.json(), USERS)
        service.take_turns(ctx.conn, ctx.org_id)
        results = []
        for i, item in enumerate(items):
            path = f"$.{USERS}[{i}]"
            user_id = rules.reference_id(item)
            results.append(_item(ctx, rules.USER_ADDED, _adder(ctx, territory, user_id, path), path))
    return batch.answer(USERS, results, all_ok=200)


def _adder(ctx: service.Context, territory: rules.Territory, user_id: str | None, path: str) -> Callable[[], str]:
    return lambda: service.add_user(ctx, territory, user_id, path)


async def add_territory_user(call: Call) -> Response:
    with call.tx():
        ctx = _members_context(call)
        territory = _path_territory(ctx, call.params["territory"])
        service.take_turns(ctx.conn, ctx.org_id)
        user_id = normalize_id(call.params["user"])
        if service.user_of(ctx, user_id) is None:
            raise ZohoError("INVALID_DATA", {"resource_path_index": 4}, Message.TERRITORY_USER_INVALID)
        result = batch.attempt(ctx.conn, rules.USER_ADDED, lambda: service.add_user(ctx, territory, user_id, None))
    return batch.answer(USERS, [result], all_ok=200)


async def remove_territory_users(call: Call) -> Response:
    with call.tx():
        ctx = _members_context(call)
        territory = _path_territory(ctx, call.params["territory"])
        raw_ids = [part.strip() for part in params.required(call, "ids").split(",") if part.strip()]
        service.take_turns(ctx.conn, ctx.org_id)
        results = [
            batch.attempt(ctx.conn, rules.USER_REMOVED, _remover(ctx, territory, raw)) for raw in dict.fromkeys(raw_ids)
        ]
    return batch.answer(USERS, results, all_ok=200)


def _remover(ctx: service.Context, territory: rules.Territory, raw: str) -> Callable[[], str]:
    return lambda: service.remove_user(ctx, territory, normalize_id(raw), raw)


async def remove_territory_user(call: Call) -> Response:
    with call.tx():
        ctx = _members_context(call)
        territory = _path_territory(ctx, call.params["territory"])
        service.take_turns(ctx.conn, ctx.org_id)
        raw = call.params["user"]
        result = batch.attempt(ctx.conn, rules.USER_REMOVED, _remover(ctx, territory, raw))
    return batch.answer(USERS, [result], all_ok=200)


# --- a user's territories (users_territories.json) -------------------------------------------------------
USER_INDEX = 1  # users/{user}: the user's segment


def _path_user(ctx: service.Context, raw: str) -> str:
    user_id = normalize_id(raw)
    if service.user_of(ctx, user_id) is None or user_id is None:
        raise ZohoError("INVALID_DATA", {"resource_path_index": USER_INDEX}, Message.UNKNOWN_ID)
    return user_id


def _own(ctx: service.Context, user_id: str) -> None:
    """Nobody changes their own territories (OASx associateTerritoriesToUser, 403)."""
    if user_id == ctx.actor["id"]:
        raise ZohoError("NOT_ALLOWED", {}, Message.OWN_TERRITORIES, status=403)


async def user_territories(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        user_id = _path_user(ctx, call.params["user"])
        service.tree(ctx)
        found = [service.find(ctx, i) for i in repo.territory_ids_of(ctx.conn, ctx.org_id, user_id)]
    shown, info = params.page(call).slice([service.of_user(t) for t in found if t is not None])
    return reply({ENVELOPE: shown, "info": info}) if shown else no_content()


async def user_territory(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        user_id = _path_user(ctx, call.params["user"])
        territory = _path_territory(ctx, call.params["territory"], index=3)
        member = territory["id"] in repo.territory_ids_of(ctx.conn, ctx.org_id, user_id)
    if not member:
        return no_content()
    return reply({ENVELOPE: [service.of_user(territory)], "info": params.Page(1, 1).info(1, False)})


async def associate_territories(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        user_id = _path_user(ctx, call.params["user"])
        _own(ctx, user_id)
        items = items_of(call.json(), ENVELOPE)
        service.take_turns(ctx.conn, ctx.org_id)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"
            territory_id = rules.reference_id(item)
            write = _associator(ctx, user_id, territory_id, path)
            results.append(_item(ctx, rules.ASSOCIATED, write, path))
    return batch.answer(ENVELOPE, results, all_ok=200)


def _associator(ctx: service.Context, user_id: str, territory_id: str | None, path: str) -> Callable[[], str]:
    return lambda: service.associate(ctx, user_id, territory_id, path)


def _dissociator(ctx: service.Context, user_id: str, raw: str, path: str) -> Callable[[], str]:
    return lambda: service.dissociate(ctx, user_id, normalize_id(raw), path)


async def dissociate_territories(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        user_id = _path_user(ctx, call.params["user"])
        _own(ctx, user_id)
        raw_ids = [part.strip() for part in params.required(call, "ids").split(",") if part.strip()]
        service.take_turns(ctx.conn, ctx.org_id)
        results = [
            batch.attempt(ctx.conn, rules.DISSOCIATED, _dissociator(ctx, user_id, raw, f"$.{ENVELOPE}[{i}]"))
            for i, raw in enumerate(dict.fromkeys(raw_ids))
        ]
    return batch.answer(ENVELOPE, results, all_ok=200)


async def dissociate_territory(call: Call) -> Response:
    with call.tx():
        ctx = _context(call)
        user_id = _path_user(ctx, call.params["user"])
        _own(ctx, user_id)
        _path_territory(ctx, call.params["territory"], index=3)
        service.take_turns(ctx.conn, ctx.org_id)
        write = _dissociator(ctx, user_id, call.params["territory"], f"$.{ENVELOPE}[0]")
        result = batch.attempt(ctx.conn, rules.DISSOCIATED, write)
    return batch.answer(ENVELOPE, [result], all_ok=200)


def _write(method: str, path: str, handler: Callable[[Call], Any]) -> Endpoint:
    return Endpoint(method, path, handler, SCOPE, permission=PERMISSION)


T = "/settings/territories"
ENDPOINTS = [
    Endpoint("GET", f"{T}/actions/associated_users_count", associated_users_count, SCOPE),
    Endpoint("GET", f"{T}/actions/deleted_associated_territories", deleted_associated_territories, SCOPE),
    _write("POST", f"{T}/actions/transfer_and_delete", transfer_and_delete_many),
    Endpoint("GET", T, list_territories, SCOPE),
    _write("POST", T, create_territories),
    _write("PUT", T, update_territories),
    _write("DELETE", T, delete_territories),
    Endpoint("GET", f"{T}/{{id}}/__child_territories", child_territories, SCOPE),
    _write("POST", f"{T}/{{id}}/actions/transfer_and_delete", transfer_and_delete_one),
    Endpoint("GET", f"{T}/{{territory}}/users", territory_users, SCOPE),
    _write("PUT", f"{T}/{{territory}}/users", add_territory_users),
    _write("DELETE", f"{T}/{{territory}}/users", remove_territory_users),
    Endpoint("GET", f"{T}/{{territory}}/users/{{user}}", territory_user, SCOPE),
    _write("PUT", f"{T}/{{territory}}/users/{{user}}", add_territory_user),
    _write("DELETE", f"{T}/{{territory}}/users/{{user}}", remove_territory_user),
    Endpoint("GET", f"{T}/{{id}}", get_territory, SCOPE),
    _write("PUT", f"{T}/{{id}}", update_territory),
    _write("DELETE", f"{T}/{{id}}", delete_territory),
    Endpoint("GET", "/users/{user}/territories", user_territories, SCOPE),
    _write("PUT", "/users/{user}/territories", associate_territories),
    _write("DELETE", "/users/{user}/territories", dissociate_territories),
    Endpoint("GET", "/users/{user}/territories/{territory}", user_territory, SCOPE),
    _write("DELETE", "/users/{user}/territories/{territory}", dissociate_territory),
]
