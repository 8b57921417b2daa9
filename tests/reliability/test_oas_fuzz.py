"""Schemathesis over every operation of Zoho's v8 OAS files that the emulator implements (issue #11).

Each operation gets 25 positive and negative cases (schemathesis, derandomized), sent in-process
to one emulator with an all-scope admin token. Path parameters are real ids and module names most of
the time, so cases get past "no such record" into the handlers. Every answer must be

* below 500;
* ``application/json;charset=UTF-8`` with a JSON body, or a bodiless 204/304;
* what Zoho's file documents (``tests/support/oas.py``), with the allowances the conformance
  tests keep, imported so each deviation is written down once, plus the few below that only fuzzing
  reaches.

Which operations: an OAS path is implemented when an endpoint of ``zcrm_emulator.endpoints.ENDPOINTS``
has its method and its shape under ``/crm/v8`` (the same literal segments, a parameter where the file
has one). Zoho's files ``$ref`` each other by raw.githubusercontent.com URLs; ``bundle`` inlines the
files one of them reaches at test time, so schemathesis resolves every reference without a network.

Deviations only fuzzing meets, each tolerated here and nowhere else:

* ``fields.json``: a ``type`` outside all/used/unused is INVALID_DATA ``{param_name, supported_values}``
  (REFERENCE §1.7, the shape users.json documents for its ``type``); the file's 400 lists body-field
  INVALID_DATA and REQUIRED_PARAM_MISSING only.
* ``module_search.json``: it documents no INVALID_DATA, which a bad ``per_page``/``word``/``email``/
  ``phone`` earns (REFERENCE §1.7, §4.9), and wants ``details.api_name`` in a malformed-query
  INVALID_QUERY, which the newer file sends with ``{}`` (docs/decisions.md); either way the nearest
  alternative it reports is INVALID_REQUEST's ``code``.
* ``record_count.json`` lists only INVALID_MODULE; a bad search param or a ``cvid`` (custom views are
  not emulated) is INVALID_DATA ``{param_name}`` (REFERENCE §1.7, §4.10). Its 200 has no schema.
* ``unsubscribe_links.json``: an id that names no link, or a body that is no JSON object, is refused
  whole with the top-level envelope (REFERENCE §3.9 "unknown id"), where the file has only the
  per-item wrapper and INVALID_MODULE.
* ``modules.json``: an INVALID_DATA item whose details fit several of the file's overlapping detail
  shapes is valid (``oneOf`` read as ``anyOf``), but oas.py then reports the nearest other
  alternative, MANDATORY_NOT_FOUND, and its ``code``.
* Answers a file does not document at all are checked against the schema that does describe them
  (``ELSEWHERE``): the 404 INVALID_URL_PATTERN of a URL that matches no operation, the 400 of a bad
  ``type`` on the users count, which documents only its 200, and the 200 of unsubscribe-link updates
  and deletes, documented as 201 (docs/decisions.md #16).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.generation.case import Case
from starlette.testclient import TestClient

from tests.reliability.fuzzing import BODILESS, Target, assert_answered, exchange, reproduction, shared_emulator
from tests.reliability.hypothesis_settings import DETERMINISTIC, SUPPRESSED
from tests.support import allowances
from tests.support.oas import (
    REMOTE_BASE,
    Allowance,
    load,
    oas_dir,
    operation,
    record_schema_pointer,
    require_oas_dir,
    schema_errors,
    validate_response,
)
from zcrm_emulator.endpoints import ENDPOINTS
from zcrm_emulator.routing import Endpoint

PREFIX = "/crm/v8"
BUNDLED = "x-zoho-files"  # not "x-bundled…": schemathesis keeps its own bundle under that prefix
EXAMPLES = 25  # per operation; the whole file stays within about two minutes on two cores


# --- which operations --------------------------------------------------------------------------
@dataclass(frozen=True)
class Operation:
    file: str
    path: str  # as the file writes it, e.g. /crm/v8/{module_api_name}/{id}
    method: str  # upper case

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.file})"


def _segments(template: str) -> list[str | None]:
    """Path segments, None for a parameter: the shape two templates share when they name one URL."""
    return [None if part.startswith("{") else part for part in template.strip("/").split("/")]


def covers(op: Operation, endpoint: Endpoint) -> bool:
    return op.method == endpoint.method and _segments(op.path.removeprefix(PREFIX)) == _segments(endpoint.path)


def implemented_operations() -> list[Operation]:
    """Every JSON file's operations that some emulator endpoint answers, in a stable order: reads
    first, so the writes and deletes that follow on the shared emulator cannot starve them."""
    folder = oas_dir()
    if folder is None:
        return []
    documented = [
        Operation(file.name, path, method.upper())
        for file in sorted(folder.glob("*.json"))
        for path, item in json.loads(file.read_text(encoding="utf-8")).get("paths", {}).items()
        if path.startswith(f"{PREFIX}/")
        for method in item
    ]
    found = [op for op in documented if any(covers(op, endpoint) for endpoint in ENDPOINTS)]
    order = {"GET": 0, "POST": 1, "PUT": 2, "DELETE": 3}
    return sorted(found, key=lambda op: (order[op.method], op.file, op.path))


def _operation_params() -> list[Any]:
    operations = implemented_operations()
    if not operations:  # no OAS files on this machine: one test that skips and says why
        return [pytest.param(None, id="no-oas-files")]
    return [pytest.param(op, id=str(op)) for op in operations]


# --- loading a file for schemathesis -------------------------------------------------------------
def _local_refs(node: Any, file: str, root: str, wanted: set[str]) -> Any:
    """``node`` (from ``file``) with every ``$ref`` made local to ``root``: into ``#/x-zoho-files/
    <file>/…`` for other files, which are added to ``wanted``."""
    if isinstance(node, list):
        return [_local_refs(item, file, root, wanted) for item in node]
    if not isinstance(node, dict):
        return node
    rewritten = {key: _local_refs(value, file, root, wanted) for key, value in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str):
        where, _, fragment = ref.partition("#")
        target = where.removeprefix(REMOTE_BASE) if where else file
        if target != root:
            wanted.add(target)
            fragment = f"/{BUNDLED}/{target}{fragment}"
        rewritten["$ref"] = f"#{fragment}"
    return rewritten


@cache
def bundle(root: str) -> dict[str, Any]:
    """``root`` with every file it reaches inlined under ``x-zoho-files``: one self-contained document."""
    wanted: set[str] = set()
    document = _local_refs(load(root), root, root, wanted)
    inlined: dict[str, Any] = {}
    while pending := wanted - inlined.keys() - {root}:
        file = pending.pop()
        inlined[file] = _local_refs(load(file), file, root, wanted)
    document[BUNDLED] = inlined
    return document


@cache
def loaded(file: str) -> Any:
    return schemathesis.openapi.from_dict(bundle(file))


# --- the emulator the run shares -----------------------------------------------------------------
@dataclass
class Fuzzed:
    target: Target
    known: dict[str, list[str]]  # real values by kind (see ``POOLS``)


def _ids(client: TestClient, path: str, key: str, **params: str) -> list[str]:
    response = client.get(path, params=params)
    return [str(item["id"]) for item in response.json()[key]] if response.status_code == 200 else []


UNSUBSCRIBE_LINK = {
    "name": "Fuzz",
    "page_type": "standard",
    "submission_action_type": "redirect",
    "submission_redirect_url": "https://zylker.example/bye",
}


def _seed(client: TestClient) -> dict[str, list[str]]:
    """A few records (one of them deleted) and an unsubscribe link beside the fresh org's allowances."""
    account = client.post(f"{PREFIX}/Accounts", json={"data": [{"Account_Name": "Zylker"}]})
    account_id = account.json()["data"][0]["details"]["id"]
    contact = {"Last_Name": "Doe", "Email": "doe@zylker.example", "Account_Name": {"id": account_id}}
    client.post(f"{PREFIX}/Contacts", json={"data": [contact]})
    leads = client.post(f"{PREFIX}/Leads", json={"data": [{"Last_Name": "Lee", "Company": "Acme"}] * 3}).json()
    client.delete(f"{PREFIX}/Leads/{leads['data'][2]['details']['id']}")
    client.post(f"{PREFIX}/settings/unsubscribe_links", json={"unsubscribe_links": [UNSUBSCRIBE_LINK]})
    modules = client.get(f"{PREFIX}/settings/modules").json()["modules"]
    return {
        "module": [m["api_name"] for m in modules if m["api_name"] in ("Leads", "Contacts", "Accounts", "Deals")],
        "record": [*_ids(client, f"{PREFIX}/Leads", "data", fields="Last_Name"), account_id],
        "module_id": [m["id"] for m in modules[:3]],
        "field": _ids(client, f"{PREFIX}/settings/fields", "fields", module="Leads")[:5],
        "layout": _ids(client, f"{PREFIX}/settings/layouts", "layouts", module="Leads"),
        "user": _ids(client, f"{PREFIX}/users", "users"),
        "profile": _ids(client, f"{PREFIX}/settings/profiles", "profiles")[:3],
        "role": _ids(client, f"{PREFIX}/settings/roles", "roles")[:3],
        "link": _ids(client, f"{PREFIX}/settings/unsubscribe_links", "unsubscribe_links"),
    }


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    require_oas_dir()
    with shared_emulator(tmp_path_factory.mktemp("oas-fuzz")) as target:
        yield Fuzzed(target, _seed(target.client))


# --- one case: realistic path params, sent as schemathesis serializes it -------------------------
# Which kind of real value a path parameter takes, by file and name (module names by name alone).
POOLS = {
    ("record.json", "id"): "record",
    ("record.json", "external_field_value"): "record",
    ("modules.json", "id"): "module_id",
    ("fields.json", "field"): "field",
    ("layouts.json", "id"): "layout",
    ("users.json", "user"): "user",
    ("profiles.json", "id"): "profile",
    ("roles.json", "role_id"): "role",
    ("unsubscribe_links.json", "id"): "link",
}
MODULE_PARAMS = ("module", "module_api_name", "api_name")


def pool(file: str, name: str) -> str | None:
    return "module" if name in MODULE_PARAMS else POOLS.get((file, name))


def realistic(data: st.DataObject, case: Case, file: str, known: Mapping[str, list[str]]) -> None:
    """Three times in four, each path parameter becomes a real value; half the time, so does a
    ``module`` query."""
    for name in list(case.path_parameters or {}):
        kind = pool(file, name)
        if kind and known[kind] and data.draw(st.integers(0, 3), label=f"replace {name} (0: no)"):
            case.path_parameters[name] = data.draw(st.sampled_from(known[kind]), label=name)
    if isinstance(case.query, dict) and "module" in case.query and data.draw(st.booleans(), label="real module"):
        case.query["module"] = data.draw(st.sampled_from(known["module"]), label="module query")


def request_of(client: TestClient, case: Case) -> httpx.Request:
    """The case as schemathesis serializes it; a JSON body as the standard library writes it, so a
    lone surrogate goes out as ``\\ud800`` (httpx's own encoder refuses it)."""
    request = case.as_transport_kwargs(base_url=str(client.base_url))
    body = request.get("json")
    content = request.get("data") if body is None else json.dumps(body).encode()
    headers = {k: v for k, v in request["headers"].items() if k.lower() not in ("authorization", "content-length")}
    return client.build_request(
        request["method"], request["url"], params=request.get("params"), headers=headers, content=content
    )


# --- what every answer must be ---------------------------------------------------------------
CODE = "$.code"
FIELDS_TYPE = Allowance(CODE, "enum", "a bad `type` is INVALID_DATA {param_name, supported_values} (REFERENCE §1.7)")
SEARCH_ERRORS = Allowance(CODE, "enum", "module_search.json lacks INVALID_DATA and the {} malformed-query details")
COUNT_ERRORS = [
    Allowance(CODE, "enum", "record_count.json lists only INVALID_MODULE; bad params are INVALID_DATA (§4.10)"),
    Allowance("$.message", "enum", "the INVALID_DATA message, 'invalid data'"),
]
# An INVALID_DATA item whose details fit several of the file's overlapping detail shapes is valid (oneOf
# read as anyOf), but oas.py then names the nearest other alternative, MANDATORY_NOT_FOUND, and its code.
MODULE_ITEM_ERROR = Allowance("$.modules.*.code", "enum", "INVALID_DATA with details of several documented shapes")
WHOLE_REFUSAL = Allowance(
    "$", "required", "unknown ids and non-object bodies: top-level error", key="unsubscribe_links"
)

# Per (file, path): the allowances of the conformance tests, and the ones above.
ALLOWANCES: dict[tuple[str, str], list[Allowance]] = {
    ("users.json", "/crm/v8/users"): allowances.USER_ALLOWANCES,
    ("users.json", "/crm/v8/users/{user}"): allowances.ONE_USER_ALLOWANCES,
    ("users.json", "/crm/v8/users/actions/count"): allowances.COUNT_ALLOWANCES,
    ("profiles.json", "/crm/v8/settings/profiles"): allowances.PROFILE_LIST_ALLOWANCES,
    ("profiles.json", "/crm/v8/settings/profiles/{id}"): allowances.PROFILE_ALLOWANCES,
    ("roles.json", "/crm/v8/settings/roles"): allowances.ROLE_ALLOWANCES,
    ("roles.json", "/crm/v8/settings/roles/{role_id}"): allowances.ROLE_ALLOWANCES,
    ("modules.json", "/crm/v8/settings/modules"): [*allowances.MODULE_LIST_ALLOWANCES, MODULE_ITEM_ERROR],
    ("modules.json", "/crm/v8/settings/modules/{api_name}"): [*allowances.ONE_MODULE, MODULE_ITEM_ERROR],
    ("modules.json", "/crm/v8/settings/modules/{id}"): [*allowances.ONE_MODULE, MODULE_ITEM_ERROR],
    ("fields.json", "/crm/v8/settings/fields"): [*allowances.FIELD_ALLOWANCES, FIELDS_TYPE],
    ("fields.json", "/crm/v8/settings/fields/{field}"): [*allowances.FIELD_ALLOWANCES, FIELDS_TYPE],
    ("layouts.json", "/crm/v8/settings/layouts"): allowances.LAYOUT_ALLOWANCES,
    ("layouts.json", "/crm/v8/settings/layouts/{id}"): allowances.LAYOUT_ALLOWANCES,
    ("module_search.json", "/crm/v8/{module}/search"): [SEARCH_ERRORS],
    ("record_count.json", "/crm/v8/{module_api_name}/actions/count"): COUNT_ERRORS,
    ("unsubscribe_links.json", "/crm/v8/settings/unsubscribe_links"): [WHOLE_REFUSAL],
    ("unsubscribe_links.json", "/crm/v8/settings/unsubscribe_links/{id}"): [WHOLE_REFUSAL],
}
# record.json documents one 200 schema for every answer (see test_records_oas.py).
RECORD_ALLOWANCES = [*allowances.ERROR_ENUMS, *allowances.TAGS, *allowances.PERMANENT]


@dataclass(frozen=True)
class Elsewhere:
    """An answer an operation's file does not document, checked against the schema that describes it."""

    status: int
    file: str
    pointer: str
    why: str
    path: str = "*"  # the operations it applies to, as their file writes them ("*": all)
    method: str = "*"

    def covers(self, op: Operation, status: int) -> bool:
        return self.status == status and self.path in ("*", op.path) and self.method in ("*", op.method)


UNSUBSCRIBE_SUCCESS = "/components/responses/SuccessResponseBody/content/application~1json/schema"
ELSEWHERE = [
    Elsewhere(
        404,
        "common.json",
        "/components/schemas/API_Exception",
        "INVALID_URL_PATTERN (REFERENCE §1.6) for a URL no operation matches, e.g. one whose segment holds a "
        "control character; the files document operations, not the 404 of URLs outside them",
    ),
    Elsewhere(
        400,
        "users.json",
        "/components/responses/RErrorResponse/content/application~1json/schema",
        "a bad `type` is refused as GET /users refuses it (the count documents only its 200)",
        path="/crm/v8/users/actions/count",
    ),
    *(
        Elsewhere(
            200,
            "unsubscribe_links.json",
            UNSUBSCRIBE_SUCCESS,
            "updates and deletes answer 200, as the newer per-operation examples do (docs/decisions.md #16)",
            path=path,
            method=method,
        )
        for path in ("/crm/v8/settings/unsubscribe_links", "/crm/v8/settings/unsubscribe_links/{id}")
        for method in ("PUT", "DELETE")
    ),
]


def _documented(op: Operation, status: int) -> dict[str, Any] | None:
    """The file's answer for the status (or its ``default``); None when it documents neither."""
    responses = operation(op.file, op.path, op.method).get("responses", {})
    answer = responses.get(str(status), responses.get("default"))
    return None if answer is None else dict(answer)


def _without_schema(answer: Mapping[str, Any]) -> bool:
    """A JSON answer the file gives no schema (record_count.json's 200): nothing to validate."""
    return "schema" not in answer.get("content", {}).get("application/json", {"schema": "-"})


def check_documented(response: httpx.Response, op: Operation) -> None:
    status = response.status_code
    if op.file == "record.json":
        if status not in BODILESS:
            pointer = record_schema_pointer(op.path, op.method.lower())
            errors = schema_errors(response.json(), op.file, pointer, RECORD_ALLOWANCES)
            assert not errors, "breaks record.json:\n  " + "\n  ".join(errors[:20])
        return
    answer = _documented(op, status)
    elsewhere = [e for e in ELSEWHERE if e.covers(op, status)]
    if answer is None and elsewhere:
        errors = schema_errors(response.json(), elsewhere[0].file, elsewhere[0].pointer)
        assert not errors, f"breaks {elsewhere[0].file}:\n  " + "\n  ".join(errors[:20])
    elif answer is not None and _without_schema(answer):
        response.json()
    else:
        allow = ALLOWANCES.get((op.file, op.path), [])
        validate_response(response, op.file, op.path, op.method, undocumented_ok=BODILESS, allow=allow)


def check_answer(op: Operation, response: httpx.Response, tracebacks: list[str]) -> None:
    assert_answered(response, tracebacks)
    try:
        check_documented(response, op)
    except AssertionError as error:
        raise AssertionError(f"{reproduction(response)}\n{str(error)[:3000]}") from None


# --- the test --------------------------------------------------------------------------------------
def cases(op: Operation) -> st.SearchStrategy[Case]:
    """Positive and negative cases alike; schemathesis drops the negative ones it cannot make invalid
    (an operation without inputs), so the positive ones carry those operations."""
    api_operation = loaded(op.file)[op.path][op.method]
    return st.one_of(*(api_operation.as_strategy(mode) for mode in GenerationMode))


def fuzz_operation(fuzz: Fuzzed, op: Operation) -> None:
    # Negative cases schemathesis cannot make are filtered out (see ``cases``): expected, not a smell.
    @settings(DETERMINISTIC, max_examples=EXAMPLES, suppress_health_check=[*SUPPRESSED, HealthCheck.filter_too_much])
    @given(case=cases(op), data=st.data())
    def answers_well(case: Case, data: st.DataObject) -> None:
        realistic(data, case, op.file, fuzz.known)
        check_answer(op, *exchange(fuzz.target, request_of(fuzz.target.client, case)))

    answers_well()


@pytest.mark.parametrize("op", _operation_params())
def test_every_implemented_operation_answers_below_500_as_documented(op: Operation | None, fuzzed: Fuzzed) -> None:
    require_oas_dir()
    assert op is not None
    fuzz_operation(fuzzed, op)


def test_every_endpoint_but_custom_links_is_fuzzed_through_an_oas_operation() -> None:
    """Custom links have no OAS file (REFERENCE §3.8: test_record_input_fuzz.py sends them hostile
    items); any other endpoint without an operation here would go unfuzzed."""
    require_oas_dir()
    operations = implemented_operations()
    unfuzzed = [e for e in ENDPOINTS if not any(covers(op, e) for op in operations)]
    assert [f"{e.method} {e.path}" for e in unfuzzed if not e.path.startswith("/settings/custom_links")] == []
