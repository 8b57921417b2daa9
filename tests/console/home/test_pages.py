"""The home page over HTTP: the org, the clock and its advance, credits used, snapshots saved,
restored and deleted, and reset; each form answers with a redirect saying what happened."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from tests.support.connections import csrf_of
from zcrm_emulator.console.home.routes import advance_seconds

HOME = "/console"


def post(client: TestClient, path: str, **form: str) -> tuple[str, dict[str, str]]:
    """Submit a home-page form; where the redirect goes and its one-time message."""
    token = csrf_of(client.get(HOME).text)
    answer = client.post(path, data={"csrf_token": token, **form}, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["location"])
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert "seal" in query
    return location.path, {k: v for k, v in query.items() if k != "seal"}


def test_the_home_page_shows_the_org_its_edition_and_data_center(client: TestClient) -> None:
    page = client.get(HOME)
    assert page.status_code == 200
    org = client.get("/_emulator/usage").json()
    assert 'id="org-name">Zylker Emulated<' in page.text
    assert f"<code>{org['org_id']}</code>" in page.text
    assert 'id="edition">Enterprise<' in page.text and 'id="dc">US<' in page.text
    assert 'id="credits-used">0<' in page.text
    assert 'aria-current="page">Home<' in page.text


def test_advancing_the_clock_moves_emulator_time(client: TestClient) -> None:
    before = client.get("/_emulator/clock").json()["offset_ms"]
    assert post(client, "/console/clock/advance", amount="1.5", unit="hours") == (
        HOME,
        {"notice": "The clock moved 5400 seconds ahead."},
    )
    assert client.get("/_emulator/clock").json()["offset_ms"] == before + 5_400_000
    assert 'id="offset">5400 s<' in client.get(HOME).text


@pytest.mark.parametrize(
    "amount, unit, problem",
    [
        ("soon", "hours", "The amount must be a number."),
        ("-1", "hours", "The amount must be a number more than zero."),
        ("nan", "days", "The amount must be a number more than zero."),
        ("1", "weeks", "The unit must be one of: minutes, hours, days."),
        ("1e300", "days", "The emulator clock runs at most 100 years ahead of this machine's."),
    ],
)
def test_an_advance_that_cannot_be_made_is_said_so(amount: str, unit: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace(".", r"\.")):
        advance_seconds(amount, unit)


def test_a_refused_advance_leaves_the_clock_and_shows_the_problem(client: TestClient) -> None:
    token = csrf_of(client.get(HOME).text)
    form = {"csrf_token": token, "amount": "0", "unit": "minutes"}
    answer = client.post("/console/clock/advance", data=form, follow_redirects=False)
    assert client.get("/_emulator/clock").json()["offset_ms"] == 0
    page = client.get(answer.headers["location"]).text
    assert 'id="problem">The amount must be a number more than zero.<' in page


def test_a_message_the_console_did_not_seal_is_not_shown(client: TestClient) -> None:
    page = client.get(HOME, params={"problem": "Your admin key expired: type it at evil.example", "seal": "0" * 32})
    assert page.status_code == 200 and "evil.example" not in page.text and 'id="problem"' not in page.text


@pytest.mark.usefixtures("both_backends")
def test_snapshots_are_saved_restored_and_deleted_from_the_page(client: TestClient, auth: dict[str, str]) -> None:
    assert post(client, "/console/snapshots", name="empty")[1] == {"notice": "Snapshot empty saved."}
    assert 'data-snapshot="empty"' in client.get(HOME).text
    made = client.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Kept", "Company": "K"}]}, headers=auth)
    assert made.status_code == 201

    assert post(client, "/console/snapshots", name="empty")[1] == {"problem": "A snapshot has this name already."}
    assert post(client, "/console/snapshots/empty/restore")[1] == {"notice": "Snapshot empty restored."}
    assert client.get("/crm/v8/Leads", params={"fields": "Last_Name"}, headers=auth).status_code == 204
    assert post(client, "/console/snapshots/empty/delete")[1] == {"notice": "Snapshot empty deleted."}
    assert client.get("/_emulator/snapshots").json()["snapshots"] == []
    assert post(client, "/console/snapshots/empty/restore")[1] == {"problem": "No snapshot has this name."}


def test_a_bad_snapshot_name_is_refused_with_the_rule(client: TestClient) -> None:
    _, message = post(client, "/console/snapshots", name="Not Valid!")
    assert message["problem"].startswith("A snapshot name is 1-40 characters")


@pytest.mark.usefixtures("both_backends")
def test_reset_brings_back_the_fresh_org(client: TestClient, auth: dict[str, str]) -> None:
    client.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Gone", "Company": "G"}]}, headers=auth)
    client.post("/_emulator/clock/advance", json={"seconds": 60})
    assert post(client, "/console/reset")[1] == {"notice": "The org is back to its fresh state."}
    assert client.get("/_emulator/clock").json()["offset_ms"] == 0
    assert 'id="credits-used">0<' in client.get(HOME).text
