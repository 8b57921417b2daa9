"""The admission's one statement (see the package's docstring): the token row joined to its org, with
the org's credit standing and one correlated subquery per stamp column."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, bindparam, exists, func, select

from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import (
    access_tokens,
    api_credit_totals,
    api_usage,
    fields,
    layouts,
    modules,
    orgs,
    profiles,
    scoring_rules,
    users,
    watch_channels,
    workflow_rules,
)

_TOKEN_ORG = access_tokens.c.org_id


def _of_org(table: Table, *columns: ColumnElement[Any]) -> Any:
    """``columns`` aggregated over the token's org's rows of ``table``, as one correlated subquery each."""
    return [select(column).where(table.c.org_id == _TOKEN_ORG).scalar_subquery() for column in columns]


_STATEMENT = Prepared(
    select(
        access_tokens.c.org_id,
        access_tokens.c.user_id,
        access_tokens.c.scopes,
        access_tokens.c.client_id,
        access_tokens.c.expires_ms,
        # credits: the org's edition, licenses, running total and this minute's buckets (usage/repo.py)
        orgs.c.edition,
        orgs.c.data["license_details"]["users_license_purchased"].as_integer(),
        api_credit_totals.c.minute,
        api_credit_totals.c.credits,
        select(func.coalesce(func.sum(api_usage.c.credits), 0))
        .where(api_usage.c.org_id == _TOKEN_ORG, api_usage.c.minute == bindparam("minute"))
        .scalar_subquery(),
        # metadata: modules, their fields and layouts
        *_of_org(modules, func.count(), func.max(modules.c.modified_ms), func.sum(modules.c.modified_ms)),
        *_of_org(fields, func.count(), func.max(fields.c.modified_ms)),
        *_of_org(layouts, func.count(), func.max(layouts.c.modified_ms)),
        # people: users and profiles (record_model/access.py)
        *_of_org(users, func.count(), func.max(users.c.modified_ms)),
        *_of_org(profiles, func.max(profiles.c.modified_ms)),
        # automation: any active workflow rule, any live watch channel, any scoring rule
        exists().where(workflow_rules.c.org_id == _TOKEN_ORG, workflow_rules.c.active.is_(True)),
        exists().where(watch_channels.c.org_id == _TOKEN_ORG, watch_channels.c.expiry_ms > bindparam("now_ms")),
        # any scoring rule (active or not: whether one is active is inside its document)
        exists().where(scoring_rules.c.org_id == _TOKEN_ORG),
    )
    .select_from(
        access_tokens.join(orgs, orgs.c.id == _TOKEN_ORG).outerjoin(
            api_credit_totals, api_credit_totals.c.org_id == _TOKEN_ORG
        )
    )
    .where(access_tokens.c.token_hash == bindparam("token_hash")),
    name="admission",
)


def admission_row(conn: Connection, token_hash: str, minute: int, now_ms: int) -> Any | None:
    """(token: org, user, scopes, client, expires; credits: edition, licenses, total minute, total,
    this minute; metadata stamp: 7 columns; people stamp: 3 columns; any active workflow rule; any
    live watch; any scoring rule)."""
    return _STATEMENT.first(conn, {"token_hash": token_hash, "minute": minute, "now_ms": now_ms})
