"""/org/photo over HTTP: upload, replace, read and delete the org's photo, the file checks and
limits, ``photo_id`` of ``GET /org``, and bytes shared with a record photo; checked against Zoho's
org_photo.json and org.json, on both stores."""

from __future__ import annotations

import struct
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import TokenFactory
from tests.support.allowances import ORG_PHOTO
from tests.support.oas import validate_response
from tests.support.records import insert_one
from zcrm_emulator.resources.record_photo import rules as photo_rules

pytestmark = pytest.mark.usefixtures("both_backends")

URL = "/crm/v8/org/photo"


def png(width: int = 2, height: int = 2) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sII", 13, b"IHDR", width, height) + b"\x08\x02\x00\x00\x00" + b"\x00" * 8
    )


def gif(width: int = 4, height: int = 4) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00" * 20


def upload(api: TestClient, data: bytes, name: str = "logo.png") -> httpx.Response:
    return api.post(URL, files={"file": (name, data)})


def checked(response: httpx.Response, status: int, method: str) -> dict[str, Any]:
    """The answer as both of Zoho's files document it (org.json only for what it documents)."""
    assert response.status_code == status, response.text
    validate_response(response, "org_photo.json", "/org/photo", method)
    if status == 200:
        validate_response(response, "org.json", "/crm/v8/org/photo", method, allow=ORG_PHOTO)
    return dict(response.json())


def photo_id(api: TestClient) -> object:
    return api.get("/crm/v8/org").json()["org"][0]["photo_id"]


def test_an_uploaded_photo_is_read_back_and_named_in_the_org(api: TestClient) -> None:
    assert photo_id(api) is None
    body = checked(upload(api, png()), 200, "POST")
    assert body == {"code": "SUCCESS", "details": {}, "message": "photo uploaded successfully", "status": "success"}
    response = api.get(URL)
    assert response.status_code == 200
    assert response.content == png() and response.headers["content-type"] == "image/png"
    assert isinstance(photo_id(api), str)


def test_a_new_photo_replaces_the_old_one_under_a_new_id(api: TestClient) -> None:
    upload(api, png())
    first = photo_id(api)
    upload(api, gif(), "logo.gif")
    response = api.get(URL)
    assert response.content == gif() and response.headers["content-type"] == "image/gif"
    assert photo_id(api) not in (None, first)


def test_an_org_without_a_photo_reads_204(api: TestClient) -> None:
    response = api.get(URL)
    assert response.status_code == 204 and not response.content


def test_deleting_the_photo_leaves_none_and_deleting_again_succeeds_too(api: TestClient) -> None:
    upload(api, png())
    for _ in range(2):
        body = checked(api.delete(URL), 200, "DELETE")
        assert body == {"code": "SUCCESS", "details": {}, "message": "Photo deleted", "status": "success"}
    assert api.get(URL).status_code == 204
    assert photo_id(api) is None


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "the request does not contain any file"),
        ({"file": ("empty.png", b"")}, "the request does not contain any file"),
        ([("file", ("a.png", png())), ("file", ("b.png", png()))], "the request contains more than one file"),
    ],
    ids=["none", "empty", "two"],
)
def test_an_upload_takes_exactly_one_file(api: TestClient, files: Any, message: str) -> None:
    response = api.post(URL, files=files, data={"x": "y"})
    body = checked(response, 400, "POST")
    assert body == {"code": "INVALID_DATA", "details": {}, "message": message, "status": "error"}
    assert photo_id(api) is None


def test_a_file_that_is_no_image_is_invalid_file_type_415(api: TestClient) -> None:
    body = checked(upload(api, b"%PDF-1.4 not an image", "logo.png"), 415, "POST")
    assert body == {"code": "INVALID_DATA", "details": {}, "message": "invalid file type", "status": "error"}


@pytest.mark.parametrize(("size", "ok"), [(photo_rules.MAX_BYTES, True), (photo_rules.MAX_BYTES + 1, False)])
def test_a_photo_is_at_most_10_mb(api: TestClient, size: int, ok: bool) -> None:
    image = png()
    response = upload(api, image + b"\x00" * (size - len(image)))
    if ok:
        checked(response, 200, "POST")
        return
    body = checked(response, 413, "POST")
    assert body == {
        "code": "FILE_SIZE_EXCEEDS",
        "details": {"size": photo_rules.MAX_BYTES},
        "message": "File exceeded its maximum limit",
        "status": "error",
    }


@pytest.mark.parametrize(("width", "height", "ok"), [(5000, 2000, True), (5000, 2001, False)])
def test_a_photo_is_at_most_10_megapixels(api: TestClient, width: int, height: int, ok: bool) -> None:
    response = upload(api, png(width, height))
    if ok:
        checked(response, 200, "POST")
        return
    body = checked(response, 415, "POST")
    assert body["code"] == "FILE_RESOLUTION_EXCEEDS" and body["details"] == {"resolution": width * height}


def test_the_org_photo_keeps_its_bytes_when_a_record_photo_of_the_same_bytes_goes(api: TestClient) -> None:
    lead = insert_one(api, "Leads", {"Last_Name": "Pictured"})
    assert api.post(f"/crm/v8/Leads/{lead}/photo", files={"file": ("me.png", png())}).status_code == 200
    upload(api, png())
    assert api.delete(f"/crm/v8/Leads/{lead}/photo").status_code == 200
    assert api.get(URL).content == png()


def test_the_photo_calls_need_the_org_scope(client: TestClient, make_token: TokenFactory) -> None:
    token = make_token(["ZohoCRM.settings.ALL"])
    response = client.get(URL, headers={"Authorization": f"Zoho-oauthtoken {token}"})
    assert response.status_code == 401 and response.json()["code"] == "OAUTH_SCOPE_MISMATCH"
