"""Page tokens on a record's related list, as on record lists (REFERENCE §4.3; record_model paging):
``page``/``per_page`` reach the first 2,000 records, ``page_token`` the ones after. A token is bound
to the caller, the list, its parent and every other param; the next page starts after the last
record served (keyset on the list's sort column and id)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from zcrm_emulator import params, record_model
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.record_model import PageToken
from zcrm_emulator.routing import Call


@dataclass(frozen=True)
class Paging:
    """Where a related-records page starts: by number, or after a token's record."""

    page: int
    per_page: int
    size: int  # records to serve (a token page never passes record 100,000)
    served_before: int
    fingerprint: str
    after_id: str | None = None
    after_sort: int | None = None  # the last record's sort value, when the list is not sorted by id
    token: str | None = None  # the token given, the next page's previous one


def paging(call: Call, child: record_model.ModuleMeta, bound: str, now_ms: int) -> Paging:
    """The page the call asks for; a token given is checked as record lists check theirs."""
    per_page = params.integer(call, "per_page", record_model.MAX_PER_PAGE, maximum=record_model.MAX_PER_PAGE)
    fingerprint = record_model.page_binding(f"{child.id}/{bound}", dict(call.request.query_params))
    value = call.query("page_token")
    if not value:
        number = params.integer(call, "page", 1)
        record_model.check_discrete(number, per_page)
        return Paging(number, per_page, per_page, (number - 1) * per_page, fingerprint)
    if call.query("page"):
        raise ZohoError(
            "AMBIGUITY_DURING_PROCESSING", {"ambiguity_due_to": [{"param_name": "page"}, {"param_name": "page_token"}]}
        )
    token = record_model.check_token(
        record_model.get_page_token(call.conn, value),
        org_id=call.org_id,
        user_id=call.user_id,
        fingerprint=fingerprint,
        now_ms=now_ms,
    )
    size = record_model.token_page_size(token, per_page)
    return Paging(token.page, per_page, size, token.served, fingerprint, token.after_id, token.after_sort, value)


def info(
    call: Call,
    at: Paging,
    child: record_model.ModuleMeta,
    rows: list[record_model.RecordRow],
    more: bool,
    reader: record_model.Reader,
    now_ms: int,
    sort: str = "id",
) -> dict[str, Any]:
    """The page's ``info``, with a token for the next page when more records follow; ``sort``: the
    record column the list is ordered by (``id``, ``created_ms``, ``modified_ms``)."""
    minted = _mint(call, at, child, rows[-1], sort, now_ms) if more and rows else None
    return {
        "per_page": at.per_page,
        "count": len(rows),
        "page": at.page,
        "more_records": more,
        "next_page_token": minted.token if minted else None,
        "previous_page_token": at.token,
        "page_token_expiry": reader.time(minted.expires_ms) if minted else None,
    }


def _mint(
    call: Call, at: Paging, child: record_model.ModuleMeta, last: record_model.RecordRow, sort: str, now: int
) -> PageToken:
    token = PageToken(
        token=secrets.token_hex(32),
        org_id=call.org_id,
        user_id=call.user_id,
        module_id=child.id,
        binding=at.fingerprint,
        after_sort=None if sort == "id" else getattr(last, sort),
        after_id=last.id,
        served=at.served_before + at.size,  # a page that has more after it is full
        page=at.page + 1,
        previous_token=at.token,
        created_ms=now,
        expires_ms=now + record_model.PAGE_TOKEN_LIFETIME_MS,
    )
    record_model.keep_page_token(call.conn, token, now, call.emulator.memo)
    return token
