"""Races between two server processes on one database (an SQLite file, or PostgreSQL).

* Same-key writes split over both servers: exactly one succeeds, and every other one gets the
  DUPLICATE_DATA the rule-based check gives (the answer to the same write sent afterwards), never a
  5xx from the database's unique constraint. Rows made on first use (a module's layout, an
  autonumber counter, a user's Self Client, a first consent) are made once and shared.
* OAuth limits: parallel refreshes of one refresh token mint exactly what the token policy allows
  (accounts/policy.py), the others get the throttle answer, and the live access tokens never
  exceed the cap; a grant code is exchanged once.

A race is lost only when the two servers' transactions overlap, so the tests make the contested
moment the first request of a burst (released together by a barrier) and repeat it over rounds.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.servers import ServerProcess, admin_token, bearer, burst, control, prepare, start_all
from tests.support.accounts import REDIRECT_URI, consent_token, redirect_of, user_ids
from zcrm_emulator.accounts.errors import Throttled
from zcrm_emulator.accounts.policy import CURRENT

pytestmark = pytest.mark.usefixtures("both_backends")

ROUNDS = 4  # contested keys or windows per test
PER_ROUND = 16  # requests per contested key: 64 in all
REFRESHES = 32
EXCHANGES = 16
SELF_CLIENT_CODES = 8  # within the grant codes a client may get per window
LINK_URL = "https://www.example.com/search?q={Lead.Full_Name}"


@pytest.fixture
def pair(db_url: str, tmp_path: Path) -> Iterator[list[ServerProcess]]:
    """Two workers sharing ``db_url``, started together on an already migrated database."""
    prepare(db_url)
    servers = [ServerProcess(db_url, tmp_path / f"server-{n}.log") for n in (1, 2)]
    try:
        yield start_all(servers)
    finally:
        for server in servers:
            server.stop()


def spread(pair: list[ServerProcess], count: int, method: str, path: str, **kwargs: Any) -> list[httpx.Response]:
    """``count`` identical requests, alternating between the two servers, sent at once."""
    return burst(count, lambda i: pair[i % 2].http.request(method, path, **kwargs))


def crm(server: ServerProcess, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response:
    return server.http.request(method, f"/crm/v8{path}", headers=bearer(token), **kwargs)


def admin_profile(server: ServerProcess, token: str) -> list[dict[str, str]]:
    """``profiles`` naming the Administrator profile, as module and link creates take them."""
    profiles = crm(server, "GET", "/settings/profiles", token).json()["profiles"]
    return [{"id": next(str(p["id"]) for p in profiles if p["name"] == "Administrator")}]


def texts(answers: list[httpx.Response]) -> list[str]:
    return [a.text for a in answers]


def assert_one_created_rest_like(answers: list[httpx.Response], rule: httpx.Response) -> None:
    """One 201; every other answer is exactly ``rule``, the rule-based check's DUPLICATE_DATA."""
    assert rule.status_code == 400, rule.text
    assert "DUPLICATE_DATA" in rule.text
    assert Counter(a.status_code for a in answers) == {201: 1, 400: len(answers) - 1}, texts(answers)
    assert [a.json() for a in answers if a.status_code == 400] == [rule.json()] * (len(answers) - 1)


def race_creates(pair: list[ServerProcess], path: str, **request: Any) -> None:
    """PER_ROUND identical creates over both servers, then the same create once more: the answer
    the rule gives once the first one is stored."""
    answers = spread(pair, PER_ROUND, "POST", path, **request)
    assert_one_created_rest_like(answers, pair[0].http.post(path, **request))


def test_same_name_custom_modules(pair: list[ServerProcess]) -> None:
    token = admin_token(pair[0])
    profiles = admin_profile(pair[0], token)
    for n in range(ROUNDS):
        item = {"plural_label": f"Racers{n}", "singular_label": f"Racer{n}", "profiles": profiles}
        race_creates(pair, "/crm/v8/settings/modules", json={"modules": [item]}, headers=bearer(token))


def test_same_name_custom_links(pair: list[ServerProcess]) -> None:
    token = admin_token(pair[0])
    profiles = admin_profile(pair[0], token)
    for n in range(ROUNDS):
        item = {"name": f"Race {n}", "url": LINK_URL, "url_encoding": "UTF-8", "profiles": profiles}
        body, params = {"custom_links": [item]}, {"module": "Leads"}
        race_creates(pair, "/crm/v8/settings/custom_links", json=body, params=params, headers=bearer(token))


def test_same_name_unsubscribe_links(pair: list[ServerProcess]) -> None:
    token = admin_token(pair[0])
    for n in range(ROUNDS):
        item = {
            "name": f"Race {n}",
            "page_type": "standard",
            "submission_action_type": "display_message",
            "submission_message": "Done.",
        }
        race_creates(
            pair, "/crm/v8/settings/unsubscribe_links", json={"unsubscribe_links": [item]}, headers=bearer(token)
        )


def test_same_email_users(pair: list[ServerProcess]) -> None:
    """The control plane's ``POST /_emulator/users``: one user per email."""
    for n in range(ROUNDS):
        body = {"email": f"racer{n}@zylker.example", "last_name": f"Racer {n}"}
        race_creates(pair, "/_emulator/users", json=body)


def test_first_records_of_an_autonumbered_module(pair: list[ServerProcess]) -> None:
    """A fresh module's first records: its layout and its autonumber counter are made on first use,
    by whichever worker comes first; every record still gets a number of its own."""
    token = admin_token(pair[0])
    profiles = admin_profile(pair[0], token)
    numbered = {"data_type": "autonumber", "auto_number": {"start_number": "1"}}
    for n in range(ROUNDS):
        item = {"plural_label": f"Tickets{n}", "singular_label": f"Ticket{n}", "profiles": profiles}
        made = crm(pair[0], "POST", "/settings/modules", token, json={"modules": [{**item, "display_field": numbered}]})
        assert made.status_code == 201, made.text
        answers = spread(pair, PER_ROUND, "POST", f"/crm/v8/Tickets{n}", json={"data": [{}]}, headers=bearer(token))
        assert [a.status_code for a in answers] == [201] * PER_ROUND, texts(answers)
        ids = [a.json()["data"][0]["details"]["id"] for a in answers]
        names = [crm(pair[1], "GET", f"/Tickets{n}/{i}", token).json()["data"][0]["Name"] for i in ids]
        assert sorted(map(int, names)) == list(range(1, PER_ROUND + 1))


def test_first_reads_of_a_layout(pair: list[ServerProcess]) -> None:
    """A standard module's layout row is made on its first read."""
    token = admin_token(pair[0])
    for module in ("Leads", "Contacts", "Accounts", "Deals"):
        request = {"params": {"module": module}, "headers": bearer(token)}
        answers = spread(pair, PER_ROUND, "GET", "/crm/v8/settings/layouts", **request)
        assert [a.status_code for a in answers] == [200] * PER_ROUND, texts(answers)
        assert [a.json() for a in answers] == [answers[0].json()] * PER_ROUND


# --- OAuth -------------------------------------------------------------------------------------


def self_client_grant(server: ServerProcess, user: str | None = None) -> dict[str, Any]:
    """Client id, secret and a grant code of a user's Self Client (default: the administrator)."""
    return dict(control(server, "POST", "/self-client", {"scope": "ZohoCRM.org.READ", "user": user}))


def token_call(server: ServerProcess, grant: dict[str, Any], **form: str) -> dict[str, Any]:
    credentials = {"client_id": grant["client_id"], "client_secret": grant["client_secret"]}
    response = server.http.post("/oauth/v2/token", data={**credentials, **form})
    assert response.status_code == 200, response.text
    return dict(response.json())


def exchange(server: ServerProcess, grant: dict[str, Any]) -> dict[str, Any]:
    return token_call(server, grant, grant_type="authorization_code", code=grant["code"])


def refresh(server: ServerProcess, grant: dict[str, Any], refresh_token: str) -> dict[str, Any]:
    return token_call(server, grant, grant_type="refresh_token", refresh_token=refresh_token)


def refresh_burst(pair: list[ServerProcess], grant: dict[str, Any], refresh_token: str, count: int) -> list[str]:
    """``count`` refreshes over both servers at once: the access tokens minted; every other
    answer must be the throttle's."""
    answers = burst(count, lambda i: refresh(pair[i % 2], grant, refresh_token))
    refused = [a for a in answers if "access_token" not in a]
    assert refused == [Throttled().body()] * len(refused)
    return [a["access_token"] for a in answers if "access_token" in a]


def live(server: ServerProcess, tokens: list[str]) -> int:
    """How many of the tokens a CRM call still accepts."""
    return sum(crm(server, "GET", "/org", t).status_code == 200 for t in tokens)


def set_limits(server: ServerProcess, **overrides: int | str) -> None:
    control(server, "PUT", "/token-policy", {"overrides": overrides})


def advance(pair: list[ServerProcess], seconds: int) -> None:
    """Move the shared clock, then poll until the other server has read the new offset (it reads
    the stored one every 100 ms)."""
    offset = control(pair[0], "POST", "/clock/advance", {"seconds": seconds})["offset_ms"]
    deadline = time.monotonic() + 5
    while control(pair[1], "GET", "/clock")["offset_ms"] != offset:
        assert time.monotonic() < deadline, "the second server never read the new clock offset"


def test_parallel_refreshes_mint_exactly_the_limit(pair: list[ServerProcess]) -> None:
    grant = self_client_grant(pair[0])
    first = exchange(pair[0], grant)
    minted = refresh_burst(pair, grant, first["refresh_token"], REFRESHES)
    # The access token of the code exchange counts toward the refresh token's limit.
    assert len(minted) == CURRENT.access_tokens_per_refresh_token.count - 1
    assert live(pair[1], [first["access_token"], *minted]) == len(minted) + 1


def test_two_servers_racing_for_the_last_token_of_a_window(pair: list[ServerProcess]) -> None:
    window = CURRENT.access_tokens_per_refresh_token.window_seconds
    set_limits(pair[0], access_tokens_per_refresh_token=f"1/{window}")
    grant = self_client_grant(pair[0])
    first = exchange(pair[0], grant)  # the first window's one token
    assert refresh(pair[1], grant, first["refresh_token"]) == Throttled().body()
    for _ in range(ROUNDS):
        advance(pair, window)
        assert len(refresh_burst(pair, grant, first["refresh_token"], 2)) == 1


def test_parallel_refreshes_keep_the_live_cap(pair: list[ServerProcess]) -> None:
    cap = 3
    set_limits(pair[0], access_tokens_per_refresh_token=REFRESHES, access_tokens_active_per_refresh_token=cap)
    grant = self_client_grant(pair[0])
    first = exchange(pair[0], grant)
    minted = [first["access_token"]]
    for _ in range(2 * ROUNDS):
        minted += refresh_burst(pair, grant, first["refresh_token"], 2)
        assert live(pair[1], minted) == min(len(minted), cap)
    assert len(minted) == 1 + 4 * ROUNDS


def test_a_grant_code_is_exchanged_once(pair: list[ServerProcess]) -> None:
    grant = self_client_grant(pair[0])
    answers = burst(EXCHANGES, lambda i: exchange(pair[i % 2], grant))
    assert sum("access_token" in a for a in answers) == 1
    assert [a for a in answers if "access_token" not in a] == [{"error": "invalid_code"}] * (EXCHANGES - 1)


def test_a_users_first_self_client_is_made_once(pair: list[ServerProcess]) -> None:
    for n in range(ROUNDS):
        email = f"self{n}@zylker.example"
        control(pair[0], "POST", "/users", {"email": email, "last_name": f"Self {n}"})
        body = {"scope": "ZohoCRM.org.READ", "user": email}
        answers = spread(pair, SELF_CLIENT_CODES, "POST", "/_emulator/self-client", json=body)
        assert [a.status_code for a in answers] == [200] * SELF_CLIENT_CODES, texts(answers)
        assert len({a.json()["client_id"] for a in answers}) == 1


def consent_form(server: ServerProcess, client_id: str) -> dict[str, str]:
    """Open the consent page for ``client_id`` on ``server``: the form that accepts it."""
    wanted = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": REDIRECT_URI,
        "scope": "ZohoCRM.org.READ",
    }
    page = server.http.get("/oauth/v2/auth", params=wanted).text
    return {"consent_token": consent_token(page), "decision": "accept", "user_id": user_ids(page)[0]}


def answer_together(pair: list[ServerProcess], forms: list[dict[str, str]]) -> list[httpx.Response]:
    return burst(2, lambda i: pair[i].http.post("/oauth/v2/consent", data=forms[i]))


def test_two_first_consents_at_once(pair: list[ServerProcess]) -> None:
    """A user's first consent to a client, given on two consent pages at the same moment."""
    for n in range(ROUNDS):
        new = {"client_name": f"Racer {n}", "homepage_url": "https://racer.example", "redirect_uris": [REDIRECT_URI]}
        client_id = control(pair[0], "POST", "/clients", new)["client"]["client_id"]
        answers = answer_together(pair, [consent_form(server, client_id) for server in pair])
        assert [a.status_code for a in answers] == [302, 302], texts(answers)
        assert all("code" in redirect_of(a.headers["location"]).params for a in answers)


def test_different_name_links_never_pass_the_per_module_limit(pair: list[ServerProcess]) -> None:
    """Limits checked by counting (10 custom links per module) hold when both servers count at once."""
    token = admin_token(pair[0])
    profiles = admin_profile(pair[0], token)

    def create(i: int) -> httpx.Response:
        item = {"name": f"Link {i}", "url": "https://www.example.com/", "url_encoding": "UTF-8", "profiles": profiles}
        return crm(
            pair[i % 2],
            "POST",
            "/settings/custom_links",
            token,
            params={"module": "Contacts"},
            json={"custom_links": [item]},
        )

    answers = burst(24, create)
    assert Counter(a.status_code for a in answers) == {201: 10, 400: 14}, texts(answers)
    assert {a.json()["custom_links"][0]["code"] for a in answers if a.status_code == 400} == {"LIMIT_EXCEEDED"}


def test_a_unique_record_field_holds_between_servers(pair: list[ServerProcess]) -> None:
    """Upserts of one email over both servers: one record, inserted once and then updated."""
    token = admin_token(pair[0])
    for n in range(ROUNDS):
        body = {
            "data": [{"Last_Name": "Racer", "Email": f"racer{n}@zylker.example"}],
            "duplicate_check_fields": ["Email"],
        }
        answers = spread(pair, PER_ROUND, "POST", "/crm/v8/Leads/upsert", json=body, headers=bearer(token))
        actions = Counter(a.json()["data"][0].get("action") for a in answers)
        assert actions == {"insert": 1, "update": PER_ROUND - 1}, texts(answers)
        found = crm(pair[0], "GET", "/Leads/search", token, params={"email": f"racer{n}@zylker.example"})
        assert found.json()["info"]["count"] == 1
