"""The OAuth flows as a client application drives them, over the in-process HTTP client."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.testclient import TestClient

from zcrm_emulator.accounts import api_console
from zcrm_emulator.accounts.clients import NewClient
from zcrm_emulator.clock import Clock
from zcrm_emulator.emulator import Emulator

REDIRECT_URI = "https://sync.zylker.example/oauth/callback"
SECOND_REDIRECT_URI = "http://localhost:8765/cb?tenant=7"
SCOPES = "ZohoCRM.modules.ALL,ZohoCRM.settings.READ"

_TOKEN = re.compile(r'name="consent_token" value="([^"]+)"')
_USER = re.compile(r'name="user_id" value="(\d+)"')


@dataclass(frozen=True)
class Registered:
    client_id: str
    client_secret: str
    redirect_uri: str


@dataclass(frozen=True)
class Redirect:
    """Where the consent answer sent the browser."""

    base: str
    params: dict[str, str]
    raw: str


def redirect_of(location: str) -> Redirect:
    parts = urlsplit(location)
    params = {key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
    return Redirect(f"{parts.scheme}://{parts.netloc}{parts.path}", params, location)


def consent_token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the consent page carries its form token"
    return found.group(1)


def user_ids(html: str) -> list[str]:
    return _USER.findall(html)


class Flows:
    def __init__(self, http: TestClient, registered: Registered, emulator: Emulator) -> None:
        self.http = http
        self.app = registered
        self.emulator = emulator

    def auth_params(self, **overrides: str | None) -> dict[str, str]:
        params: dict[str, str | None] = {
            "client_id": self.app.client_id,
            "response_type": "code",
            "redirect_uri": self.app.redirect_uri,
            "scope": SCOPES,
            "state": "st-1",
        }
        params.update(overrides)
        return {key: value for key, value in params.items() if value is not None}

    def open_consent(self, **overrides: str | None) -> str:
        response = self.http.get("/oauth/v2/auth", params=self.auth_params(**overrides))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/html")
        return response.text

    def answer(self, html: str, decision: str = "accept", user_id: str | None = None) -> Redirect:
        form = {"consent_token": consent_token(html), "decision": decision}
        form["user_id"] = user_id or user_ids(html)[0]
        response = self.http.post("/oauth/v2/consent", data=form, follow_redirects=False)
        assert response.status_code == 302, response.text
        return redirect_of(response.headers["location"])

    def authorize(self, decision: str = "accept", user_id: str | None = None, **overrides: str | None) -> Redirect:
        return self.answer(self.open_consent(**overrides), decision, user_id)

    def code(self, **overrides: str | None) -> str:
        return self.authorize(**overrides).params["code"]

    def token(self, **params: str) -> dict[str, Any]:
        """POST /oauth/v2/token with the client's credentials (form body); any status is checked."""
        form = {"client_id": self.app.client_id, "client_secret": self.app.client_secret, **params}
        response = self.http.post("/oauth/v2/token", data=form)
        assert response.status_code == 200  # Zoho answers errors with 200 too
        assert response.headers["content-type"].startswith("application/json")
        return response.json()

    def exchange(self, code: str, **extra: str) -> dict[str, Any]:
        return self.token(
            **{"grant_type": "authorization_code", "code": code, "redirect_uri": self.app.redirect_uri, **extra}
        )

    def offline_tokens(self, **overrides: str | None) -> dict[str, Any]:
        overrides.setdefault("access_type", "offline")
        overrides.setdefault("prompt", "consent")
        body = self.exchange(self.code(**overrides))
        assert "refresh_token" in body, body
        return body

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        return self.token(grant_type="refresh_token", refresh_token=refresh_token)

    def crm_status(self, access_token: str, path: str = "/crm/v8/settings/modules") -> int:
        return self.http.get(path, headers={"Authorization": f"Zoho-oauthtoken {access_token}"}).status_code


START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


class FrozenClock(Clock):
    """Emulator time that moves only when advanced."""

    def __init__(self, start_ms: int = START_MS) -> None:
        super().__init__(0)
        self.start_ms = start_ms

    def now_ms(self) -> int:
        return self.start_ms + self.offset_ms


def register(emulator: Emulator, *uris: str, name: str = "Zylker Sync") -> Registered:
    with emulator.store.tx() as conn:
        client, secret = api_console.create_server_client(
            conn,
            emulator.default_org_id,
            NewClient(name, "https://sync.zylker.example", uris or (REDIRECT_URI, SECOND_REDIRECT_URI)),
            emulator.clock.now_ms(),
        )
    return Registered(client.id, secret, client.redirect_uris[0])
