"""Custom views on the caller's connection: a module's views, the view a ``cvid`` names, and the
records a view holds in its order (what ``/{module}?cvid=``, ``/{module}/search?cvid=``,
``/{module}/actions/count?cvid=`` and a mass update by ``cvid`` read); a new custom module's views;
a view's new sort order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection

from zcrm_emulator import ids, record_model
from zcrm_emulator.clock import iso
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.record_model import ModuleMeta, PageQuery, RecordRow
from zcrm_emulator.resources.custom_views import repo, rules
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.workflow_rules import criteria
from zcrm_emulator.standard_org import views

# Records read per statement while a view's records are gathered.
BATCH = 1000


def add_custom_module_views(
    conn: Connection,
    org_id: str,
    module: Mapping[str, Any],
    field_list: Sequence[Mapping[str, Any]],
    *,
    actor: Mapping[str, Any],
    now_ms: int,
) -> None:
    """A new custom module's views (All, My, Today's … as every module has; Zoho gives each custom
    module its "All" view), so ``/settings/custom_views`` lists them and ``cvid`` names them."""
    fields = {str(field["api_name"]): str(field["id"]) for field in field_list}
    rows = views.module_views(
        org_id,
        module,
        fields,
        views.custom_module_entry(),
        new_id=lambda: ids.allocate(conn, org_id, 1)[0],
        created=iso(now_ms, actor.get("time_zone") or "UTC"),
        person={"name": actor["full_name"], "id": actor["id"]},
        now_ms=now_ms,
    )
    repo.add_views(conn, rows)


def views_of(conn: Connection, org_id: str, module_id: str) -> list[dict[str, Any]]:
    return repo.list_views(conn, org_id, module_id)


def find(conn: Connection, org_id: str, module_id: str, raw_id: Any) -> dict[str, Any] | None:
    """The module's view with this id (a number or digit string), or None."""
    view_id = normalize_id(raw_id)
    return repo.get_view(conn, org_id, module_id, view_id) if view_id else None


def view_param(conn: Connection, org_id: str, meta: ModuleMeta, raw: str) -> dict[str, Any]:
    """The view a ``cvid`` query param names: INVALID_DATA ``{param_name: cvid}`` when none (REFERENCE §4.2)."""
    view = find(conn, org_id, meta.id, raw)
    if view is None:
        raise ZohoError("INVALID_DATA", {"param_name": "cvid"})
    return view


def records_in(
    conn: Connection,
    org_id: str,
    meta: ModuleMeta,
    view: Mapping[str, Any],
    *,
    actor: str,
    now_ms: int,
    where: tuple[ColumnElement[bool], ...] = (),
) -> list[RecordRow]:
    """The live records of the module that meet the view's criteria (and ``where``), in its order."""
    ctx = criteria.Context(now_ms, repo.org_time_zone(conn, org_id), actor)
    wanted = view.get("criteria")
    found: list[RecordRow] = []
    after: str | None = None
    while True:
        page = PageQuery("id", False, BATCH, 0, None, after)
        rows = record_model.list_records(conn, meta.id, page, *where)
        found.extend(row for row in rows if criteria.matches(wanted, rules.record_view(row), meta.by_name, ctx))
        if len(rows) < BATCH:
            break
        after = rows[-1].id
    return rules.sort_rows(found, view)


def change_sort(
    conn: Connection,
    module_id: str,
    view: Mapping[str, Any],
    clean: Mapping[str, Any],
    json_path: str,
    *,
    actor: Mapping[str, Any],
    now_ms: int,
) -> str:
    """Store the validated ``sort_by``/``sort_order`` of one change_sort item on ``view``: lists by
    its ``cvid`` come back in that order from the next call on (``records_in``)."""
    sort_by = rules.sort_field(fields_repo.list_fields(conn, module_id), clean["sort_by"], json_path)
    stamp = {
        "modified_time": iso(now_ms, actor.get("time_zone") or "UTC"),
        "modified_by": {"name": actor["full_name"], "id": actor["id"]},
    }
    repo.save_view(conn, str(view["id"]), rules.with_sort(view, sort_by, clean["sort_order"], **stamp), now_ms)
    return str(view["id"])
