"""/files over HTTP: uploads of one to ten files, their ids, downloads and Zoho's refusals, with bodies
checked against Zoho's files.json; storage on both stores."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.support.allowances import FILES as TOO_MANY_FILES
from tests.support.oas import validate_response
from zcrm_emulator.resources.files import rules

pytestmark = pytest.mark.usefixtures("both_backends")

OAS = "files.json"
FILES = "/crm/v8/files"


@pytest.fixture
def files_api(client: TestClient, make_token: TokenFactory) -> TestClient:
    client.headers["Authorization"] = f"Zoho-oauthtoken {make_token(scopes=[*ALL_SCOPES, 'ZohoCRM.files.ALL'])}"
    return client


def upload(api: TestClient, *parts: tuple[str, bytes], **query: str) -> httpx.Response:
    return api.post(FILES, params=query, files=[("file", (name, data)) for name, data in parts])


def error_of(response: httpx.Response, status: int, method: str = "POST") -> dict[str, Any]:
    assert response.status_code == status, response.text
    validate_response(response, OAS, FILES, method)
    return dict(response.json())


def test_two_files_answer_one_success_each_with_an_encrypted_id(files_api: TestClient) -> None:
    response = upload(files_api, ("connections.txt", b"one"), ("enable-signals.png", b"two"))
    assert response.status_code == 200, response.text
    validate_response(response, OAS, FILES, "POST")
    first, second = response.json()["data"]
    assert first["message"] == "connections.txt uploaded successfully"
    assert first["details"]["name"] == "connections.txt" and len(first["details"]["id"]) == 64
    assert second["details"]["id"] != first["details"]["id"]


def test_a_kept_file_downloads_with_its_bytes_and_name(files_api: TestClient) -> None:
    data = b"\x00\x01binary\xff" * 1000
    file_id = upload(files_api, ("blob.bin", data)).json()["data"][0]["details"]["id"]
    response = files_api.get(FILES, params={"id": file_id})
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "application/x-download"
    assert response.headers["content-disposition"] == "attachment;filename=blob.bin"


@pytest.mark.parametrize(("count", "ok"), [(1, True), (10, True), (11, False)])
def test_a_call_takes_one_to_ten_files(files_api: TestClient, count: int, ok: bool) -> None:
    response = upload(files_api, *[(f"{n}.txt", b"x") for n in range(count)])
    if ok:
        assert response.status_code == 200 and len(response.json()["data"]) == count
        return
    assert response.status_code == 400
    assert validate_response(response, OAS, FILES, "POST", allow=TOO_MANY_FILES)
    body = response.json()
    assert body["code"] == "INVALID_REQUEST"
    assert body["message"].startswith("unable to process your request.")


@pytest.mark.parametrize(
    "parts",
    [pytest.param([], id="no file part"), pytest.param([("empty.txt", b"")], id="an empty file")],
)
def test_a_missing_or_empty_file_is_failure_in_attachment_handling(
    files_api: TestClient, parts: list[tuple[str, bytes]]
) -> None:
    response = upload(files_api, *parts) if parts else files_api.post(FILES, data={"other": "x"})
    assert error_of(response, 400) == {
        "code": "failure_in_attachment_handling",
        "details": {},
        "message": "Problem in uploading attachment. kindly upload the file properly",
        "status": "error",
    }


def test_the_per_file_limit_is_20_mb_exactly() -> None:
    from zcrm_emulator.uploads import Upload

    assert rules.check_uploads([Upload("a", "text/plain", b"x" * rules.MAX_FILE_BYTES)])
    with pytest.raises(Exception, match="FILE_SIZE_MORE_THAN_ALLOWED_SIZE"):
        rules.check_uploads([Upload("a", "text/plain", b"x" * (rules.MAX_FILE_BYTES + 1))])


def test_a_body_over_20_mb_is_refused_with_413(files_api: TestClient) -> None:
    response = upload(files_api, ("big.bin", b"x" * (rules.MAX_FILE_BYTES + 1)))
    assert response.status_code == 413
    assert response.json()["code"] == "FILE_SIZE_MORE_THAN_ALLOWED_SIZE"


def test_the_type_param_takes_inline_only(files_api: TestClient) -> None:
    assert upload(files_api, ("a.png", b"x"), type="inline").status_code == 200
    assert upload(files_api, ("a.png", b"x"), type="other").json()["code"] == "INVALID_DATA"


def test_a_download_needs_an_id_the_org_has(files_api: TestClient) -> None:
    missing = files_api.get(FILES)
    assert missing.status_code == 400
    assert missing.json() == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "id"},
        "message": "One of the expected parameter is missing",
        "status": "error",
    }
    unknown = error_of(files_api.get(FILES, params={"id": "ab" * 32}), 400, "GET")
    assert unknown["code"] == "INVALID_DATA" and unknown["details"] == {"param_name": "id"}


def test_the_files_scope_is_needed(api: TestClient) -> None:
    response = upload(api, ("a.txt", b"x"))
    assert response.status_code == 401 and response.json()["code"] == "OAUTH_SCOPE_MISMATCH"
    assert api.get(FILES, params={"id": "x"}).status_code == 401
