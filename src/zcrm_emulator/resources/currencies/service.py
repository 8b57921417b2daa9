"""The steps of the currency calls, on the call's connection: the edition and multi-currency gates,
enabling with a home currency, adding and updating currencies (their ISO codes unique, at most
``editions.ACTIVE_CURRENCIES`` active), and the org fields that follow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from zcrm_emulator import editions, ids
from zcrm_emulator.clock import iso
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.currencies import repo, rules
from zcrm_emulator.resources.org import repo as org_repo
from zcrm_emulator.store import locks
from zcrm_emulator.validation import at


@dataclass(frozen=True)
class Context:
    """Who changes which org's currencies, when."""

    conn: Connection
    org_id: str
    user: dict[str, Any]
    now_ms: int

    def stamp(self) -> tuple[dict[str, Any], str]:
        who = {"name": self.user.get("full_name"), "id": self.user["id"]}
        return who, iso(self.now_ms, self.user.get("time_zone") or "UTC")


def check_edition(conn: Connection, org_id: str) -> None:
    editions.require_multi_currency(org_repo.org_edition(conn, org_id))


def require_enabled(conn: Connection, org_id: str) -> None:
    """FEATURE_NOT_SUPPORTED below Enterprise; CURRENCIES_NOT_ENABLED until multi-currency is on."""
    check_edition(conn, org_id)
    if not org_repo.get_org(conn, org_id).get("mc_status"):
        raise ZohoError("CURRENCIES_NOT_ENABLED", {})


def take_turns(conn: Connection, org_id: str) -> None:
    """Checks of unique ISO codes and the active count, and enabling, one writer at a time."""
    locks.serialize(conn, f"currencies:{org_id}")


def _made(ctx: Context, currency: dict[str, Any], *, is_base: bool) -> dict[str, Any]:
    who, when = ctx.stamp()
    return {
        **currency,
        "id": ids.allocate(ctx.conn, ctx.org_id)[0],
        "is_base": is_base,
        "created_by": who,
        "created_time": when,
        "modified_by": who,
        "modified_time": when,
    }


def _check_active(ctx: Context, json_path: str, becoming_active: bool) -> None:
    if becoming_active and repo.active_count(ctx.conn, ctx.org_id) >= editions.ACTIVE_CURRENCIES:
        raise ZohoError(
            "ACTIVE_STATE_LIMIT_EXCEEDED",
            at(json_path, "is_active"),
            Message.ACTIVE_CURRENCY_LIMIT,
            limit=editions.ACTIVE_CURRENCIES,
        )


def enable(ctx: Context, item: Any, json_path: str) -> str:
    """Multi-currency on, with ``item`` as the home currency (ALREADY_ENABLED the second time); the
    caller has checked the edition."""
    take_turns(ctx.conn, ctx.org_id)
    if org_repo.get_org(ctx.conn, ctx.org_id).get("mc_status"):
        raise ZohoError("ALREADY_ENABLED", {})
    currency = _made(ctx, {**rules.new_currency(item, json_path), "is_active": True}, is_base=True)
    repo.insert_currency(ctx.conn, ctx.org_id, currency, ctx.now_ms)
    org_repo.update_data(ctx.conn, ctx.org_id, {"mc_status": True, **rules.org_fields(currency)}, ctx.now_ms)
    return str(currency["id"])


def add(ctx: Context, item: Any, json_path: str) -> str:
    currency = rules.new_currency(item, json_path)
    if repo.iso_taken(ctx.conn, ctx.org_id, currency["iso_code"]):
        raise ZohoError("DUPLICATE_DATA", at(json_path, "iso_code"))
    _check_active(ctx, json_path, currency["is_active"])
    made = _made(ctx, currency, is_base=False)
    repo.insert_currency(ctx.conn, ctx.org_id, made, ctx.now_ms)
    return str(made["id"])


def stored(ctx: Context, currency_id: Any, details: dict[str, Any]) -> dict[str, Any]:
    """The org's currency by id; INVALID_DATA "Currency id is invalid." at ``details`` otherwise."""
    normalized = ids.normalize_id(currency_id)
    found = repo.get(ctx.conn, ctx.org_id, normalized) if normalized else None
    if found is None:
        raise ZohoError("INVALID_DATA", details, Message.CURRENCY_ID)
    return found


def _apply(ctx: Context, current: dict[str, Any], found: dict[str, Any]) -> str:
    who, when = ctx.stamp()
    changed = {**current, **found, "modified_by": who, "modified_time": when}
    if "format" in found:
        changed["format"] = {**current["format"], **found["format"]}
    repo.save(ctx.conn, changed, ctx.now_ms)
    if changed["is_base"]:
        org_repo.update_data(ctx.conn, ctx.org_id, rules.org_fields(changed), ctx.now_ms)
    return str(changed["id"])


def update(ctx: Context, item: Any, json_path: str, currency_id: str | None = None) -> str:
    """An update of one currency: by the path's id, else by the item's ``id``."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": json_path, "expected_data_type": "jsonobject"})
    wanted: Any = currency_id
    if wanted is None:
        if item.get("id") is None:
            raise ZohoError("MANDATORY_NOT_FOUND", at(json_path, "id"))
        wanted = item["id"]
    current = stored(ctx, wanted, at(json_path, "id"))
    spec = rules.base_update if current["is_base"] else rules.update_of
    found = spec(current, item, json_path)
    _check_active(ctx, json_path, found.get("is_active") is True and not current["is_active"])
    return _apply(ctx, current, found)


def update_base(ctx: Context, item: Any, json_path: str) -> str:
    """``PUT /org/currencies/actions/enable``: the home currency's symbol, rate and format."""
    current = repo.base(ctx.conn, ctx.org_id)
    if current is None:
        raise ZohoError("CURRENCIES_NOT_ENABLED", {})
    if isinstance(item, dict) and item.get("id") is not None and str(item["id"]) != current["id"]:
        raise ZohoError("INVALID_DATA", at(json_path, "id"), Message.CURRENCY_ID)
    return _apply(ctx, current, rules.base_update(current, item, json_path))
