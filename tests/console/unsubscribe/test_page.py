"""The hosted unsubscribe page over HTTP: what the standard page shows, what the Unsubscribe button
changes, the redirect and custom-page variants, and every error path (HTML pages with the right
status, nothing changed)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.console import (
    create_lead,
    create_link,
    create_record,
    open_page,
    page_form,
    read_record,
    recipient_url,
)
from tests.support.people import add_standard_user
from zcrm_emulator.emulator import Emulator

CUSTOM_PAGE = "https://www.zylker.example/preferences?lang=en"


def press_unsubscribe(api: TestClient, url: str, **headers: str) -> httpx.Response:
    action, fields = open_page(api, url)
    return api.post(action, data=fields, headers=headers, follow_redirects=False)


def assert_error_page(response: httpx.Response, status: int, title: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert f'<h1 id="error-title">{title}</h1>' in response.text
    assert "Traceback" not in response.text


def opted_out(api: TestClient, module: str, record_id: str) -> Any:
    return read_record(api, module, record_id)["Email_Opt_Out"]


@pytest.fixture
def lead(api: TestClient) -> str:
    return create_lead(api)


@pytest.fixture
def link(api: TestClient) -> str:
    return create_link(api)


@pytest.fixture
def url(api: TestClient, link: str, lead: str) -> str:
    return recipient_url(api, link, "Leads", lead)


# --- the standard page ------------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_the_standard_page_shows_the_message_the_address_and_an_unsubscribe_form(
    api: TestClient, url: str, link: str, lead: str
) -> None:
    before = read_record(api, "Leads", lead)
    page = api.get(url)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert '<div id="message">You will not get our newsletter any more.</div>' in page.text
    assert '<span id="email">ada@example.com</span>' in page.text
    action, fields = page_form(page.text)
    assert action == f"/unsubscribe/{link}"
    assert fields["r"] == parse_qs(urlsplit(url).query)["r"][0]
    assert len(fields["form_token"]) == 43
    # Opening the page (as a mail scanner would) changes nothing.
    assert read_record(api, "Leads", lead) == before


def test_head_answers_like_get_without_a_body(api: TestClient, url: str) -> None:
    response = api.head(url)
    assert (response.status_code, response.content) == (200, b"")


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("You will <b>not</b> hear from us.", "You will <b>not</b> hear from us."),
        ("1 < 2 & 3\nSecond line", "1 &lt; 2 &amp; 3<br>Second line"),
        (None, "Click Unsubscribe to stop receiving emails from us."),
    ],
    ids=["rich-text", "plain-text", "unset"],
)
def test_the_page_message_is_rich_text_or_plain_text(
    api: TestClient, lead: str, message: str | None, shown: str
) -> None:
    link = create_link(api, standard_page_message=message)
    page = api.get(recipient_url(api, link, "Leads", lead))
    assert f'<div id="message">{shown}</div>' in page.text


def test_a_recipient_without_an_email_address_sees_no_address(api: TestClient, link: str) -> None:
    lead = create_lead(api, email=None)
    page = api.get(recipient_url(api, link, "Leads", lead))
    assert page.status_code == 200
    assert 'id="email"' not in page.text


# --- the submission ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("both_backends")
def test_unsubscribing_opts_the_lead_out_as_an_update_by_its_owner(
    api: TestClient, emulator: Emulator, link: str
) -> None:
    rep = add_standard_user(emulator)
    lead = create_lead(api, Owner={"id": rep})
    created = read_record(api, "Leads", lead)
    emulator.advance_clock(90)
    answer = press_unsubscribe(api, recipient_url(api, link, "Leads", lead))
    assert answer.status_code == 200
    assert '<div id="message">You are unsubscribed. Goodbye!</div>' in answer.text
    after = read_record(api, "Leads", lead)
    assert after["Email_Opt_Out"] is True
    assert after["Unsubscribed_Mode"] == "Unsubscribe link"
    assert after["Unsubscribed_Time"] == after["Modified_Time"]
    assert after["Modified_Time"] != created["Modified_Time"]
    assert after["Modified_By"]["id"] == rep
    assert after["Created_By"] == created["Created_By"]
    assert after["Last_Name"] == "Lovelace"


@pytest.mark.usefixtures("both_backends")
def test_every_record_holding_the_same_address_is_opted_out(api: TestClient, link: str) -> None:
    lead = create_lead(api, email="ada@example.com")
    same_contact = create_record(api, "Contacts", Last_Name="Lovelace", Email="ADA@Example.com")
    secondary = create_record(api, "Contacts", Last_Name="Byron", Secondary_Email="ada@example.com")
    other_lead = create_lead(api, email="ada@example.org")
    answer = press_unsubscribe(api, recipient_url(api, link, "Leads", lead))
    assert answer.status_code == 200
    assert opted_out(api, "Leads", lead) is True
    assert opted_out(api, "Contacts", same_contact) is True
    assert read_record(api, "Contacts", secondary)["Unsubscribed_Mode"] == "Unsubscribe link"
    assert opted_out(api, "Leads", other_lead) is not True


def test_unsubscribing_again_changes_nothing_more(api: TestClient, emulator: Emulator, url: str, lead: str) -> None:
    assert press_unsubscribe(api, url).status_code == 200
    first = read_record(api, "Leads", lead)
    emulator.advance_clock(60)
    again = press_unsubscribe(api, url)
    assert again.status_code == 200
    assert "You are unsubscribed. Goodbye!" in again.text
    assert read_record(api, "Leads", lead) == first


def test_a_redirect_link_sends_the_person_on_after_the_change(api: TestClient, lead: str) -> None:
    link = create_link(
        api,
        submission_action_type="redirect",
        submission_message=None,
        submission_redirect_url="https://www.zylker.example/goodbye",
    )
    answer = press_unsubscribe(api, recipient_url(api, link, "Leads", lead))
    assert answer.status_code == 302
    assert answer.headers["location"] == "https://www.zylker.example/goodbye"
    assert answer.headers["cache-control"] == "no-store"
    assert opted_out(api, "Leads", lead) is True


# --- custom pages ------------------------------------------------------------------------------------


def custom_link(api: TestClient) -> str:
    return create_link(api, page_type="custom", custom_location_url=CUSTOM_PAGE, standard_page_message=None)


def test_a_custom_page_link_redirects_to_the_orgs_page_with_the_recipient_token(api: TestClient, lead: str) -> None:
    link = custom_link(api)
    url = recipient_url(api, link, "Leads", lead)
    response = api.get(url, follow_redirects=False)
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://www.zylker.example/preferences"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert set(query) == {"lang", "r", "form_token", "submit_url"}
    assert query["lang"] == "en"
    assert query["r"] == parse_qs(urlsplit(url).query)["r"][0]
    assert query["submit_url"] == f"http://testserver/unsubscribe/{link}"
    assert opted_out(api, "Leads", lead) is not True

    # The org's page posts the two tokens back from its own origin.
    answer = api.post(
        query["submit_url"],
        data={"r": query["r"], "form_token": query["form_token"]},
        headers={"Origin": "https://www.zylker.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert answer.status_code == 200
    assert opted_out(api, "Leads", lead) is True


# --- where a submission may come from -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("custom", "headers", "status"),
    [
        (False, {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}, 200),
        (False, {"Origin": "https://evil.example"}, 403),
        (False, {"Sec-Fetch-Site": "cross-site"}, 403),
        (False, {"Origin": "https://www.zylker.example"}, 403),
        (True, {"Origin": "https://www.zylker.example", "Sec-Fetch-Site": "cross-site"}, 200),
        (True, {"Origin": "http://testserver"}, 200),
        (True, {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403),
        (True, {"Origin": "null"}, 403),
        (False, {"Host": "localhost:8000", "Origin": "http://localhost:8000"}, 200),
    ],
)
def test_the_form_is_taken_only_from_this_server_or_the_links_custom_page(
    api: TestClient, lead: str, custom: bool, headers: dict[str, str], status: int
) -> None:
    link = custom_link(api) if custom else create_link(api)
    url = recipient_url(api, link, "Leads", lead)
    if custom:
        query = parse_qs(urlsplit(api.get(url, follow_redirects=False).headers["location"]).query)
        fields = {"r": query["r"][0], "form_token": query["form_token"][0]}
    else:
        _, fields = open_page(api, url)
    answer = api.post(f"/unsubscribe/{link}", data=fields, headers=headers)
    if status == 403:
        assert_error_page(answer, 403, "Invalid Request")
    assert answer.status_code == status
    assert (opted_out(api, "Leads", lead) is True) is (status == 200)


# --- errors: HTML pages with the right status, nothing changed -----------------------------------------


def test_a_deleted_link_is_not_found(api: TestClient, link: str, url: str) -> None:
    assert api.delete(f"/crm/v8/settings/unsubscribe_links/{link}").status_code == 200
    assert_error_page(api.get(url), 404, "Link Not Found")


def test_a_deleted_record_is_not_found(api: TestClient, lead: str, url: str) -> None:
    action, fields = open_page(api, url)
    assert api.delete(f"/crm/v8/Leads/{lead}").status_code == 200
    assert_error_page(api.get(url), 404, "Recipient Not Found")
    assert_error_page(api.post(action, data=fields), 404, "Recipient Not Found")


def edited(url: str, part: int, value: str) -> str:
    token = parse_qs(urlsplit(url).query)["r"][0]
    parts = token.split(".")
    parts[part] = value
    return url.split("?")[0] + "?r=" + ".".join(parts)


@pytest.mark.parametrize(
    ("make", "status", "title"),
    [
        (lambda url, link, other: url.replace(f"/unsubscribe/{link}", "/unsubscribe/abc"), 404, "Link Not Found"),
        (lambda url, link, other: url.split("?")[0], 400, "Invalid Link"),
        (lambda url, link, other: url.split("?")[0] + "?r=", 400, "Invalid Link"),
        (lambda url, link, other: url.split("?")[0] + "?r=garbage", 400, "Invalid Link"),
        (lambda url, link, other: edited(url, 2, str(int(url.split(".")[-2]) + 1)), 400, "Invalid Link"),
        (lambda url, link, other: edited(url, 1, "Contacts"), 400, "Invalid Link"),
        (lambda url, link, other: edited(url, 3, "A" * 43), 400, "Invalid Link"),
        (lambda url, link, other: url.replace(f"/unsubscribe/{link}", f"/unsubscribe/{other}"), 400, "Invalid Link"),
    ],
    ids=[
        "link-id-not-a-number",
        "no-token",
        "empty-token",
        "not-a-token",
        "other-record",
        "other-module",
        "forged-signature",
        "token-of-another-link",
    ],
)
def test_a_bad_url_shows_an_error_page(
    api: TestClient, link: str, url: str, lead: str, make: Any, status: int, title: str
) -> None:
    other = create_link(api, name="Offers")
    assert_error_page(api.get(make(url, link, other)), status, title)


@pytest.mark.parametrize(
    ("change", "status", "title"),
    [
        (lambda fields, other: {**fields, "form_token": ""}, 400, "Invalid Request"),
        (lambda fields, other: {k: v for k, v in fields.items() if k != "form_token"}, 400, "Invalid Request"),
        (lambda fields, other: {**fields, "form_token": fields["form_token"][:-1] + "x"}, 400, "Invalid Request"),
        (lambda fields, other: {**fields, "form_token": other["form_token"]}, 400, "Invalid Request"),
        (lambda fields, other: {k: v for k, v in fields.items() if k != "r"}, 400, "Invalid Link"),
        (lambda fields, other: {**fields, "r": other["r"]}, 400, "Invalid Request"),
    ],
    ids=[
        "empty-form-token",
        "no-form-token",
        "altered-form-token",
        "another-recipients-form-token",
        "no-token",
        "another-recipients-token",
    ],
)
@pytest.mark.usefixtures("both_backends")
def test_a_bad_submission_shows_an_error_page_and_changes_nothing(
    api: TestClient, link: str, url: str, lead: str, change: Any, status: int, title: str
) -> None:
    other_lead = create_lead(api, email="charles@example.com")
    action, fields = open_page(api, url)
    _, other_fields = open_page(api, recipient_url(api, link, "Leads", other_lead))
    before = read_record(api, "Leads", lead), read_record(api, "Leads", other_lead)
    assert_error_page(api.post(action, data=change(fields, other_fields)), status, title)
    assert (read_record(api, "Leads", lead), read_record(api, "Leads", other_lead)) == before


def test_a_body_that_is_not_a_form_is_refused(api: TestClient, link: str, url: str, lead: str) -> None:
    _, fields = open_page(api, url)
    assert_error_page(api.post(f"/unsubscribe/{link}", json=fields), 400, "Invalid Link")
    assert opted_out(api, "Leads", lead) is not True


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
def test_other_methods_get_a_405_page(api: TestClient, url: str, method: str) -> None:
    response = api.request(method, url)
    assert_error_page(response, 405, "Method Not Allowed")
    assert response.headers["allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize("path", ["/unsubscribe", "/unsubscribe/", "/unsubscribe/1/2"])
def test_other_paths_under_unsubscribe_get_a_404_page(api: TestClient, path: str) -> None:
    assert_error_page(api.get(path), 404, "Page Not Found")
