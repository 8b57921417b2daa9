"""/{module}/{record_id}/Attachments over HTTP: file and link uploads, the list, downloads and
deletes at each rule's edge, with bodies checked against Zoho's attachments.json; storage on both
stores."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import ATTACHMENTS
from tests.support.oas import validate_response
from tests.support.records import admin_id, insert_one
from zcrm_emulator import record_model
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.attachments import rules

pytestmark = pytest.mark.usefixtures("both_backends")

OAS = "attachments.json"
LIST = "/crm/v8/{module}/{record_id}/Attachments"
ONE = "/crm/v8/{module}/{record_id}/Attachments/{id}"
FIELDS = "id,File_Name,Size,Owner,Created_By,Modified_By,Created_Time,Modified_Time,Parent_Id"


@pytest.fixture
def lead(api: TestClient) -> str:
    return insert_one(api, "Leads", {"Last_Name": "Attached", "First_Name": "Ada"})


def url(record_id: str, attachment_id: str | None = None, module: str = "Leads") -> str:
    base = f"/crm/v8/{module}/{record_id}/Attachments"
    return base if attachment_id is None else f"{base}/{attachment_id}"


def attach(
    api: TestClient, record_id: str, name: str = "notes.txt", data: bytes = b"hello", kind: str = "text/plain"
) -> str:
    response = api.post(url(record_id), files={"file": (name, data, kind)})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, LIST, "POST")
    return str(response.json()["data"][0]["details"]["id"])


def listed(api: TestClient, record_id: str, **query: Any) -> httpx.Response:
    return api.get(url(record_id), params={"fields": FIELDS, **query})


def error_of(response: httpx.Response, status: int, path: str = LIST, method: str = "POST") -> dict[str, Any]:
    assert response.status_code == status, response.text
    validate_response(response, OAS, path, method, allow=ATTACHMENTS)
    return dict(response.json())


def test_a_file_upload_answers_zohos_success_with_its_id_times_and_users(api: TestClient, lead: str) -> None:
    response = api.post(url(lead), files={"file": ("report.pdf", b"%PDF-1.4 body", "application/pdf")})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, LIST, "POST")
    item = response.json()["data"][0]
    assert item["code"] == "SUCCESS" and item["message"] == "attachment uploaded successfully"
    assert set(item["details"]) == {"Modified_Time", "Modified_By", "Created_Time", "id", "Created_By"}
    assert set(item["details"]["Created_By"]) == {"name", "id"}


def test_the_file_downloads_with_its_bytes_media_type_and_name(api: TestClient, lead: str) -> None:
    data = bytes(range(256)) * 40
    attachment_id = attach(api, lead, "report.pdf", data, "application/pdf")
    response = api.get(url(lead, attachment_id))
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == "attachment;filename=report.pdf"


def test_a_file_sent_without_a_media_type_takes_the_one_its_name_suggests(api: TestClient, lead: str) -> None:
    attachment_id = attach(api, lead, "picture.png", b"\x89PNG....", "application/octet-stream")
    assert api.get(url(lead, attachment_id)).headers["content-type"] == "image/png"


def test_a_name_outside_ascii_downloads_with_an_rfc_6266_name(api: TestClient, lead: str) -> None:
    attachment_id = attach(api, lead, "résumé.txt", b"cv")
    disposition = api.get(url(lead, attachment_id)).headers["content-disposition"]
    assert disposition == "attachment;filename=r_sum_.txt;filename*=UTF-8''r%C3%A9sum%C3%A9.txt"


def test_a_link_is_stored_as_given_and_listed_as_a_link_url(api: TestClient, lead: str) -> None:
    response = api.post(url(lead), data={"attachmentUrl": "https://example.com/doc.pdf", "title": "Q4 report"})
    assert response.status_code == 200, response.text
    validate_response(response, OAS, LIST, "POST")
    listing = listed(api, lead)
    assert validate_response(listing, OAS, LIST, "GET", allow=ATTACHMENTS)
    [item] = listing.json()["data"]
    assert item["$type"] == "Link URL" and item["$link_url"] == "https://example.com/doc.pdf"
    assert item["File_Name"] == "Q4 report" and item["Size"] == "0" and item["$file_id"] is None


def test_a_link_may_come_in_the_query_and_is_named_by_its_url_without_a_title(api: TestClient, lead: str) -> None:
    response = api.post(url(lead), params={"attachmentUrl": "http://example.com/a"})
    assert response.status_code == 200, response.text
    [item] = listed(api, lead).json()["data"]
    assert item["File_Name"] == "http://example.com/a"


def test_a_link_cannot_be_downloaded(api: TestClient, lead: str) -> None:
    api.post(url(lead), data={"attachmentUrl": "https://example.com/x"})
    [item] = listed(api, lead).json()["data"]
    body = error_of(api.get(url(lead, item["id"])), 400, ONE, "GET")
    assert body["code"] == "DOWNLOAD_NOT_ALLOWED"
    assert body["message"] == "As it is a linked attachment, you can not download it"


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        ("https://example.com/" + "a" * (rules.MAX_URL_LENGTH - 20), True),
        ("https://example.com/" + "a" * (rules.MAX_URL_LENGTH - 19), False),
        ("ftp://example.com/file", False),
        ("example.com/file", False),
        ("https://", False),
        ("", False),
    ],
)
def test_a_link_must_be_an_http_url_of_at_most_3000_characters(api: TestClient, lead: str, link: str, ok: bool) -> None:
    response = api.post(url(lead), data={"attachmentUrl": link})
    if ok:
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 400, response.text
    assert response.json() == {
        "code": "INVALID_URL_PATTERN",
        "details": {},
        "message": "the given attachment URL is incorrect",
        "status": "error",
    }


@pytest.mark.parametrize(("length", "ok"), [(1, True), (255, True), (256, False), (0, False)])
def test_a_title_is_1_to_255_characters(api: TestClient, lead: str, length: int, ok: bool) -> None:
    response = api.post(url(lead), data={"attachmentUrl": "https://example.com", "title": "t" * length})
    assert response.status_code == (200 if ok else 400), response.text
    if not ok:
        assert response.json()["code"] == "INVALID_DATA"
        assert response.json()["details"] == {"param_name": "title", "maximum_length": 255}


def test_an_upload_without_a_file_or_link_is_refused_as_zoho_does(api: TestClient, lead: str) -> None:
    for response in (api.post(url(lead)), api.post(url(lead), data={"title": "only a title"})):
        body = error_of(response, 400)
        assert body == {
            "code": "MANDATORY_NOT_FOUND",
            "details": {},
            "message": "required field not found",
            "status": "error",
        }


def test_a_file_and_a_link_together_are_refused(api: TestClient, lead: str) -> None:
    response = api.post(url(lead), data={"attachmentUrl": "https://example.com"}, files={"file": ("a.txt", b"a")})
    assert error_of(response, 400)["message"] == "invalid data provided"
    assert listed(api, lead).status_code == 204


def test_a_file_over_20_mb_is_refused_and_nothing_is_kept(api: TestClient, lead: str) -> None:
    too_big = b"x" * (rules.MAX_FILE_BYTES + 1)
    response = api.post(url(lead), files={"file": ("big.bin", too_big)})
    assert response.status_code == 413
    assert response.json()["code"] == "FILE_SIZE_MORE_THAN_ALLOWED_SIZE"
    assert listed(api, lead).status_code == 204


def test_the_per_file_limit_is_20_mb_exactly() -> None:
    from zcrm_emulator.uploads import Upload

    assert rules.check_file(Upload("a", "text/plain", b"x" * rules.MAX_FILE_BYTES))
    with pytest.raises(Exception, match="FILE_SIZE_MORE_THAN_ALLOWED_SIZE"):
        rules.check_file(Upload("a", "text/plain", b"x" * (rules.MAX_FILE_BYTES + 1)))


@pytest.mark.parametrize("record_id", ["1", "abc", "0123"])
def test_an_unknown_record_is_the_related_id_error(api: TestClient, record_id: str) -> None:
    for response, method in (
        (api.post(url(record_id), data={"attachmentUrl": "https://e.com"}), "POST"),
        (listed(api, record_id), "GET"),
    ):
        body = error_of(response, 400, LIST, method)
        assert body["code"] == "INVALID_DATA"
        assert body["message"] == "the related id given seems to be invalid"
        assert body["details"] == {"resource_path_index": 1}


def test_an_unknown_module_is_invalid_module(api: TestClient, lead: str) -> None:
    body = error_of(api.get(url(lead, module="Nothing"), params={"fields": "id"}), 400, LIST, "GET")
    assert body["code"] == "INVALID_MODULE"


def test_the_list_needs_fields(api: TestClient, lead: str) -> None:
    attach(api, lead)
    body = error_of(api.get(url(lead)), 400, LIST, "GET")
    assert body == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "fields"},
        "message": "One of the expected parameter is missing",
        "status": "error",
    }


def test_a_record_without_attachments_lists_204(api: TestClient, lead: str) -> None:
    response = listed(api, lead)
    assert response.status_code == 204 and not response.content


def test_the_list_shows_the_asked_fields_the_parent_and_the_system_keys(api: TestClient, lead: str) -> None:
    attach(api, lead, "one.txt", b"12345")
    response = listed(api, lead)
    validate_response(response, OAS, LIST, "GET")
    [item] = response.json()["data"]
    assert item["Parent_Id"] == {"name": "Ada Attached", "id": lead}
    assert item["File_Name"] == "one.txt" and item["Size"] == "5"
    assert item["$type"] == "File" and item["$se_module"] == "Leads" and len(item["$file_id"]) == 64
    only_name = api.get(url(lead), params={"fields": "File_Name"}).json()["data"][0]
    assert "Size" not in only_name and only_name["File_Name"] == "one.txt" and "id" in only_name


def test_the_list_pages_newest_first(api: TestClient, lead: str, emulator: Emulator) -> None:
    ids = []
    for n in range(3):
        ids.append(attach(api, lead, f"{n}.txt"))
        emulator.advance_clock(1000)
    first = listed(api, lead, per_page=2)
    assert [item["id"] for item in first.json()["data"]] == [ids[2], ids[1]]
    assert first.json()["info"]["more_records"] is True
    second = listed(api, lead, per_page=2, page=2).json()
    assert [item["id"] for item in second["data"]] == [ids[0]]
    assert second["info"]["more_records"] is False
    assert listed(api, lead, per_page=201).status_code == 400


def test_the_list_can_be_narrowed_to_ids(api: TestClient, lead: str) -> None:
    first, second = attach(api, lead, "a.txt"), attach(api, lead, "b.txt")
    assert [item["id"] for item in listed(api, lead, ids=second).json()["data"]] == [second]
    assert first != second


def test_an_unknown_attachment_downloads_204(api: TestClient, lead: str) -> None:
    assert api.get(url(lead, "12345")).status_code == 204


def test_an_attachment_of_another_record_is_not_found_through_this_one(api: TestClient, lead: str) -> None:
    other = insert_one(api, "Leads", {"Last_Name": "Other"})
    attachment_id = attach(api, other)
    assert api.get(url(lead, attachment_id)).status_code == 204
    assert api.delete(url(lead, attachment_id)).status_code == 400


def test_deleting_one_removes_it_and_a_second_delete_is_record_not_deleted(api: TestClient, lead: str) -> None:
    attachment_id = attach(api, lead)
    response = api.delete(url(lead, attachment_id))
    assert response.status_code == 200, response.text
    validate_response(response, OAS, ONE, "DELETE")
    assert response.json()["data"][0] == {
        "code": "SUCCESS",
        "details": {"id": attachment_id},
        "message": "record deleted",
        "status": "success",
    }
    again = error_of(api.delete(url(lead, attachment_id)), 400, ONE, "DELETE")
    assert again == {
        "code": "INVALID_DATA",
        "details": {"resource_path_index": 3},
        "message": "record not deleted",
        "status": "error",
    }
    assert api.get(url(lead, attachment_id)).status_code == 204


def test_deleting_by_ids_answers_per_id(api: TestClient, lead: str) -> None:
    first, second = attach(api, lead, "a.txt"), attach(api, lead, "b.txt")
    response = api.delete(url(lead), params={"ids": f"{first},999"})
    assert response.status_code == 207
    assert [item["status"] for item in response.json()["data"]] == ["success", "error"]
    assert response.json()["data"][1]["details"] == {"id": "999"}
    both = api.delete(url(lead), params={"ids": second})
    assert both.status_code == 200
    validate_response(both, OAS, LIST, "DELETE")
    assert listed(api, lead).status_code == 204


def test_deleting_by_ids_takes_at_most_100(api: TestClient, lead: str) -> None:
    hundred = ",".join(str(10**6 + n) for n in range(100))
    response = api.delete(url(lead), params={"ids": hundred})
    assert response.status_code == 400 and len(response.json()["data"]) == 100
    over = api.delete(url(lead), params={"ids": hundred + ",2000000"})
    assert over.status_code == 400
    assert over.json()["code"] == "LIMIT_EXCEEDED" and over.json()["details"] == {"limit": 100, "param_name": "ids"}


def test_a_multipart_body_that_cannot_be_read_is_a_missing_file(api: TestClient, lead: str) -> None:
    for content_type in ("multipart/form-data", "multipart/form-data; boundary=xyz"):
        response = api.post(url(lead), content=b"--abc\r\ngarbage", headers={"Content-Type": content_type})
        assert error_of(response, 400)["code"] == "MANDATORY_NOT_FOUND"


def test_deleting_without_ids_is_required_param_missing(api: TestClient, lead: str) -> None:
    body = error_of(api.delete(url(lead)), 400, LIST, "DELETE")
    assert body["code"] == "REQUIRED_PARAM_MISSING" and body["details"] == {"param_name": "ids"}


def test_the_same_bytes_on_two_records_are_kept_once_and_survive_one_delete(api: TestClient, lead: str) -> None:
    other = insert_one(api, "Leads", {"Last_Name": "Other"})
    first, second = attach(api, lead, "a.bin", b"same"), attach(api, other, "b.bin", b"same")
    assert api.delete(url(lead, first)).status_code == 200
    assert api.get(url(other, second)).content == b"same"


def test_a_recycled_record_hides_its_attachments_and_restoring_brings_them_back(
    api: TestClient, emulator: Emulator, lead: str
) -> None:
    attachment_id = attach(api, lead, "keep.txt", b"kept")
    assert api.delete(f"/crm/v8/Leads/{lead}").status_code == 200
    assert listed(api, lead).status_code == 400
    org, now = emulator.default_org_id, emulator.clock.now_ms()
    with emulator.store.tx() as conn:
        meta = record_model.load_module(conn, org, "Leads", now, emulator.memo)
        who = record_model.caller(conn, org, admin_id(emulator))
        assert record_model.restore(conn, org, who, meta, [lead])[0]["status"] == "success"
    assert api.get(url(lead, attachment_id)).content == b"kept"


def test_a_token_with_the_attachments_scope_may_attach(client: TestClient, make_token: Any, lead: str) -> None:
    token = make_token(scopes=["ZohoCRM.modules.attachments.ALL"])
    response = client.post(
        url(lead), data={"attachmentUrl": "https://example.com"}, headers={"Authorization": f"Zoho-oauthtoken {token}"}
    )
    assert response.status_code == 200, response.text
    other = make_token(scopes=["ZohoCRM.settings.ALL"])
    refused = client.get(url(lead), params={"fields": "id"}, headers={"Authorization": f"Zoho-oauthtoken {other}"})
    assert refused.status_code == 401 and refused.json()["code"] == "OAUTH_SCOPE_MISMATCH"
