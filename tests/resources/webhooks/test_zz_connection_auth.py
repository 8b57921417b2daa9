"""Webhooks with ``authentication: {type: "connection"}``: the name must be a connection of the org
(connections/, seeded on the control plane), and a fired webhook carries its credential (header,
query parameter or form field, per the connection's service). Last of the webhook tests: they need
the connections package."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from starlette.testclient import TestClient

from tests.support.receiver import Receiver, receiver
from tests.support.webhooks import WEBHOOKS, create_lead, create_webhook, fire, post_webhook, webhook_item
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, public_url="http://testserver", deliveries="sync")


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as box:
        yield box


def seed_connection(client: TestClient, **body: Any) -> None:
    response = client.post("/_emulator/connections", json=body)
    assert response.status_code == 201, response.text


def api_key(client: TestClient, link_name: str, param_type: str) -> None:
    seed_connection(
        client,
        link_name=link_name,
        service_link_name=f"{link_name}_service",
        auth_type="api_key",
        param_type=param_type,
        credentials={"api_key": "k-123"},
    )


def by_connection(name: str) -> dict[str, str]:
    return {"type": "connection", "connection_name": name}


def test_a_webhook_names_a_connection_the_org_has(api: TestClient) -> None:
    unknown = post_webhook(api, webhook_item(authentication=by_connection("mailer")))
    assert unknown.status_code == 400
    assert unknown.json()["webhooks"][0]["message"] == "Please provide valid connection name"
    api_key(api, "mailer", "header")
    webhook_id = create_webhook(api, authentication=by_connection("mailer"))
    shown = api.get(f"{WEBHOOKS}/{webhook_id}").json()["webhooks"][0]
    assert shown["authentication"] == {"type": "connection", "connection_name": "mailer"}


@pytest.mark.parametrize(("param_type", "where"), [("header", "header"), ("query", "query")])
def test_an_api_key_goes_where_its_service_says(
    api: TestClient, emulator: Emulator, hook: Receiver, param_type: str, where: str
) -> None:
    api_key(api, "mailer", param_type)
    webhook_id = create_webhook(api, url=hook.url + "in?x=1", authentication=by_connection("mailer"))
    fire(emulator, webhook_id, create_lead(api))
    (got,) = hook.wait_for(1)
    if where == "header":
        assert (got.header("api_key"), got.path) == ("k-123", "/in?x=1")
    else:
        assert (got.header("api_key"), got.path) == (None, "/in?x=1&api_key=k-123")


def test_a_form_field_key_joins_a_form_body(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    api_key(api, "mailer", "form")
    content = {"custom_parameters": [{"name": "a", "value": "1"}]}
    form_hook = create_webhook(
        api,
        url=hook.url,
        authentication=by_connection("mailer"),
        headers=None,
        body={"type": "form_data", "form_data_content": content},
    )
    raw_hook = create_webhook(api, url=hook.url, authentication=by_connection("mailer"))
    lead = create_lead(api)
    fire(emulator, form_hook, lead)
    fire(emulator, raw_hook, lead)
    form, raw = hook.wait_for(2)
    assert parse_qsl(form.body.decode()) == [("a", "1"), ("api_key", "k-123")]
    assert raw.path == "/?api_key=k-123"  # a body that is no form: the field goes in the query


def test_an_oauth_connection_sends_its_bearer_token(api: TestClient, emulator: Emulator, hook: Receiver) -> None:
    seed_connection(
        api,
        link_name="books",
        service_link_name="books_service",
        auth_type="oauth2",
        param_type="header",
        client_id="cid",
        client_secret="secret",
        authorize_url="https://accounts.books.example/auth",
        token_url="https://accounts.books.example/token",
        access_token="tok-1",
        expires_in=3600,
    )
    webhook_id = create_webhook(api, url=hook.url, authentication=by_connection("books"))
    fire(emulator, webhook_id, create_lead(api))
    (got,) = hook.wait_for(1)
    assert got.header("Authorization") == "Bearer tok-1"


def test_a_connection_without_a_credential_fires_without_one(
    api: TestClient, emulator: Emulator, hook: Receiver
) -> None:
    api_key(api, "mailer", "header")
    webhook_id = create_webhook(api, url=hook.url, authentication=by_connection("mailer"))
    assert api.delete("/_emulator/connections/mailer").status_code == 200
    fire(emulator, webhook_id, create_lead(api))
    (got,) = hook.wait_for(1)
    assert got.header("api_key") is None
    deliveries = api.get("/_emulator/deliveries").json()
    context = deliveries["deliveries"][0]["context"]
    assert context["credential_unavailable"] == "connection 'mailer': not_found"
