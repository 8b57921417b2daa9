"""The README's automation walkthrough, as written there: its request bodies are read from the README
(so the README cannot drift from what the emulator accepts) and sent in its order; a real receiver
on loopback gets the webhook's call, and a clock advance of a day runs the scheduled field update."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.receiver import Receiver, receiver
from zcrm_emulator.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Walkthrough: a webhook, a workflow rule, and the clock"


def walkthrough_calls() -> list[tuple[str, str]]:
    """(path, body) of every ``curl … $B<path> … -d '<json>'`` in the README's walkthrough section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    calls = re.findall(r"curl -s \$B(/crm/v8/[\w/]+) -H \"\$AUTH\" -d '(.*?)'\n", section, flags=re.DOTALL)
    return [(path, body) for path, body in calls]


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, public_url="http://testserver", deliveries="sync")


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        yield box


def test_the_readme_walkthrough_calls_the_receiver_and_runs_the_scheduled_action(
    client: TestClient, hook: Receiver
) -> None:
    calls = walkthrough_calls()
    assert [path.rsplit("/", 1)[-1] for path, _ in calls] == ["webhooks", "field_updates", "workflow_rules", "Leads"]
    ids: dict[str, str] = {}

    def token() -> dict[str, str]:
        minted = client.post("/_emulator/tokens", json={})
        return {"Authorization": f"Zoho-oauthtoken {minted.json()['access_token']}"}

    auth = token()
    for path, body in calls:
        for placeholder, value in ids.items():
            body = body.replace(placeholder, value)
        body = body.replace("http://127.0.0.1:9000/", hook.url)
        answer: dict[str, Any] = client.post(path, content=body.encode(), headers=auth).json()
        (item,) = next(iter(answer.values()))
        assert item["status"] == "success", item
        name = {"webhooks": "WEBHOOK_ID", "field_updates": "FIELD_UPDATE_ID", "Leads": "LEAD_ID"}
        if path.rsplit("/", 1)[-1] in name:
            ids[name[path.rsplit("/", 1)[-1]]] = item["details"]["id"]

    (call,) = hook.wait_for(1)
    assert (call.method, call.path) == ("POST", "/leads")
    assert json.loads(call.body) == {"id": ids["LEAD_ID"], "company": "Zylker"}

    lead = f"/crm/v8/Leads/{ids['LEAD_ID']}?fields=Rating"
    assert client.get(lead, headers=auth).json()["data"][0]["Rating"] is None
    assert client.post("/_emulator/clock/advance", json={"seconds": 86400}).status_code == 200
    assert client.get(lead, headers=auth).json()["code"] == "INVALID_TOKEN"  # "the old token expired with the day"
    assert client.get(lead, headers=token()).json()["data"][0] == {"Rating": "Active", "id": ids["LEAD_ID"]}
