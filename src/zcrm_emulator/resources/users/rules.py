"""Which users a ``type`` filter selects (REFERENCE §3.6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zcrm_emulator.errors import ZohoError

User = dict[str, Any]


def _active(u: User) -> bool:
    return u.get("status") == "active"


def _admin(u: User) -> bool:
    return (u.get("profile") or {}).get("name") == "Administrator"


TYPE_FILTERS: dict[str, Callable[[User], bool]] = {
    "AllUsers": lambda u: u.get("status") != "deleted",
    "ActiveUsers": _active,
    "DeactiveUsers": lambda u: u.get("status") in ("disabled", "inactive"),
    "ConfirmedUsers": lambda u: bool(u.get("confirm")),
    "NotConfirmedUsers": lambda u: not u.get("confirm"),
    "DeletedUsers": lambda u: u.get("status") == "deleted",
    "ActiveConfirmedUsers": lambda u: _active(u) and bool(u.get("confirm")),
    "AdminUsers": _admin,
    "ActiveConfirmedAdmins": lambda u: _admin(u) and _active(u) and bool(u.get("confirm")),
}


def select_users(all_users: list[User], user_type: str, current_user_id: str) -> list[User]:
    if user_type == "CurrentUser":
        return [u for u in all_users if u["id"] == current_user_id]
    keep = TYPE_FILTERS.get(user_type)
    if keep is None:
        raise ZohoError("INVALID_DATA", {"param_name": "type", "supported_values": [*TYPE_FILTERS, "CurrentUser"]})
    return [u for u in all_users if keep(u)]
