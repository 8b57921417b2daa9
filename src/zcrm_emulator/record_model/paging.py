"""Record list paging (REFERENCE §4.2-§4.3): page/per_page up to record 2,000, page tokens beyond.

Plain rules over plain values: which params a token is bound to, when a token is refused, and the
``info`` object. The service stores and loads tokens through the repo.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.record_model.limits import DISCRETE_PAGINATION_LIMIT, TOKEN_PAGINATION_LIMIT
from zcrm_emulator.record_model.repo import PageToken

# Params that choose the page rather than the result set: not part of a token's binding.
UNBOUND_PARAMS = frozenset({"page_token", "page", "per_page"})
TOKEN_PARAM = {"param_name": "page_token"}


def binding(module_id: str, query: Mapping[str, str]) -> str:
    """The fingerprint of a list request's result set: the module and every other param."""
    bound = {k: v for k, v in sorted(query.items()) if k not in UNBOUND_PARAMS}
    return hashlib.sha256(json.dumps([module_id, bound]).encode()).hexdigest()


def check_discrete(page: int, per_page: int) -> None:
    """Without a token only the first 2,000 records can be reached."""
    if page * per_page > DISCRETE_PAGINATION_LIMIT:
        raise ZohoError("DISCRETE_PAGINATION_LIMIT_EXCEEDED", {"limit": DISCRETE_PAGINATION_LIMIT})


def check_token(token: PageToken | None, *, org_id: str, user_id: str, fingerprint: str, now_ms: int) -> PageToken:
    """Refuse an unknown token, another user's, an expired one, one whose params changed, and
    one past the 100,000-record ceiling — in that order."""
    if token is None or token.org_id != org_id or token.user_id != user_id:
        raise ZohoError("INVALID_DATA", dict(TOKEN_PARAM))
    if now_ms >= token.expires_ms:
        raise ZohoError("EXPIRED_VALUE", {"api_name": "page_token", "json_path": "$.query.page_token"})
    if token.binding != fingerprint:
        raise ZohoError("TOKEN_BOUND_DATA_MISMATCH", dict(TOKEN_PARAM))
    if token.served >= TOKEN_PAGINATION_LIMIT:
        raise ZohoError("PAGINATION_LIMIT_EXCEEDED", dict(TOKEN_PARAM))
    return token


def token_page_size(token: PageToken, per_page: int) -> int:
    """A token page never reaches past record 100,000."""
    return min(per_page, TOKEN_PAGINATION_LIMIT - token.served)


def info(
    *,
    per_page: int,
    count: int,
    page: int,
    more_records: bool,
    sort_by: str,
    sort_order: str,
    next_page_token: str | None,
    previous_page_token: str | None,
    page_token_expiry: str | None,
) -> dict[str, Any]:
    """The records list ``info`` object with every key of REFERENCE §1.5."""
    return {
        "call": False,
        "per_page": per_page,
        "next_page_token": next_page_token,
        "count": count,
        "sort_by": sort_by,
        "page": page,
        "previous_page_token": previous_page_token,
        "page_token_expiry": page_token_expiry,
        "sort_order": sort_order,
        "email": False,
        "more_records": more_records,
    }
