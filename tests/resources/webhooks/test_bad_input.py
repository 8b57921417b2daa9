"""Whatever a client puts in a webhook (any JSON value at any key, down to the parameters and the body),
the API answers 201 or a Zoho error item, never a 5xx; and what it stored reads back. Hypothesis,
derandomized (tests/reliability/hypothesis_settings.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES
from tests.reliability.hypothesis_settings import DETERMINISTIC
from tests.reliability.strategies import dumps, hostile_text, json_values
from tests.support.webhooks import WEBHOOKS, webhook_item
from zcrm_emulator import create_app
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import users

# Where a hostile value goes: a top-level key, or a key inside one of the nested objects.
PLACES = [
    (),
    ("module",),
    ("authentication",),
    ("headers",),
    ("body",),
    ("date_time_format",),
    ("headers", "module_parameters", 0),
    ("headers", "custom_parameters", 0),
]
KEYS = st.sampled_from(
    (
        *("name", "url", "http_method", "module", "authentication", "feature_type", "headers", "body", "type"),
        *("format", "raw_data_content", "form_data_content", "module_parameters", "value", "api_name", "id"),
        "time_zone",
    )
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("hostile")
    emulator = Emulator(Settings(db_url=f"sqlite:///{folder / 'zcrm.sqlite3'}"))
    with emulator.store.tx() as conn:
        admin = documents.list_data(conn, users, emulator.default_org_id)[0]["id"]
        token = mint_access_token(
            conn, org_id=emulator.default_org_id, user_id=admin, scopes=ALL_SCOPES, now_ms=emulator.clock.now_ms()
        )
    client = TestClient(create_app(emulator=emulator), base_url="http://testserver")
    client.headers["Authorization"] = f"Zoho-oauthtoken {token}"
    yield client
    emulator.close()


def placed(item: dict[str, Any], place: tuple[Any, ...], key: str, value: Any) -> dict[str, Any]:
    target: Any = item
    for step in place:
        if isinstance(target, dict):
            target = target.setdefault(step, {})
        elif isinstance(target, list) and len(target) > step:
            target = target[step]
        else:
            target = None
    if isinstance(target, dict):
        target[key] = value
    return item


@settings(DETERMINISTIC, max_examples=300)
@given(
    place=st.sampled_from(PLACES),
    key=st.one_of(KEYS, hostile_text(8)),
    value=st.one_of(json_values(), hostile_text(300)),
)
def test_no_webhook_body_makes_a_server_error(api: TestClient, place: tuple[Any, ...], key: str, value: Any) -> None:
    item = placed(webhook_item(), place, key, value)
    response = api.post(WEBHOOKS, content=dumps({"webhooks": [item]}), headers={"Content-Type": "application/json"})
    assert response.status_code in (201, 400), response.text
    (result,) = response.json()["webhooks"]
    assert set(result) == {"code", "details", "message", "status"}
    if response.status_code == 201:
        shown = api.get(f"{WEBHOOKS}/{result['details']['id']}")
        assert shown.status_code == 200
