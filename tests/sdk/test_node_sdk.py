"""The official Node.js SDK (npm ``@zohocrm/nodejs-sdk-8.0``, pinned in ``tests/sdk/node``) through a
whole flow against a live emulator on loopback: ``node tests/sdk/node/flow.mjs`` signs in with a
Self Client grant code minted on the control plane, again from the refresh token it got, reads the
current user and org, lets the SDK fetch the fields of every module (``autoRefreshFields``), creates,
reads, updates, searches, pages through, counts and deletes Leads, reads the deleted ones and the
fields of every ``api_supported`` module, and prints what it parsed as one JSON object. The
assertions read that object and the emulator's own state.

``scripts/test`` installs the npm packages from the lock file (``npm ci --prefix tests/sdk/node``);
without ``node`` or without them the test is skipped and says so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer

pytestmark = [pytest.mark.sdk, pytest.mark.usefixtures("both_backends")]

NODE_DIR = Path(__file__).parent / "node"
SDK_PACKAGE = NODE_DIR / "node_modules" / "@zohocrm" / "nodejs-sdk-8.0" / "package.json"
SCOPE = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ"
FLOW_TIMEOUT_S = 300
ADMIN_EMAIL = "admin@zylker.example"


def node_binary() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the Node.js SDK flow needs Node.js and npm (scripts/test installs them)")
    if not SDK_PACKAGE.is_file():
        pytest.skip("the Node.js SDK is not installed: run `npm ci --prefix tests/sdk/node` (scripts/test does)")
    return node


def run_flow(server: LiveServer, workdir: Path) -> dict[str, Any]:
    node = node_binary()
    grant = httpx.post(f"{server.url}/_emulator/self-client", json={"scope": SCOPE, "minutes": 10})
    assert grant.status_code == 200, grant.text
    code = grant.json()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "ZCRM_URL": server.url,
        "ZCRM_CLIENT_ID": code["client_id"],
        "ZCRM_CLIENT_SECRET": code["client_secret"],
        "ZCRM_GRANT_CODE": code["code"],
        "ZCRM_WORKDIR": str(workdir),
    }
    done = subprocess.run(
        [node, "flow.mjs"], cwd=NODE_DIR, env=env, capture_output=True, text=True, timeout=FLOW_TIMEOUT_S, check=False
    )
    log = workdir / "sdk.log"
    context = f"stderr:\n{done.stderr[-4000:]}\nSDK log tail:\n{log.read_text()[-4000:] if log.exists() else ''}"
    assert done.stdout.strip(), context
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "failed" not in result, f"{result['failed']}\n{context}"
    assert done.returncode == 0, context
    return result


def sdk_requests(workdir: Path) -> list[tuple[str, str]]:
    """(method, URL) of every CRM request the SDK logged (its log writes one line per request)."""
    text = (workdir / "sdk.log").read_text()
    return re.findall(r"REQUEST-METHOD = (\w+) , URL = (\S+) ,", text)


def crm_get(server: LiveServer, path: str) -> httpx.Response:
    token = httpx.post(f"{server.url}/_emulator/tokens", json={}).json()["access_token"]
    return httpx.get(f"{server.url}/crm/v8{path}", headers={"Authorization": f"Zoho-oauthtoken {token}"})


def signs_in_with_a_grant_code_and_again_with_its_refresh_token(flow: dict[str, Any], live_server: LiveServer) -> None:
    grant, refresh = flow["tokens"]["grant"], flow["tokens"]["refresh"]
    assert grant["access_token"].startswith("1000.") and grant["refresh_token"].startswith("1000.")
    assert refresh["refresh_token"] == grant["refresh_token"]
    assert refresh["access_token"].startswith("1000.") and refresh["access_token"] != grant["access_token"]
    # api_domain is the emulator itself, so the SDK keeps its custom environment (SDK-WIRE §2).
    assert grant["api_domain"] == refresh["api_domain"] == live_server.url
    assert 3500_000 < refresh["expires_in_ms"] <= 3600_000
    org_zgid = flow["org"]["org"][0]["zgid"]
    assert grant["user_signature"] == refresh["user_signature"] == f"{ADMIN_EMAIL}:{org_zgid}"


def reads_the_current_user_and_the_org(flow: dict[str, Any], live_server: LiveServer) -> None:
    users, org = flow["users"], flow["org"]
    assert (users["status"], users["class"], org["status"], org["class"]) == (
        200,
        "ResponseWrapper",
        200,
        "ResponseWrapper",
    )
    [user] = users["users"]
    assert user["email"] == ADMIN_EMAIL and user["id"].isdigit()
    [only] = org["org"]
    assert only["id"] == live_server.emulator.default_org_id
    assert only["primary_email"] == ADMIN_EMAIL


def fetches_the_fields_of_every_module(flow: dict[str, Any]) -> None:
    modules = flow["modules"]
    assert (modules["status"], modules["class"]) == (200, "ResponseWrapper")
    assert {"Leads", "Contacts", "Accounts", "Deals"} <= set(modules["modules"])
    answers = modules["fields"]
    assert set(answers) == set(modules["modules"])
    # Every module answers its fields or (for the modules whose fields the emulator does not keep
    # yet) 204, which the SDK turns into an empty field list; never an error it cannot parse.
    for module, answer in answers.items():
        assert (answer["status"], answer["class"]) in {(200, "ResponseWrapper"), (204, None)}, (module, answer)
        if answer["status"] == 200:
            assert answer["count"] > 0, module
    # autoRefreshFields: before its first record call the SDK cached the fields of every module.
    cache = flow["records"]["field_cache"]
    assert cache["files"] == 1
    assert set(cache["modules"]) == {module.lower() for module in modules["modules"]}
    for module, answer in answers.items():
        assert (cache["modules"][module.lower()] > 0) == (answer["status"] == 200), module


def creates_reads_updates_and_searches_leads(flow: dict[str, Any], live_server: LiveServer) -> None:
    records = flow["records"]
    create = records["create"]
    assert (create["status"], create["class"]) == (201, "ActionWrapper")
    assert [(item["class"], item["code"], item["message"]) for item in create["items"]] == [
        ("SuccessResponse", "SUCCESS", "record added")
    ] * 3
    ada, charles, mary = records["created_ids"]
    user_id = flow["users"]["users"][0]["id"]
    assert create["items"][0]["details"]["Created_By"]["id"] == user_id

    refused = records["refused"]
    assert (refused["status"], refused["items"][0]["class"], refused["items"][0]["code"]) == (
        400,
        "APIException",
        "MANDATORY_NOT_FOUND",
    )
    assert refused["items"][0]["details"] == {"api_name": "Last_Name", "json_path": "$.data[0].Last_Name"}

    [read] = records["get_one"]["records"]
    assert (read["id"], read["Last_Name"], read["Company"], read["Email"]) == (
        ada,
        "Lovelace",
        "Analytical Engines",
        "ada@node.example",
    )
    assert read["Owner"]["id"] == user_id and read["Owner"]["email"] == ADMIN_EMAIL
    assert read["Created_Time"] is not None and read["Created_By"] == user_id

    update = records["update"]
    assert (update["status"], update["items"][0]["message"], update["items"][0]["details"]["id"]) == (
        200,
        "record updated",
        ada,
    )
    assert records["after_update"]["records"][0]["Company"] == "Analytical Engines Ltd"

    for key, expected in (("search_criteria", ada), ("search_email", charles), ("search_word", mary)):
        found = records[key]
        assert [record["id"] for record in found["records"]] == [expected], key
        assert (found["info"]["count"], found["info"]["more_records"]) == (1, False), key
    assert (records["search_none"]["status"], records["search_none"]["class"]) == (204, None)

    # The emulator really holds them.
    stored = crm_get(live_server, f"/Leads/{ada}?fields=Company,Description")
    assert stored.status_code == 200
    assert stored.json()["data"][0]["Company"] == "Analytical Engines Ltd"
    assert stored.json()["data"][0]["Description"] == flow["tag"]


def pages_counts_and_deletes(flow: dict[str, Any], live_server: LiveServer) -> None:
    records = flow["records"]
    ada, charles, mary = records["created_ids"]
    pages = records["pages"]
    assert [page["status"] for page in pages] == [200, 200]
    assert [[record["id"] for record in page["records"]] for page in pages] == [[ada, charles], [mary]]
    first, last = pages[0]["info"], pages[1]["info"]
    assert (first["page"], first["per_page"], first["count"], first["more_records"]) == (1, 2, 2, True)
    assert first["next_page_token"]
    assert (last["page"], last["count"], last["more_records"]) == (2, 1, False)

    assert (records["count"]["status"], records["count"]["class"], records["count"]["count"]) == (
        200,
        "CountWrapper",
        "3",
    )
    delete = records["delete"]
    assert (delete["status"], delete["items"][0]["message"], delete["items"][0]["details"]) == (
        200,
        "record deleted",
        {"id": charles},
    )
    assert records["get_deleted_one"]["status"] == 204
    assert records["count_after_delete"] == "2"
    deleted = records["deleted"]
    assert (deleted["status"], deleted["class"]) == (200, "DeletedRecordsWrapper")
    [entry] = deleted["records"]
    user_id = flow["users"]["users"][0]["id"]
    assert (entry["id"], entry["display_name"], entry["type"], entry["deleted_by"]) == (
        charles,
        "Babbage",
        "recycle",
        user_id,
    )
    assert deleted["info"]["count"] == 1 and deleted["info"]["moreRecords"] is False

    listed = crm_get(live_server, "/Leads?fields=Last_Name&per_page=200")
    assert listed.status_code == 200
    assert {record["id"] for record in listed.json()["data"]} == {ada, mary}
    recycle = crm_get(live_server, "/Leads/deleted?type=recycle")
    assert [item["id"] for item in recycle.json()["data"]] == [charles]


def sent_every_request_to_the_emulator(flow: dict[str, Any], live_server: LiveServer, tmp_path: Path) -> None:
    sent = sdk_requests(tmp_path)
    assert sent
    assert all(url.startswith(f"{live_server.url}/crm/v8/") for _, url in sent), sent
    # autoRefreshFields: the SDK read the modules and then the fields of each api_supported module.
    fields_calls = {url for method, url in sent if "/settings/fields?module=" in url}
    assert len(fields_calls) == len(flow["modules"]["modules"])


def test_the_official_node_sdk_works_through_a_whole_flow(live_server: LiveServer, tmp_path: Path) -> None:
    flow = run_flow(live_server, tmp_path)
    signs_in_with_a_grant_code_and_again_with_its_refresh_token(flow, live_server)
    reads_the_current_user_and_the_org(flow, live_server)
    fetches_the_fields_of_every_module(flow)
    creates_reads_updates_and_searches_leads(flow, live_server)
    pages_counts_and_deletes(flow, live_server)
    sent_every_request_to_the_emulator(flow, live_server, tmp_path)
