"""Notes over HTTP (OAS notes.json): /Notes, /Notes/{id} and a record's notes."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.allowances import NOTE_SIZE, NOTE_TOKENS
from tests.support.oas import validate_response

pytestmark = pytest.mark.usefixtures("both_backends")

V8 = "/crm/v8"
ALL_FIELDS = "Note_Title,Note_Content,Parent_Id,Owner,Created_By,Modified_By,Created_Time,Modified_Time"


def make(api: TestClient, module: str, **values: Any) -> str:
    response = api.post(f"{V8}/{module}", json={"data": [values]})
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["details"]["id"])


def note_of(api: TestClient, lead: str, content: str = "Call back") -> str:
    response = api.post(
        f"{V8}/Notes",
        json={"data": [{"Note_Content": content, "Parent_Id": {"module": {"api_name": "Leads"}, "id": lead}}]},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["data"][0]["details"]["id"])


def test_a_note_created_for_a_lead_reads_back_in_zohos_note_shape(api: TestClient) -> None:
    lead = make(api, "Leads", Last_Name="Reyes")
    created = api.post(
        f"{V8}/Notes",
        json={
            "data": [
                {"Note_Title": "T", "Note_Content": "C", "Parent_Id": {"module": {"api_name": "Leads"}, "id": lead}}
            ]
        },
    )
    assert created.status_code == 200
    validate_response(created, "notes.json", "/crm/v8/Notes", "POST")
    assert created.json()["data"][0]["message"] == "record added"
    note = created.json()["data"][0]["details"]["id"]
    one = api.get(f"{V8}/Notes/{note}")
    validate_response(one, "notes.json", "/crm/v8/Notes/{id}", allow=[NOTE_SIZE])
    shown = one.json()["data"][0]
    assert shown["Parent_Id"]["module"]["api_name"] == "Leads"
    assert shown["Parent_Id"]["id"] == lead and shown["Parent_Id"]["name"] == "Reyes"
    assert shown["$se_module"] == "Leads"
    assert {k: shown[k] for k in ("$editable", "$state", "$voice_note", "$attachments")} == {
        "$editable": True,
        "$state": "save",
        "$voice_note": False,
        "$attachments": [],
    }
    listed = api.get(f"{V8}/Notes", params={"fields": ALL_FIELDS})
    validate_response(listed, "notes.json", "/crm/v8/Notes", allow=[NOTE_SIZE])
    assert [n["id"] for n in listed.json()["data"]] == [note]


def test_a_records_notes_are_its_own_and_post_takes_the_path_record_as_parent(api: TestClient) -> None:
    lead, other = make(api, "Leads", Last_Name="A"), make(api, "Leads", Last_Name="B")
    posted = api.post(f"{V8}/Leads/{lead}/Notes", json={"data": [{"Note_Content": "mine"}]})
    assert posted.status_code == 200, posted.text
    note_of(api, other, "theirs")
    mine = api.get(f"{V8}/Leads/{lead}/Notes", params={"fields": "Note_Content,Parent_Id"})
    assert [n["Note_Content"] for n in mine.json()["data"]] == ["mine"]
    related = api.get(
        f"{V8}/Leads/{lead}/Notes/{posted.json()['data'][0]['details']['id']}", params={"fields": "Note_Content"}
    )
    assert related.status_code == 200
    account = make(api, "Accounts", Account_Name="Quiet")
    assert api.get(f"{V8}/Accounts/{account}/Notes", params={"fields": "Note_Content"}).status_code == 204


def test_the_older_form_with_se_module_and_a_mixed_batch_keep_each_items_path(api: TestClient) -> None:
    lead = make(api, "Leads", Last_Name="Old")
    response = api.post(
        f"{V8}/Notes",
        json={
            "data": [
                {"Note_Content": "no module", "Parent_Id": lead},
                {"Note_Content": "ok", "Parent_Id": lead, "se_module": "Leads"},
                {"Note_Content": "wrong module", "Parent_Id": lead, "$se_module": "Accounts"},
                {"Note_Content": "unknown module", "Parent_Id": lead, "$se_module": "Nope"},
                {"Parent_Id": lead, "$se_module": "Leads"},
            ]
        },
    )
    assert response.status_code == 207
    results = response.json()["data"]
    assert results[0]["code"] == "MANDATORY_NOT_FOUND"
    assert results[0]["details"] == {"api_name": "$se_module", "json_path": "$.data[0].$se_module"}
    assert results[1]["status"] == "success"
    assert results[2]["code"] == "INVALID_DATA" and results[2]["details"]["api_name"] == "Parent_Id"
    assert results[3]["code"] == "INVALID_MODULE"
    assert results[4]["code"] == "MANDATORY_NOT_FOUND"
    assert results[4]["details"] == {"api_name": "Note_Content", "json_path": "$.data[4].Note_Content"}


def test_updating_and_deleting_notes_answer_with_the_notes_stamps(api: TestClient) -> None:
    lead = make(api, "Leads", Last_Name="U")
    first, second = note_of(api, lead, "one"), note_of(api, lead, "two")
    updated = api.put(f"{V8}/Notes/{first}", json={"data": [{"Note_Content": "uno"}]})
    assert updated.status_code == 200 and updated.json()["data"][0]["message"] == "record updated"
    validate_response(updated, "notes.json", "/crm/v8/Notes/{id}", "PUT")
    batch = api.put(f"{V8}/Notes", json={"data": [{"id": second, "Note_Title": "dos"}]})
    assert batch.status_code == 200
    assert api.get(f"{V8}/Notes/{first}").json()["data"][0]["Note_Content"] == "uno"

    deleted = api.delete(f"{V8}/Notes", params={"ids": f"{first},{second}"})
    assert deleted.status_code == 200
    validate_response(deleted, "notes.json", "/crm/v8/Notes", "DELETE")
    details = deleted.json()["data"][0]["details"]
    assert set(details) == {"Modified_Time", "Modified_By", "Created_Time", "id", "Created_By"}
    assert api.get(f"{V8}/Notes/{first}").status_code == 204
    missing = api.delete(f"{V8}/Notes")
    assert missing.status_code == 400 and missing.json()["code"] == "REQUIRED_PARAM_MISSING"
    gone = api.delete(f"{V8}/Notes/{first}")
    assert gone.status_code == 400 and gone.json()["data"][0]["message"] == "record not deleted"


def test_deleting_a_note_through_its_records_notes_list(api: TestClient) -> None:
    lead = make(api, "Leads", Last_Name="D")
    note = note_of(api, lead)
    response = api.delete(f"{V8}/Leads/{lead}/Notes/{note}")
    assert response.status_code == 200 and response.json()["data"][0]["message"] == "record deleted"
    assert api.get(f"{V8}/Notes/{note}").status_code == 204


@pytest.mark.parametrize("sort_by", ["id", "Modified_Time"])
def test_a_records_notes_page_on_by_token_in_their_sort_order(api: TestClient, sort_by: str) -> None:
    lead = make(api, "Leads", Last_Name="Many")
    posted = api.post(
        f"{V8}/Leads/{lead}/Notes", json={"data": [{"Note_Title": "T", "Note_Content": f"n{n}"} for n in range(3)]}
    )
    assert posted.status_code == 200, posted.text
    asked = {"fields": ALL_FIELDS, "per_page": 2, "sort_by": sort_by, "sort_order": "asc"}
    everything = api.get(f"{V8}/Leads/{lead}/Notes", params={**asked, "per_page": 200}).json()["data"]
    first = api.get(f"{V8}/Leads/{lead}/Notes", params=asked)
    token = first.json()["info"]["next_page_token"]
    assert first.json()["info"]["sort_by"] == sort_by and token
    validate_response(first, "notes.json", "/crm/v8/Notes", allow=[NOTE_SIZE, *NOTE_TOKENS])
    second = api.get(f"{V8}/Leads/{lead}/Notes", params={**asked, "page_token": token})
    assert second.status_code == 200, second.text
    assert [n["id"] for n in first.json()["data"] + second.json()["data"]] == [n["id"] for n in everything]
    assert second.json()["info"]["previous_page_token"] == token
    assert second.json()["info"]["more_records"] is False and second.json()["info"]["page"] == 2
    resorted = api.get(f"{V8}/Leads/{lead}/Notes", params={**asked, "sort_order": "desc", "page_token": token})
    assert resorted.status_code == 400 and resorted.json()["code"] == "TOKEN_BOUND_DATA_MISMATCH"
