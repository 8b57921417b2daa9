"""File-upload and image-upload record fields (OAS record.json ``FileDetails``/``Image_Upload``,
files.json, field_attachments.json; docs/decisions.md "File and image upload fields"): files kept
through /files, named in a record's field, shown in Zoho's shape, taken out with ``_delete`` and
downloaded through ``download_fields_attachment``; on both stores."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.support.oas import validate_response
from zcrm_emulator.record_model.file_fields import MAX_ENTRIES

pytestmark = pytest.mark.usefixtures("both_backends")

FIELDS = "/crm/v8/settings/fields"
DOWNLOAD = "/crm/v8/Leads/{record}/actions/download_fields_attachment"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def files_api(client: TestClient, make_token: TokenFactory) -> TestClient:
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token(scopes=[*ALL_SCOPES, 'ZohoCRM.files.ALL'])}"
    return client


@pytest.fixture
def fields(files_api: TestClient) -> dict[str, str]:
    """A file upload and an image upload field on Leads: label -> api name."""
    made = {}
    for label, data_type in (("Contract Scan", "fileupload"), ("Site Photo", "imageupload")):
        body = {"fields": [{"field_label": label, "data_type": data_type}]}
        response = files_api.post(FIELDS, params={"module": "Leads"}, json=body)
        assert response.status_code == 201, response.text
        made[label] = label.replace(" ", "_")
    return made


def keep(api: TestClient, name: str, data: bytes, content_type: str = "application/pdf") -> str:
    response = api.post("/crm/v8/files", files=[("file", (name, data, content_type))])
    assert response.status_code == 200, response.text
    return str(response.json()["data"][0]["details"]["id"])


def new_lead(api: TestClient, **values: Any) -> httpx.Response:
    return api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Filed", **values}]})


def lead_id(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    assert response.json()["data"][0]["code"] == "SUCCESS", response.text
    return str(response.json()["data"][0]["details"]["id"])


def read(api: TestClient, record: str) -> dict[str, Any]:
    response = api.get(f"/crm/v8/Leads/{record}")
    assert response.status_code == 200, response.text
    validate_response(response, "record.json", "/crm/v8/{module_api_name}/{id}")
    return dict(response.json()["data"][0])


def test_a_kept_file_named_in_the_field_is_shown_in_zohos_shape(files_api: TestClient, fields: dict[str, str]) -> None:
    file_id = keep(files_api, "contract.pdf", b"%PDF-1.4 contract")
    record = lead_id(new_lead(files_api, Contract_Scan=[{"file_id": file_id}]))
    (entry,) = read(files_api, record)["Contract_Scan"]
    assert (entry["File_Name__s"], entry["Size__s"], entry["File_Id__s"]) == ("contract.pdf", "17", file_id)
    assert entry["id"].isdigit() and entry["attachment_Id"].isdigit() and entry["id"] != entry["attachment_Id"]
    assert entry["Created_By__s"]["id"] == entry["Owner__s"]["id"]
    assert entry["Created_Time__s"] == entry["Modified_Time__s"]


def test_the_field_attachment_downloads_with_its_bytes_and_name(files_api: TestClient, fields: dict[str, str]) -> None:
    data = b"\x00\x01binary\xff" * 100
    record = lead_id(new_lead(files_api, Contract_Scan=[{"File_Id__s": keep(files_api, "scan.bin", data)}]))
    (entry,) = read(files_api, record)["Contract_Scan"]
    response = files_api.get(DOWNLOAD.format(record=record), params={"fields_attachment_id": entry["attachment_Id"]})
    assert response.status_code == 200, response.text
    assert response.content == data
    assert response.headers["content-type"] == "application/x-download"
    assert response.headers["content-disposition"] == "attachment;filename=scan.bin"


def test_an_update_adds_files_and_delete_takes_one_out(files_api: TestClient, fields: dict[str, str]) -> None:
    first, second, third = (keep(files_api, f"{n}.txt", f"file {n}".encode()) for n in (1, 2, 3))
    record = lead_id(new_lead(files_api, Contract_Scan=[{"file_id": first}, {"file_id": second}]))
    held = read(files_api, record)["Contract_Scan"]
    body = [{"id": held[0]["id"], "_delete": None}, {"file_id": third}]
    response = files_api.put(f"/crm/v8/Leads/{record}", json={"data": [{"Contract_Scan": body}]})
    assert response.status_code == 200, response.text
    now = read(files_api, record)["Contract_Scan"]
    assert [e["File_Name__s"] for e in now] == ["2.txt", "3.txt"]
    assert now[0]["id"] == held[1]["id"]
    gone = files_api.get(DOWNLOAD.format(record=record), params={"fields_attachment_id": held[0]["attachment_Id"]})
    assert gone.status_code == 400 and gone.json()["code"] == "INVALID_DATA"


def test_null_empties_the_field(files_api: TestClient, fields: dict[str, str]) -> None:
    record = lead_id(new_lead(files_api, Contract_Scan=[{"file_id": keep(files_api, "a.txt", b"a")}]))
    files_api.put(f"/crm/v8/Leads/{record}", json={"data": [{"Contract_Scan": None}]})
    assert read(files_api, record)["Contract_Scan"] is None


def test_an_unknown_file_id_is_invalid_data_on_the_field(files_api: TestClient, fields: dict[str, str]) -> None:
    item = new_lead(files_api, Contract_Scan=[{"file_id": "f" * 64}]).json()["data"][0]
    assert (item["code"], item["message"]) == ("INVALID_DATA", "the id given seems to be invalid")
    assert item["details"] == {"api_name": "Contract_Scan", "json_path": "$.data[0].Contract_Scan"}


@pytest.mark.parametrize(
    "value", [{"file_id": "x"}, ["x"], [{}], [{"name": "a.txt"}], [{"file_id": "a", "_delete": None}]]
)
def test_a_value_that_is_no_array_of_file_entries_is_invalid_data(
    files_api: TestClient, fields: dict[str, str], value: Any
) -> None:
    item = new_lead(files_api, Contract_Scan=value).json()["data"][0]
    assert item["code"] == "INVALID_DATA"
    assert item["details"]["expected_data_type"] == "jsonarray"


def test_deleting_an_entry_the_field_does_not_hold_is_invalid_data(
    files_api: TestClient, fields: dict[str, str]
) -> None:
    record = lead_id(new_lead(files_api, Contract_Scan=[{"file_id": keep(files_api, "a.txt", b"a")}]))
    body = {"data": [{"Contract_Scan": [{"id": "1234567000000000001", "_delete": None}]}]}
    item = files_api.put(f"/crm/v8/Leads/{record}", json=body).json()["data"][0]
    assert (item["code"], item["details"]["api_name"]) == ("INVALID_DATA", "Contract_Scan")


def test_a_field_holds_at_most_its_number_of_files(files_api: TestClient, fields: dict[str, str]) -> None:
    limit = MAX_ENTRIES["fileupload"]
    ids = [keep(files_api, f"{n}.txt", f"{n}".encode()) for n in range(limit + 1)]
    lead_id(new_lead(files_api, Contract_Scan=[{"file_id": i} for i in ids[:limit]]))
    item = new_lead(files_api, Contract_Scan=[{"file_id": i} for i in ids]).json()["data"][0]
    assert item["code"] == "LIMIT_EXCEEDED"
    assert item["details"] == {"api_name": "Contract_Scan", "json_path": "$.data[0].Contract_Scan", "limit": limit}


def test_an_image_field_takes_images_only_and_numbers_them(files_api: TestClient, fields: dict[str, str]) -> None:
    pdf = keep(files_api, "doc.pdf", b"%PDF-1.4")
    item = new_lead(files_api, Site_Photo=[{"Encrypted_Id": pdf}]).json()["data"][0]
    assert (item["code"], item["message"]) == ("INVALID_DATA", "invalid file type")
    images = [keep(files_api, f"{n}.png", PNG + bytes([n]), "image/png") for n in (1, 2)]
    record = lead_id(new_lead(files_api, Site_Photo=[{"Encrypted_Id": i} for i in images]))
    shown = read(files_api, record)["Site_Photo"]
    assert [(e["File_Name__s"], e["Sequence_Number__s"], e["Preview_Id__s"]) for e in shown] == [
        ("1.png", 1, images[0]),
        ("2.png", 2, images[1]),
    ]


def test_downloads_need_the_attachment_id_and_a_live_record(files_api: TestClient, fields: dict[str, str]) -> None:
    record = lead_id(new_lead(files_api))
    missing = files_api.get(DOWNLOAD.format(record=record))
    assert missing.status_code == 400
    assert missing.json()["code"] == "REQUIRED_PARAM_MISSING"
    assert missing.json()["details"] == {"param_name": "fields_attachment_id"}
    unknown = files_api.get(DOWNLOAD.format(record="1234567000000000001"), params={"fields_attachment_id": "1"})
    assert unknown.status_code == 400
    assert unknown.json()["details"] == {"resource_path_index": 1}
    none_such = files_api.get(DOWNLOAD.format(record=record), params={"fields_attachment_id": "1"})
    assert none_such.status_code == 400
    assert none_such.json()["details"] == {"param_name": "fields_attachment_id"}
