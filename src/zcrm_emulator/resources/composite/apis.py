"""Which APIs a composite call may hold, and how many records each may touch (Zoho's "Allowed APIs"
table, by the emulator's endpoint templates)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.composite.rules import allowed_nowhere

# COQL's "limit <count>" or "limit <offset>, <count>" (Zoho's rollback sample: "limit 26" over 25)
_COQL_LIMIT = re.compile(r"\blimit\s+(\d+)(?:\s*,\s*(\d+))?", re.IGNORECASE)


@dataclass(frozen=True)
class Allowed:
    """An API a composite call may hold. ``limit``: records one sub-request may touch (None: any);
    writes carry theirs in ``envelope``; a ``paged`` read lists them (``per_page`` defaults to the limit)."""

    limit: int | None = None
    envelope: str | None = None
    paged: bool = False
    query: str | None = None  # a COQL read: the body key of the query whose LIMIT may not pass the limit


ANY = Allowed()
NO_PAGE = Allowed(limit=25)
PAGED = Allowed(limit=25, paged=True)


def one(envelope: str | None) -> Allowed:
    return Allowed(limit=1, envelope=envelope)


# Zoho's "Allowed APIs" table, by the emulator's endpoint templates. Deletes only by an id in the
# path ("bulk delete option is not supported"), but for notification channels.
ALLOWED: dict[tuple[str, str], Allowed] = {
    # no restriction: org, metadata, lead conversion, custom links, roles, profiles, counts, tags …
    ("GET", "/org"): ANY,
    ("GET", "/settings/modules"): ANY,
    ("GET", "/settings/modules/{module:str}"): ANY,
    ("GET", "/settings/fields"): ANY,
    ("GET", "/settings/fields/{field_id}"): ANY,
    ("GET", "/settings/layouts"): ANY,
    ("GET", "/settings/layouts/{layout_id}"): ANY,
    ("GET", "/settings/related_lists"): ANY,
    ("GET", "/settings/related_lists/{list_id}"): ANY,
    ("GET", "/settings/custom_views"): ANY,
    ("GET", "/settings/custom_views/{view_id}"): ANY,
    ("POST", "/Leads/{record_id}/actions/convert"): ANY,
    ("GET", "/settings/custom_links"): ANY,
    ("GET", "/settings/custom_links/{link_id}"): ANY,
    ("GET", "/settings/roles"): ANY,
    ("GET", "/settings/roles/{role_id}"): ANY,
    ("POST", "/settings/roles"): ANY,
    ("PUT", "/settings/roles"): ANY,
    ("PUT", "/settings/roles/{role_id}"): ANY,
    ("GET", "/settings/profiles"): ANY,
    ("GET", "/settings/profiles/{profile_id}"): ANY,
    ("GET", "/{module}/actions/count"): ANY,
    ("GET", "/settings/tags"): ANY,
    ("POST", "/{module}/{record_id}/actions/add_tags"): ANY,
    ("POST", "/{module}/{record_id}/actions/remove_tags"): ANY,
    ("GET", "/{module}/{record_id}/Attachments"): ANY,
    ("DELETE", "/{module}/{record_id}/photo"): ANY,
    ("DELETE", "/actions/watch"): ANY,
    # one record: users, related records, notes, tags, notification channels, records
    ("POST", "/users"): one("users"),
    ("PUT", "/users"): one("users"),
    ("PUT", "/users/{user_id}"): one("users"),
    ("DELETE", "/users/{user_id}"): one(None),
    ("PUT", "/{module}/{record_id:id}/{related:related}"): one("data"),
    ("PUT", "/{module}/{record_id:id}/{related:related}/{related_id}"): one("data"),
    ("DELETE", "/{module}/{record_id:id}/{related:related}/{related_id}"): one(None),
    ("POST", "/Notes"): one("data"),
    ("PUT", "/Notes"): one("data"),
    ("PUT", "/Notes/{note_id}"): one("data"),
    ("DELETE", "/Notes/{note_id}"): one(None),
    ("POST", "/{module}/{record_id:id}/Notes"): one("data"),
    ("POST", "/settings/tags"): one("tags"),
    ("PUT", "/settings/tags"): one("tags"),
    ("PUT", "/settings/tags/{tag_id}"): one("tags"),
    ("POST", "/settings/tags/{tag_id}/actions/merge"): one("tags"),
    ("POST", "/actions/watch"): one("watch"),
    ("PUT", "/actions/watch"): one("watch"),
    ("PATCH", "/actions/watch"): one("watch"),
    ("POST", "/{module}"): one("data"),
    ("PUT", "/{module}"): one("data"),
    ("PUT", "/{module}/{record_id}"): one("data"),
    ("POST", "/{module}/upsert"): one("data"),
    ("DELETE", "/{module}/{record_id}"): one(None),
    # 25 records: notes, notification channels, records, related records, COQL, deleted records, users
    ("GET", "/Notes"): PAGED,
    ("GET", "/Notes/{note_id}"): NO_PAGE,
    ("GET", "/{module}/{record_id:id}/Notes"): PAGED,
    ("GET", "/actions/watch"): NO_PAGE,
    ("GET", "/{module}"): PAGED,
    ("GET", "/{module}/{record_id}"): NO_PAGE,
    ("GET", "/{module}/search"): PAGED,
    ("GET", "/{module}/{record_id:id}/{related:related}"): PAGED,
    ("GET", "/{module}/{record_id:id}/{related:related}/{related_id}"): NO_PAGE,
    ("POST", "/coql"): Allowed(limit=25, query="select_query"),
    ("GET", "/{module}/deleted"): PAGED,
    ("GET", "/users"): PAGED,
    ("GET", "/users/{user_id}"): NO_PAGE,
}


def allowed(index: int, method: str, template: str) -> Allowed:
    found = ALLOWED.get((method, template))
    if found is None:
        raise allowed_nowhere(index)
    return found


def within_limit(
    rule: Allowed, query: list[tuple[str, str]], body: Any
) -> tuple[list[tuple[str, str]], ZohoError | None]:
    """The query the sub-request runs with (a paged read's ``per_page`` defaults to the limit), or the
    LIMIT_EXCEEDED its own answer is when it asks for more records than the limit."""
    if rule.limit is None:
        return query, None
    if rule.envelope is not None:
        items = body.get(rule.envelope) if isinstance(body, dict) else None
        if isinstance(items, list) and len(items) > rule.limit:
            return query, ZohoError("LIMIT_EXCEEDED", {"by": rule.envelope, "limit": rule.limit})
    if rule.query is not None and isinstance(body, dict) and isinstance(body.get(rule.query), str):
        asked = _COQL_LIMIT.findall(body[rule.query])
        if asked and int(asked[-1][-1] or asked[-1][0]) > rule.limit:
            return query, ZohoError("LIMIT_EXCEEDED", {"by": "limit", "limit": rule.limit})
    if rule.paged:
        per_page = [value for name, value in query if name == "per_page"]
        if not per_page:
            return [*query, ("per_page", str(rule.limit))], None
        if per_page[-1].strip().isdigit() and int(per_page[-1]) > rule.limit:
            return query, ZohoError("LIMIT_EXCEEDED", {"by": "per_page", "limit": rule.limit})
    return query, None
