"""GET /settings/layouts (REFERENCE §3.3; OAS layouts.json): one Standard layout per module."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_one_standard_layout_per_module_with_stable_id_and_field_sections(api: TestClient) -> None:
    first = api.get("/crm/v8/settings/layouts", params={"module": "Leads"}).json()["layouts"]
    again = api.get("/crm/v8/settings/layouts", params={"module": "Leads"}).json()["layouts"]
    assert [layout["id"] for layout in first] == [layout["id"] for layout in again]
    [layout] = first
    assert (layout["name"], layout["status"], layout["api_name"]) == ("Standard", "active", "Standard__s")
    fields = api.get("/crm/v8/settings/fields", params={"module": "Leads"}).json()["fields"]
    associated = {a["id"] for f in fields for a in f["layout_associations"]}
    assert associated == {layout["id"]}
    in_sections = [f["api_name"] for s in layout["sections"] for f in s["fields"]]
    assert sorted(in_sections) == sorted(f["api_name"] for f in fields if f.get("visible", True))
    required = {f["api_name"] for s in layout["sections"] for f in s["fields"] if f["required"]}
    assert required == {"Last_Name"}
    one = api.get(f"/crm/v8/settings/layouts/{layout['id']}", params={"module": "Leads"})
    assert one.json() == {"layouts": [layout]}
    assert api.get("/crm/v8/settings/layouts/1234567000000000001", params={"module": "Leads"}).status_code == 204
