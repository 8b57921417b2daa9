"""/{module}/{record_id}/photo over HTTP: upload, replace, read and delete a record's photo, the
image formats, size and resolution limits and the modules that have one, checked against Zoho's
record_photo.json; storage on both stores."""

from __future__ import annotations

import struct
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.allowances import RECORD_PHOTO
from tests.support.oas import validate_response
from tests.support.records import insert_one
from zcrm_emulator.resources.record_photo import rules

pytestmark = pytest.mark.usefixtures("both_backends")

OAS = "record_photo.json"
PHOTO = "/crm/v8/{module}/{record}/photo"


def png(width: int = 2, height: int = 2) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sII", 13, b"IHDR", width, height) + b"\x08\x02\x00\x00\x00" + b"\x00" * 8
    )


def jpeg(width: int = 3, height: int = 2) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHH", 17, 8, height, width) + b"\x03" + b"\x00" * 9
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def gif(width: int = 4, height: int = 4) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00" * 20


def bmp(width: int = 5, height: int = -5) -> bytes:
    return b"BM" + b"\x00" * 16 + struct.pack("<ii", width, height) + b"\x00" * 28


@pytest.fixture
def lead(api: TestClient) -> str:
    return insert_one(api, "Leads", {"Last_Name": "Pictured"})


def url(record_id: str, module: str = "Leads") -> str:
    return f"/crm/v8/{module}/{record_id}/photo"


def post(api: TestClient, record_id: str, data: bytes, name: str = "me.png", module: str = "Leads") -> httpx.Response:
    return api.post(url(record_id, module), files={"file": (name, data)})


def checked(response: httpx.Response, status: int, method: str = "POST") -> dict[str, Any]:
    assert response.status_code == status, response.text
    validate_response(response, OAS, PHOTO, method)
    return dict(response.json())


@pytest.mark.parametrize(
    ("image", "media_type"),
    [(png(), "image/png"), (jpeg(), "image/jpeg"), (gif(), "image/gif"), (bmp(), "image/bmp")],
    ids=["png", "jpeg", "gif", "bmp"],
)
def test_an_image_is_kept_and_read_back_with_the_media_type_its_bytes_show(
    api: TestClient, lead: str, image: bytes, media_type: str
) -> None:
    body = checked(post(api, lead, image, "upload.bin"), 200)
    assert body == {"code": "SUCCESS", "details": {}, "message": "Photo uploaded successfully", "status": "success"}
    response = api.get(url(lead))
    assert response.status_code == 200
    assert response.content == image and response.headers["content-type"] == media_type


def test_a_new_photo_replaces_the_old_one(api: TestClient, lead: str) -> None:
    post(api, lead, png())
    post(api, lead, gif())
    assert api.get(url(lead)).content == gif()


def test_a_record_without_a_photo_reads_204(api: TestClient, lead: str) -> None:
    response = api.get(url(lead))
    assert response.status_code == 204 and not response.content


def test_deleting_the_photo_leaves_none_and_deleting_again_succeeds_too(api: TestClient, lead: str) -> None:
    post(api, lead, png())
    for _ in range(2):
        body = checked(api.delete(url(lead)), 200, "DELETE")
        assert body["message"] == "Photo deleted successfully"
    assert api.get(url(lead)).status_code == 204


def test_a_file_that_is_no_image_is_invalid_file_type_415(api: TestClient, lead: str) -> None:
    response = post(api, lead, b"%PDF-1.4 not an image", "fake.png")
    assert response.status_code == 415
    assert response.json() == {"code": "INVALID_DATA", "details": {}, "message": "invalid file type", "status": "error"}


@pytest.mark.parametrize(("size", "ok"), [(rules.MAX_BYTES, True), (rules.MAX_BYTES + 1, False)])
def test_a_photo_is_at_most_10_mb(api: TestClient, lead: str, size: int, ok: bool) -> None:
    image = png()
    response = post(api, lead, image + b"\x00" * (size - len(image)))
    if ok:
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 413
    assert response.json() == {
        "code": "FILE_SIZE_EXCEEDS",
        "details": {"size": rules.MAX_BYTES},
        "message": "File exceeded its maximum limit",
        "status": "error",
    }


@pytest.mark.parametrize(("width", "height", "ok"), [(5000, 2000, True), (5000, 2001, False)])
def test_a_photo_is_at_most_10_megapixels(api: TestClient, lead: str, width: int, height: int, ok: bool) -> None:
    response = post(api, lead, jpeg(width, height))
    if ok:
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 415
    assert response.json()["code"] == "FILE_RESOLUTION_EXCEEDS"
    assert response.json()["details"] == {"resolution": width * height}


def test_an_upload_without_a_file_is_required_field_not_found(api: TestClient, lead: str) -> None:
    response = api.post(url(lead), data={"x": "y"})
    assert response.status_code == 400
    assert validate_response(response, OAS, PHOTO, "POST", allow=RECORD_PHOTO)
    body = response.json()
    assert body["code"] == "MANDATORY_NOT_FOUND" and body["details"] == {"api_name": "file"}


@pytest.mark.parametrize(
    ("module", "record", "ok"),
    [("Products", {"Product_Name": "Pic"}, True), ("Tasks", {"Subject": "T"}, False)],
)
def test_only_modules_with_photos_take_one(api: TestClient, module: str, record: dict[str, Any], ok: bool) -> None:
    record_id = insert_one(api, module, record)
    response = post(api, record_id, png(), module=module)
    if ok:
        assert response.status_code == 200, response.text
        return
    body = checked(response, 400)
    assert body["code"] == "INVALID_MODULE" and body["details"] == {"resource_path_index": 0}


def test_an_unknown_record_is_invalid_data(api: TestClient) -> None:
    for response, method in (
        (post(api, "123", png()), "POST"),
        (api.get(url("123")), "GET"),
        (api.delete(url("123")), "DELETE"),
    ):
        body = checked(response, 400, method)
        assert body["code"] == "INVALID_DATA" and body["details"] == {"resource_path_index": 1}
