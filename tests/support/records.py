"""Helpers for the record CRUD tests: an API client with an admin token, fast row creation through
the repo (for paging edges), and custom fields added the way field-creating code stores them."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import func, insert, select
from starlette.testclient import TestClient

from zcrm_emulator import ids, record_model
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.record_model import repo as records_repo
from zcrm_emulator.record_model.repo import RecordRow
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import fields, users


def admin_id(emulator: Emulator) -> str:
    with emulator.store.tx() as conn:
        return str(documents.list_data(conn, users, emulator.default_org_id)[0]["id"])


def module_id(emulator: Emulator, api_name: str) -> str:
    with emulator.store.tx() as conn:
        module = modules_repo.find(conn, emulator.default_org_id, api_name)
    assert module is not None
    return module.id


def add_rows(
    emulator: Emulator, api_name: str, count: int, *, start_ms: int | None = None, step_ms: int = 1000
) -> list[str]:
    """``count`` live records straight through the repo (no validation): Last_Name/Name "R<n>",
    created one ``step_ms`` apart. Returns the ids in creation (= id) order."""
    org_id, owner = emulator.default_org_id, admin_id(emulator)
    module = module_id(emulator, api_name)
    start = emulator.clock.now_ms() - count * step_ms if start_ms is None else start_ms
    with emulator.store.tx() as conn:
        new_ids = ids.allocate(conn, org_id, count)
        rows = [
            RecordRow(
                record_id,
                module,
                owner,
                owner,
                owner,
                start + n * step_ms,
                start + n * step_ms,
                None,
                None,
                {"Last_Name": f"R{n}", "Name": f"R{n}"},
            )
            for n, record_id in enumerate(new_ids)
        ]
        for chunk in range(0, count, 5000):
            records_repo.insert_records(conn, org_id, rows[chunk : chunk + 5000])
    return new_ids


def insert_as(emulator: Emulator, user_id: str, module: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records inserted from code as ``user_id`` (the record model's ``insert_records``), in one
    write transaction; the per-item results."""
    org_id = emulator.default_org_id
    with emulator.store.tx(writes=True) as conn:
        meta = record_model.load_module(conn, org_id, module, emulator.clock.now_ms(), emulator.memo)
        who = record_model.caller(conn, org_id, user_id, emulator.memo)
        return record_model.insert_records(conn, org_id, who, meta, items, now_ms=emulator.clock.now_ms())


def add_field(emulator: Emulator, api_name: str, field_api_name: str, data_type: str, **extra: Any) -> dict[str, Any]:
    """A custom field on a module, stored as a whole Zoho field object (shaped like Leads.Company)."""
    org_id = emulator.default_org_id
    module = module_id(emulator, api_name)
    with emulator.store.tx() as conn:
        template = next(
            f
            for f in documents.list_data(conn, fields, org_id, fields.c.module_id == module_id(emulator, "Leads"))
            if f["api_name"] == "Company"
        )
        field_id = ids.allocate(conn, org_id)[0]
        json_type = {
            "multiselectpicklist": "jsonarray",
            "integer": "integer",
            "double": "double",
            "currency": "double",
            "percent": "double",
            "boolean": "boolean",
            "lookup": "jsonobject",
            "userlookup": "jsonobject",
        }.get(data_type, "string")
        field = copy.deepcopy(template)
        field.update(
            id=field_id,
            api_name=field_api_name,
            field_label=field_api_name.replace("_", " "),
            display_label=field_api_name.replace("_", " "),
            data_type=data_type,
            json_type=json_type,
            custom_field=True,
            created_source="crm",
            system_mandatory=False,
        )
        field.update(extra)
        sequence = conn.execute(select(func.count()).where(fields.c.module_id == module)).scalar_one()
        conn.execute(
            insert(fields).values(
                id=field_id,
                org_id=org_id,
                module_id=module,
                api_name=field_api_name,
                sequence=sequence,
                modified_ms=emulator.clock.now_ms(),
                data=field,
            )
        )
    return field


def picklist(*values: str) -> list[dict[str, Any]]:
    return [
        {
            "display_value": v,
            "actual_value": v,
            "reference_value": v,
            "id": str(n),
            "sequence_number": n,
            "type": "used",
        }
        for n, v in enumerate(values, start=1)
    ]


def insert_one(api: TestClient, module: str, record: dict[str, Any]) -> str:
    response = api.post(f"/crm/v8/{module}", json={"data": [record]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def get_one(api: TestClient, module: str, record_id: str) -> dict[str, Any]:
    response = api.get(f"/crm/v8/{module}/{record_id}")
    assert response.status_code == 200, response.text
    return dict(response.json()["data"][0])


def create_custom_module(api: TestClient, plural: str = "Stocks", singular: str = "Stock") -> None:
    profile = api.get("/crm/v8/settings/profiles").json()["profiles"][0]["id"]
    response = api.post(
        "/crm/v8/settings/modules",
        json={"modules": [{"plural_label": plural, "singular_label": singular, "profiles": [{"id": profile}]}]},
    )
    assert response.status_code == 201, response.text
