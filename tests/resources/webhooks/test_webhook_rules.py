"""Every key of a webhook at its edges, over HTTP, under both webhook policies: ``current`` (the v8
docs) and ``seed`` (the seed guide's figures). Each case is the item's changes and what each policy
answers: ``OK`` or the one error item Zoho's examples show (OASx createWebhooks, updateWebhooks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES
from tests.support.webhooks import WEBHOOKS, create_webhook, webhook_item
from zcrm_emulator import create_app
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import users

OK = None
P = "$.webhooks[0]"
SAME = object()


def err(code: str, message: str, key: str | None = None, where: str = P, **details: Any) -> dict[str, Any]:
    """The error item; ``key`` adds ``{api_name, json_path}`` for a key of the object at ``where``."""
    found = {"api_name": key, "json_path": f"{where}.{key}"} if key else {}
    return {"code": code, "details": {**found, **details}, "message": message, "status": "error"}


def missing(key: str, where: str = P) -> dict[str, Any]:
    return err("MANDATORY_NOT_FOUND", "Required field is missing", key, where)


def wrong_type(key: str, expected: str, where: str = P) -> dict[str, Any]:
    return err("INVALID_DATA", "Invalid data type", key, where, expected_data_type=expected)


def too_long(key: str, limit: int, where: str = P) -> dict[str, Any]:
    return err("INVALID_DATA", "Invalid data", key, where, maximum_length=limit)


def too_many(key: str, limit: int, where: str) -> dict[str, Any]:
    return err("LIMIT_EXCEEDED", "can't pass more than the limit", key, where, limit=limit)


def invalid(key: str, message: str, where: str = P, **details: Any) -> dict[str, Any]:
    return err("INVALID_DATA", message, key, where, **details)


UNSUPPORTED = "Unsupported fields are present"
HALF = "the given parameter is invalid, specify both name and value"
BAD_URL = "please enter a valid URL"
BAD_METHOD = "The method type given is invalid"
NAME_LONG = "The lenght of name has exceeded the limit"
SPECIAL = {
    "code": "INVALID_DATA",
    "details": {"api_name": "name"},
    "message": "Special characters not allowed",
    "status": "error",
}
HASH_PERCENT = {**SPECIAL, "message": "webhook name should not contain the special character #%"}
H = f"{P}.headers"
B = f"{P}.body"


def mismatch(part: str) -> dict[str, Any]:
    details = {"dependee": {"api_name": part, "json_path": f"{P}.{part}"}}
    return err("DEPENDENT_MISMATCH", "Invalid value provided for the given http method", "http_method", **details)


def custom(count: int) -> list[dict[str, str]]:
    return [{"name": f"c{n}", "value": f"value {n}"} for n in range(count)]


def module(count: int) -> list[dict[str, str]]:
    return [{"name": f"m{n}", "value": "${!Leads.Email}"} for n in range(count)]


def headers(modules: list[dict[str, str]] | None = None, customs: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"module_parameters": modules or [], "custom_parameters": customs or []}


AUTH = f"{P}.authentication"
AUTH_MISMATCH = err(
    "DEPENDENT_MISMATCH",
    "provide appropriate authentication type",
    "type",
    AUTH,
    dependee={"api_name": "connection_name", "json_path": f"{AUTH}.connetion_name"},
)
GET = {"http_method": "GET", "headers": None, "body": None}

# (changes to the valid item, answer under "current", answer under "seed" (SAME: as current))
CASES: list[tuple[str, dict[str, Any], Any, Any]] = [
    # name
    ("name at 50", {"name": "N" * 50}, OK, SAME),
    ("name at 51", {"name": "N" * 51}, OK, invalid("name", NAME_LONG, maximum_length=50)),
    ("name at 250", {"name": "N" * 250}, OK, invalid("name", NAME_LONG, maximum_length=50)),
    (
        "name at 251",
        {"name": "N" * 251},
        invalid("name", NAME_LONG, maximum_length=250),
        invalid("name", NAME_LONG, maximum_length=50),
    ),
    ("name with words", {"name": "New lead 2"}, OK, SAME),
    ("name with an apostrophe", {"name": "Zoho's Data"}, OK, SPECIAL),
    ("name with a tilde", {"name": "a~b"}, SPECIAL, SAME),
    ("name with a line break", {"name": "a\nb"}, SPECIAL, SAME),
    ("name with #", {"name": "a#b"}, HASH_PERCENT, SAME),
    ("name with %", {"name": "50%"}, HASH_PERCENT, SAME),
    ("name missing", {"name": None}, missing("name"), SAME),
    ("name blank", {"name": "  "}, missing("name"), SAME),
    ("name not text", {"name": 7}, wrong_type("name", "text"), SAME),
    # module
    ("module missing", {"module": None}, missing("module"), SAME),
    ("module not an object", {"module": "Leads"}, wrong_type("module", "jsonobject"), SAME),
    (
        "module empty",
        {"module": {}},
        {
            "code": "EXPECTED_FIELD_MISSING",
            "details": {
                "expected_fields": [
                    {"api_name": "api_name", "json_path": f"{P}.module.api_name"},
                    {"api_name": "id", "json_path": f"{P}.module.id"},
                ]
            },
            "message": "Specify atleast one field",
            "status": "error",
        },
        SAME,
    ),
    (
        "module id unknown",
        {"module": {"id": "1234"}},
        invalid("id", "the module id given seems to be invalid", f"{P}.module"),
        SAME,
    ),
    ("module id not an id", {"module": {"id": "x"}}, wrong_type("id", "bigint", f"{P}.module"), SAME),
    (
        "module name unknown",
        {"module": {"api_name": "Nope"}},
        {
            "code": "AMBIGUITY_DURING_PROCESSING",
            "details": {"ambiguity_due_to": [{"api_name": "api_name", "json_path": f"{P}.module.api_name"}]},
            "message": "The given module api_name seems to be invalid",
            "status": "error",
        },
        SAME,
    ),
    (
        "module Notes",
        {"module": {"api_name": "Notes"}},
        err("NOT_ALLOWED", "The given module is not supported", "module"),
        SAME,
    ),
    (
        "module Calls",
        {"module": {"api_name": "Calls"}},
        err("NOT_ALLOWED", "The given module is not supported", "module"),
        SAME,
    ),
    ("module Contacts", {"module": {"api_name": "Contacts"}, "headers": None, "body": None}, OK, SAME),
    # url
    ("url missing", {"url": None}, missing("url"), SAME),
    ("url empty", {"url": ""}, invalid("url", "Empty value is not allowed"), SAME),
    ("url not text", {"url": 5}, wrong_type("url", "website"), SAME),
    ("url at 200", {"url": "https://z.example/" + "p" * 182}, OK, SAME),
    ("url at 201", {"url": "https://z.example/" + "p" * 183}, OK, too_long("url", 200)),
    ("url at 2000", {"url": "https://z.example/" + "p" * 1982}, OK, too_long("url", 200)),
    ("url at 2001", {"url": "https://z.example/" + "p" * 1983}, too_long("url", 2000), too_long("url", 200)),
    ("url www.", {"url": "www.zylker.example/hook"}, OK, SAME),
    ("url http", {"url": "http://zylker.example"}, OK, SAME),
    ("url ftp", {"url": "ftp://zylker.example/x"}, invalid("url", BAD_URL), SAME),
    ("url without scheme", {"url": "zylker.example/x"}, invalid("url", BAD_URL), SAME),
    ("url with a space", {"url": "https://zyl ker.example/"}, invalid("url", BAD_URL), SAME),
    ("url without host", {"url": "https:///x"}, invalid("url", BAD_URL), SAME),
    ("url with a bad port", {"url": "https://z.example:99999/"}, invalid("url", BAD_URL), SAME),
    ("url on port 443", {"url": "https://z.example:443/"}, OK, SAME),
    ("url on port 8080", {"url": "https://z.example:8080/"}, OK, invalid("url", BAD_URL)),
    ("url of a token", {"url": "${!Leads.Website}"}, OK, SAME),
    ("url with a token", {"url": "https://z.example/${!Leads.Email}?id=${!Leads.Id}"}, OK, SAME),
    ("url with an unknown field", {"url": "https://z.example/${!Leads.Nope}"}, invalid("url", UNSUPPORTED), SAME),
    ("url with another module", {"url": "https://z.example/${!Deals.Deal_Name}"}, invalid("url", UNSUPPORTED), SAME),
    ("url with a token without !", {"url": "https://z.example/${Leads.Email}"}, invalid("url", UNSUPPORTED), SAME),
    # http_method and the parts it takes
    (
        "method missing",
        {"http_method": None},
        err("MANDATORY_NOT_FOUND", "The method type is not given ", "http_method"),
        SAME,
    ),
    ("method PATCH", {"http_method": "PATCH"}, invalid("http_method", BAD_METHOD), SAME),
    ("method post", {"http_method": "post"}, invalid("http_method", BAD_METHOD), SAME),
    ("method GET", GET, OK, SAME),
    ("method PUT", {"http_method": "PUT"}, OK, invalid("http_method", BAD_METHOD)),
    ("method DELETE", {"http_method": "DELETE", "body": None}, OK, invalid("http_method", BAD_METHOD)),
    ("GET with headers", {**GET, "headers": headers()}, mismatch("headers"), SAME),
    ("GET with a body", {**GET, "body": {"type": "none"}}, mismatch("body"), SAME),
    (
        "POST with URL parameters",
        {"url_parameters": {"custom_parameters": custom(1)}},
        mismatch("url_parameters"),
        SAME,
    ),
    ("DELETE with a body", {"http_method": "DELETE"}, mismatch("body"), invalid("http_method", BAD_METHOD)),
    # authentication
    ("authentication missing", {"authentication": None}, missing("authentication"), SAME),
    ("authentication type missing", {"authentication": {}}, missing("type", AUTH), SAME),
    (
        "authentication type unknown",
        {"authentication": {"type": "oauth"}},
        invalid("type", "Invalid data", AUTH, supported_values=["general", "connection"]),
        SAME,
    ),
    ("connection without a name", {"authentication": {"type": "connection"}}, AUTH_MISMATCH, SAME),
    ("general with a name", {"authentication": {"type": "general", "connection_name": "crm"}}, AUTH_MISMATCH, SAME),
    (
        "unknown connection",
        {"authentication": {"type": "connection", "connection_name": "nope"}},
        {
            "code": "INVALID_DATA",
            "details": {"api_name": "connection_name", "json_path": f"{AUTH}.connetion_name"},
            "message": "Please provide valid connection name",
            "status": "error",
        },
        SAME,
    ),
    # feature_type, related_module, description
    ("feature missing", {"feature_type": None}, missing("feature_type"), SAME),
    ("feature unknown", {"feature_type": "macro"}, invalid("feature_type", "the given feature name is invalid"), SAME),
    ("feature blueprint", {"feature_type": "blueprint_state"}, OK, SAME),
    (
        "kiosk without a related module",
        {"feature_type": "kiosk"},
        err(
            "DEPENDENT_FIELD_MISSING",
            "Webhook action related module missing for kiosk feature",
            "related_module",
            dependee={"api_name": "feature_type", "json_path": f"{P}.feature_type"},
        ),
        SAME,
    ),
    ("kiosk with a related module", {"feature_type": "kiosk", "related_module": {"api_name": "Notes"}}, OK, SAME),
    ("description at 500", {"description": "d" * 500}, OK, SAME),
    ("description at 501", {"description": "d" * 501}, too_long("description", 500), SAME),
    # headers
    (
        "headers without module parameters",
        {"headers": {"custom_parameters": custom(1)}},
        missing("module_parameters", H),
        SAME,
    ),
    ("headers empty", {"headers": []}, OK, SAME),  # as if not sent
    ("headers a list", {"headers": [1]}, wrong_type("headers", "jsonobject"), SAME),
    (
        "headers' module parameters not a list",
        {"headers": {"module_parameters": {}}},
        wrong_type("module_parameters", "jsonarray", H),
        SAME,
    ),
    ("10 custom headers", {"headers": headers(customs=custom(10))}, OK, SAME),
    ("11 custom headers", {"headers": headers(customs=custom(11))}, too_many("custom_parameters", 10, H), SAME),
    ("10 module headers", {"headers": headers(module(10))}, OK, SAME),
    ("11 module headers", {"headers": headers(module(11))}, OK, too_many("module_parameters", 10, H)),
    ("25 module headers", {"headers": headers(module(25))}, OK, too_many("module_parameters", 10, H)),
    (
        "26 module headers",
        {"headers": headers(module(26))},
        too_many("module_parameters", 25, H),
        too_many("module_parameters", 10, H),
    ),
    (
        "a parameter without value",
        {"headers": headers(customs=[{"name": "a"}])},
        err("MANDATORY_NOT_FOUND", HALF, "value", f"{H}.custom_parameters[0]"),
        SAME,
    ),
    (
        "a parameter without name",
        {"headers": headers([{"value": "${!Leads.Email}"}])},
        err("MANDATORY_NOT_FOUND", HALF, "name", f"{H}.module_parameters[0]"),
        SAME,
    ),
    ("a name at 255", {"headers": headers(customs=[{"name": "n" * 255, "value": "v"}])}, OK, SAME),
    (
        "a name at 256",
        {"headers": headers(customs=[{"name": "n" * 256, "value": "v"}])},
        too_long("name", 255, f"{H}.custom_parameters[0]"),
        SAME,
    ),
    (
        "a value at 256",
        {"headers": headers(customs=[{"name": "n", "value": "v" * 256}])},
        too_long("value", 255, f"{H}.custom_parameters[0]"),
        SAME,
    ),
    (
        "a value not text",
        {"headers": headers(customs=[{"name": "n", "value": 1}])},
        wrong_type("value", "text", f"{H}.custom_parameters[0]"),
        SAME,
    ),
    (
        "a repeated header name",
        {"headers": headers([{"name": "X", "value": "${!Leads.Email}"}, {"name": "x", "value": "${!Leads.Id}"}])},
        err("DUPLICATE_DATA", "duplicate parameter name found", "name", f"{H}.module_parameters[1]"),
        SAME,
    ),
    (
        "a header named like a custom one",
        {"headers": headers([{"name": "a", "value": "${!Leads.Email}"}], [{"name": "A", "value": "1"}])},
        err("DUPLICATE_DATA", "duplicate parameter name found", "name", f"{H}.module_parameters[0]"),
        SAME,
    ),
    (
        "a Host header",
        {"headers": headers(customs=[{"name": "HOST", "value": "x"}])},
        invalid("name", "restricted parameter name found", f"{H}.custom_parameters[0]"),
        SAME,
    ),
    (
        "a header name with a space",
        {"headers": headers(customs=[{"name": "X Y", "value": "x"}])},
        invalid("name", "Invalid data", f"{H}.custom_parameters[0]"),
        SAME,
    ),
    (
        "a module parameter without a token",
        {"headers": headers([{"name": "a", "value": "plain"}])},
        invalid("value", UNSUPPORTED, f"{H}.module_parameters[0]"),
        SAME,
    ),
    (
        "a module parameter of another module",
        {"headers": headers([{"name": "a", "value": "${!Deals.Deal_Name}"}])},
        invalid("value", UNSUPPORTED, f"{H}.module_parameters[0]"),
        SAME,
    ),
    ("a module parameter of Id", {"headers": headers([{"name": "a", "value": "${!Leads.Id}"}])}, OK, SAME),
    ("a custom parameter with ${", {"headers": headers(customs=[{"name": "a", "value": "${x}"}])}, OK, SAME),
    # URL parameters
    (
        "URL parameters of every kind",
        {
            **GET,
            "url_parameters": {
                "custom_parameters": custom(10),
                "module_parameters": module(10),
                "user_defined_parameters": {"name": "u", "value": "id-${!Leads.Id}"},
            },
        },
        OK,
        SAME,
    ),
    (
        "a user-defined parameter without value",
        {**GET, "url_parameters": {"user_defined_parameters": {"name": "u"}}},
        err("MANDATORY_NOT_FOUND", HALF, "value", f"{P}.url_parameters.user_defined_parameters"),
        SAME,
    ),
    (
        "a user-defined parameter of an unknown field",
        {**GET, "url_parameters": {"user_defined_parameters": {"name": "u", "value": "${!Leads.Nope}"}}},
        invalid("value", UNSUPPORTED, f"{P}.url_parameters.user_defined_parameters"),
        SAME,
    ),
    # body
    ("body none", {"body": {"type": "none"}}, OK, SAME),
    ("body type missing", {"body": {"format": "JSON"}}, missing("type", B), SAME),
    ("body type unknown", {"body": {"type": "xml"}}, invalid("type", "invalid body type passed", B), SAME),
    ("raw without format", {"body": {"type": "raw", "raw_data_content": "x"}}, missing("format", B), SAME),
    (
        "raw format unknown",
        {"body": {"type": "raw", "format": "YAML", "raw_data_content": "x"}},
        invalid("format", "invalid format passed in body", B),
        SAME,
    ),
    (
        "raw without content",
        {"body": {"type": "raw", "format": "XML"}},
        err(
            "DEPENDENT_FIELD_MISSING",
            "raw data content key is mandatory for raw body type",
            "raw_data_content",
            B,
            dependee={"api_name": "format", "json_path": f"{B}.format"},
        ),
        SAME,
    ),
    ("raw content at 500", {"body": {"type": "raw", "format": "Text", "raw_data_content": "x" * 500}}, OK, SAME),
    (
        "raw content at 501",
        {"body": {"type": "raw", "format": "Text", "raw_data_content": "x" * 501}},
        too_long("raw_data_content", 500, B),
        SAME,
    ),
    (
        "raw content with an unknown field",
        {"body": {"type": "raw", "format": "HTML", "raw_data_content": "<b>${!Leads.Nope}</b>"}},
        invalid("raw_data_content", UNSUPPORTED, B),
        SAME,
    ),
    (
        "form data without content",
        {"body": {"type": "form_data"}},
        err(
            "DEPENDENT_FIELD_MISSING",
            "form data content key is mandatory for form body type",
            "form_data_content",
            B,
            dependee={"api_name": "type", "json_path": f"{B}.type"},
        ),
        SAME,
    ),
    (
        "form data with empty content",
        {"body": {"type": "form_data", "form_data_content": {}}},
        invalid("form_data_content", "inavlid form data content passed in body", B),
        SAME,
    ),
    (
        "form data with a format",
        {"body": {"type": "form_data", "format": "JSON", "form_data_content": {"custom_parameters": custom(1)}}},
        invalid("format", "invalid format passed in body", B),
        SAME,
    ),
    (
        "form data of every kind",
        {
            "body": {
                "type": "form_data",
                "form_data_content": {
                    "custom_parameters": custom(10),
                    "module_parameters": module(10),
                    "user_defined_parameter": {"name": "u", "value": "v"},
                },
            }
        },
        OK,
        SAME,
    ),
    (
        "form data with 26 module parameters",
        {"body": {"type": "form_data", "form_data_content": {"module_parameters": module(26)}}},
        too_many("module_parameters", 25, f"{B}.form_data_content"),
        too_many("module_parameters", 10, f"{B}.form_data_content"),
    ),
    # date_time_format
    (
        "Zoho's sample formats",
        {
            "date_time_format": {
                "date_format": "dd-mmmm-yyyy",
                "datetime_format": "dd-mm-yyyy H:M:S",
                "time_zone": "Etc/GMT+12",
            }
        },
        OK,
        SAME,
    ),
    (
        "a date format with a time",
        {"date_time_format": {"date_format": "dd-mm-yyyy HH"}},
        invalid("date_format", "The Date given is invalid", f"{P}.date_time_format"),
        SAME,
    ),
    (
        "a datetime format of nothing",
        {"date_time_format": {"datetime_format": "qq"}},
        invalid("datetime_format", "The date time format given is invalid", f"{P}.date_time_format"),
        SAME,
    ),
    (
        "an unknown time zone",
        {"date_time_format": {"time_zone": "Mars/Olympus"}},
        invalid("time_zone", "The timezone given is invalid", f"{P}.date_time_format"),
        SAME,
    ),
]


def _cases() -> Iterator[Any]:
    for name, changes, current, seed in CASES:
        for policy, expected in (("current", current), ("seed", current if seed is SAME else seed)):
            yield pytest.param(changes, policy, expected, id=f"{policy}: {name}")


@pytest.fixture(scope="module")
def policy_clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """One emulator per webhook policy for the whole table (each case writes at most one webhook)."""
    clients: dict[str, TestClient] = {}
    emulators = []
    for policy in ("current", "seed"):
        folder: Path = tmp_path_factory.mktemp(policy)
        emulator = Emulator(Settings(db_url=f"sqlite:///{folder / 'zcrm.sqlite3'}", webhook_policy=policy))
        emulators.append(emulator)
        with emulator.store.tx() as conn:
            admin = documents.list_data(conn, users, emulator.default_org_id)[0]["id"]
            token = mint_access_token(
                conn, org_id=emulator.default_org_id, user_id=admin, scopes=ALL_SCOPES, now_ms=emulator.clock.now_ms()
            )
        client = TestClient(create_app(emulator=emulator), base_url="http://testserver")
        client.headers["Authorization"] = f"Zoho-oauthtoken {token}"
        clients[policy] = client
    yield clients
    for emulator in emulators:
        emulator.close()


@pytest.mark.parametrize(("changes", "policy", "expected"), list(_cases()))
def test_each_key_at_its_edges(
    policy_clients: dict[str, TestClient], changes: dict[str, Any], policy: str, expected: Any
) -> None:
    item = webhook_item(**changes)
    api = policy_clients[policy]
    calls = [("POST", WEBHOOKS)]
    # An update checks the same keys; its module may not change (a test of its own), so a case on the
    # module is replayed as an update only where the module is valid, on a webhook of that module.
    if "module" not in changes or expected is OK:
        base = {"module": item["module"], "headers": None, "body": None} if "module" in changes else {}
        calls.append(("PUT", f"{WEBHOOKS}/{create_webhook(api, name='Base', **base)}"))
    for method, url in calls:
        response = api.request(method, url, json={"webhooks": [item]})
        (result,) = response.json()["webhooks"]
        if expected is OK:
            assert response.status_code in (200, 201), (method, response.text)
        else:
            assert response.status_code == 400, (method, response.text)
            assert result == expected, method


def test_the_strict_outbound_policy_refuses_private_hosts(tmp_path: Path) -> None:
    for outbound, private_ok in (("strict", False), ("permissive", True)):
        emulator = Emulator(Settings(db_url=f"sqlite:///{tmp_path / outbound}.sqlite3", outbound=outbound))
        with emulator.store.tx() as conn:
            admin = documents.list_data(conn, users, emulator.default_org_id)[0]["id"]
            token = mint_access_token(
                conn, org_id=emulator.default_org_id, user_id=admin, scopes=ALL_SCOPES, now_ms=emulator.clock.now_ms()
            )
        with TestClient(create_app(emulator=emulator), base_url="http://testserver") as api:
            api.headers["Authorization"] = f"Zoho-oauthtoken {token}"
            for url in ("http://127.0.0.1:8080/hook", "http://10.1.2.3/", "http://[::1]/", "http://localhost/x"):
                response = api.post(WEBHOOKS, json={"webhooks": [webhook_item(url=url)]})
                (result,) = response.json()["webhooks"]
                if private_ok:
                    assert response.status_code == 201, response.text
                else:
                    assert result == invalid("url", "Url you've configured is not secure"), url
            public = api.post(WEBHOOKS, json={"webhooks": [webhook_item(url="https://93.184.216.34/hook")]})
            assert public.status_code == 201
            token_host = api.post(WEBHOOKS, json={"webhooks": [webhook_item(url="${!Leads.Website}/hook")]})
            assert token_host.status_code == 201  # the host is known when it fires: the sender checks it then
        emulator.close()
