"""Zoho's rules of a composite call (composite_requests.json; Zoho's "Composite API" page).

Up to five sub-requests, each ``{method, uri, params, headers, body, sub_request_id}``. The request
is refused whole (a bare error) when ``__composite_requests`` is missing, no array or longer than five,
when a flag is no boolean, or when ``rollback_on_fail`` and parallel execution are both asked for. A
sub-request that breaks a rule gets its own error in the answer (``read_sub_request``, ``check_ids``,
``check_references``); the rest still run, unless the call is to roll back on a failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from zcrm_emulator.api_paths import VERSIONS
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.composite import references

ENVELOPE = "__composite_requests"
MAX_SUB_REQUESTS = 5
SUCCESS_MESSAGE = "composite sub request executed successfully"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
URI_REGEX = "/crm(/.*)?/v[0-9]+([.][0-9]+)?/.*"
ID_REGEX = "[a-zA-Z0-9][a-zA-Z0-9_]*"
URI_MAX_LENGTH = 2048
ID_MAX_LENGTH = 100
RESTRICTED_HEADERS = ("authorization", "x-crm-org")
# Zoho's page names the key ``parallel_execution``; composite_requests.json (and the v3 page) name it
# ``concurrent_execution``. Both are read (docs/decisions.md).
PARALLEL_KEYS = ("parallel_execution", "concurrent_execution")
ROLLBACK_KEY = "rollback_on_fail"

_URI = re.compile(URI_REGEX)
_ID = re.compile(ID_REGEX)
_VERSION = re.compile(r"/crm/(v[0-9]+(?:[.][0-9]+)?)(/.*)?")


def path_of(index: int, key: str | None = None) -> str:
    base = f"$.{ENVELOPE}[{index}]"
    return base if key is None else f"{base}.{key}"


# --- the whole request ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Options:
    rollback_on_fail: bool
    parallel: bool


def _flag(payload: dict[str, Any], key: str) -> bool | None:
    value = payload.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise ZohoError("INVALID_DATA", {"api_name": key, "json_path": f"$.{key}", "expected_data_type": "boolean"})


def read_options(payload: dict[str, Any]) -> Options:
    """The two flags: rollback off by default; parallel execution on unless rollback is asked for."""
    rollback = _flag(payload, ROLLBACK_KEY)
    given = {key: value for key in PARALLEL_KEYS if (value := _flag(payload, key)) is not None}
    if rollback and any(given.values()):
        ambiguous = [{"api_name": key, "json_path": f"$.{key}"} for key in (ROLLBACK_KEY, *given) if payload.get(key)]
        raise ZohoError("AMBIGUITY_DURING_PROCESSING", {"ambiguity_due_to": ambiguous})
    parallel = any(given.values()) if given else not rollback
    return Options(rollback_on_fail=bool(rollback), parallel=parallel)


def read_items(payload: dict[str, Any]) -> list[Any]:
    items = payload.get(ENVELOPE)
    details = {"api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}"}
    if items is None or items == []:
        raise ZohoError("MANDATORY_NOT_FOUND", details)
    if not isinstance(items, list):
        raise ZohoError("INVALID_DATA", {**details, "expected_data_type": "jsonarray"})
    if len(items) > MAX_SUB_REQUESTS:
        raise ZohoError("INVALID_DATA", {**details, "maximum_length": MAX_SUB_REQUESTS})
    return items


def rollback_wanted(payload: Any) -> bool:
    """What the credit charge reads before the handler: a rollback call is charged two credits."""
    return isinstance(payload, dict) and payload.get(ROLLBACK_KEY) is True


# --- one sub-request ---------------------------------------------------------------------------
@dataclass
class Draft:
    """A sub-request as given, its keys checked; its references found (target ids, in order)."""

    index: int
    sub_request_id: str | None
    method: str
    uri: str
    params: dict[str, Any]
    headers: dict[str, Any]
    body: dict[str, Any] | None
    refers_to: list[str] = field(default_factory=list)


def _type_error(index: int, key: str, expected: str) -> ZohoError:
    return ZohoError(
        "INVALID_DATA", {"api_name": key, "json_path": path_of(index, key), "expected_data_type": expected}
    )


def _regex_error(index: int, key: str, regex: str) -> ZohoError:
    return ZohoError("INVALID_DATA", {"api_name": key, "json_path": path_of(index, key), "regex": regex})


def _text(raw: dict[str, Any], index: int, key: str, *, mandatory: bool) -> str | None:
    value = raw.get(key)
    if value is None:
        if mandatory:
            raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": key, "json_path": path_of(index, key)})
        return None
    if not isinstance(value, str):
        raise _type_error(index, key, "string")
    return value


def _object(raw: dict[str, Any], index: int, key: str) -> dict[str, Any] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _type_error(index, key, "jsonobject")
    return value


def _scalars(values: dict[str, Any], index: int, key: str) -> dict[str, Any]:
    """Params and headers: text, numbers and booleans (sent as text)."""
    for name, value in values.items():
        if isinstance(value, dict | list) or value is None:
            raise ZohoError(
                "INVALID_DATA",
                {"api_name": str(name), "json_path": f"{path_of(index, key)}.{name}", "expected_data_type": "string"},
            )
    return values


def read_sub_request(index: int, raw: Any) -> Draft:
    """One sub-request's keys, in the order Zoho's page lists their errors; raises the first."""
    if not isinstance(raw, dict):
        raise ZohoError(
            "INVALID_DATA", {"api_name": ENVELOPE, "json_path": path_of(index), "expected_data_type": "jsonobject"}
        )
    method = _text(raw, index, "method", mandatory=True)
    assert method is not None
    if method not in METHODS:
        raise ZohoError("INVALID_DATA", {"api_name": "method", "json_path": path_of(index, "method")})
    uri = _text(raw, index, "uri", mandatory=True)
    assert uri is not None
    if len(uri) > URI_MAX_LENGTH or not _URI.fullmatch(uri):
        raise _regex_error(index, "uri", URI_REGEX)
    sub_request_id = _text(raw, index, "sub_request_id", mandatory=False)
    if sub_request_id is not None and (len(sub_request_id) > ID_MAX_LENGTH or not _ID.fullmatch(sub_request_id)):
        raise _regex_error(index, "sub_request_id", ID_REGEX)
    params = _scalars(_object(raw, index, "params") or {}, index, "params")
    headers = _scalars(_object(raw, index, "headers") or {}, index, "headers")
    restricted = [name for name in headers if name.lower() in RESTRICTED_HEADERS]
    if restricted:
        raise ZohoError(
            "INVALID_DATA",
            {"api_name": "headers", "json_path": path_of(index, "headers"), "restricted_headers": restricted},
        )
    body = _object(raw, index, "body")
    draft = Draft(index, sub_request_id, method, uri, params, headers, body)
    draft.refers_to = _references(draft)
    return draft


def _places(draft: Draft) -> list[references.Place]:
    at = path_of(draft.index)
    return [
        *references.strings(draft.uri, "uri", f"{at}.uri"),
        *references.strings(draft.params, "params", f"{at}.params"),
        *references.strings(draft.headers, "headers", f"{at}.headers"),
        *references.strings(draft.body, "body", f"{at}.body"),
    ]


def place_of(draft: Draft, text: str) -> references.Place:
    """Where the reference ``text`` is written in ``draft`` (its first place)."""
    return next(place for place in _places(draft) if text in place.text)


def invalid_reference(place: references.Place, text: str) -> ZohoError:
    return ZohoError("INVALID_REFERENCE", {"api_name": place.api_name, "json_path": place.json_path, "reference": text})


def _references(draft: Draft) -> list[str]:
    targets: list[str] = []
    for place in _places(draft):
        try:
            found = references.in_text(place.text)
        except references.BadReference as bad:
            raise invalid_reference(place, bad.text) from None
        targets.extend(reference.target for reference in found if reference.target not in targets)
    return targets


def check_ids(drafts: list[Draft]) -> dict[int, ZohoError]:
    """DUPLICATE_DATA for every sub-request whose id another one has too."""
    by_id: dict[str, list[int]] = {}
    for draft in drafts:
        if draft.sub_request_id is not None:
            by_id.setdefault(draft.sub_request_id, []).append(draft.index)
    refused: dict[int, ZohoError] = {}
    for indexes in by_id.values():
        if len(indexes) > 1:
            for index in indexes:
                details = {
                    "api_name": "sub_request_id",
                    "json_path": path_of(index, "sub_request_id"),
                    "sub_request_indexes": indexes,
                }
                refused[index] = ZohoError("DUPLICATE_DATA", details)
    return refused


def check_references(drafts: list[Draft], options: Options) -> dict[int, ZohoError]:
    """INVALID_REFERENCE for a reference to no sub-request, to its own, or (sequential execution) to
    one that runs later; LOOPING_FOUND for the sub-requests whose references go round in a circle
    (parallel execution, where a sub-request runs once those it refers to have)."""
    index_of = {draft.sub_request_id: draft.index for draft in drafts if draft.sub_request_id is not None}
    refused: dict[int, ZohoError] = {}
    for draft in drafts:
        for place in _places(draft):
            for reference in references.in_text(place.text):
                target = index_of.get(reference.target)
                later = not options.parallel and target is not None and target > draft.index
                if target is None or target == draft.index or later:
                    refused.setdefault(draft.index, invalid_reference(place, reference.text))
    if options.parallel:
        for index in _in_loops(drafts, index_of, refused):
            details = {
                "api_name": "sub_request_id",
                "json_path": path_of(index, "sub_request_id"),
                "sub_request_indexes": _loop_of(index, drafts),
            }
            refused[index] = ZohoError("LOOPING_FOUND", details)
    return refused


def _edges(drafts: list[Draft], index_of: dict[str, int]) -> dict[int, list[int]]:
    return {d.index: [index_of[t] for t in d.refers_to if t in index_of and index_of[t] != d.index] for d in drafts}


def _in_loops(drafts: list[Draft], index_of: dict[str, int], refused: dict[int, ZohoError]) -> list[int]:
    """The sub-requests from which following references comes back to themselves."""
    edges = _edges(drafts, index_of)
    return [d.index for d in drafts if d.index not in refused and d.index in _reachable(d.index, edges)]


def _reachable(start: int, edges: dict[int, list[int]]) -> set[int]:
    seen: set[int] = set()
    stack = list(edges.get(start, []))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, []))
    return seen


def _loop_of(index: int, drafts: list[Draft]) -> list[int]:
    index_of = {d.sub_request_id: d.index for d in drafts if d.sub_request_id is not None}
    edges = _edges(drafts, index_of)
    return sorted(i for i in _reachable(index, edges) if index in _reachable(i, edges) or i == index)


def order(drafts: list[Draft], options: Options, skip: set[int]) -> list[Draft]:
    """The order sub-requests run in: as given when sequential; in parallel, each once those it
    refers to have run (lowest index first among the ready ones: the emulator runs them one by one)."""
    runnable = [d for d in drafts if d.index not in skip]
    if not options.parallel:
        return runnable
    index_of = {d.sub_request_id: d.index for d in drafts if d.sub_request_id is not None}
    done: set[int] = set(skip)
    ordered: list[Draft] = []
    waiting = list(runnable)
    while waiting:
        ready = next((d for d in waiting if all(index_of[t] in done for t in d.refers_to if t in index_of)), waiting[0])
        waiting.remove(ready)
        ordered.append(ready)
        done.add(ready.index)
    return ordered


# --- the target of a sub-request -----------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    version: str  # "v8"
    path: str  # under /crm/{version}


def version_number(version: str) -> float | int:
    """'v8' -> 8, 'v2.1' -> 2.1: how the details name a version."""
    number = float(version[1:])
    return int(number) if number.is_integer() else number


def target_of(index: int, uri: str, composite_version: str) -> Target:
    """The version and path of a sub-request's uri. NOT_ALLOWED for a version above the composite
    call's; NOT_SUPPORTED for a uri the CRM API does not serve (another service's, an unknown version)."""
    path = uri.split("?", 1)[0]
    match = _VERSION.fullmatch(path)
    if match is None:
        raise allowed_nowhere(index)
    version, rest = match.group(1), match.group(2) or "/"
    if version_number(version) > version_number(composite_version):
        details = {
            "sub_request_version": version_number(version),
            "composite_request_version": version_number(composite_version),
        }
        raise ZohoError("NOT_ALLOWED", details, Message.COMPOSITE_VERSION)
    if version not in VERSIONS:
        raise allowed_nowhere(index)
    return Target(version, rest.rstrip("/") or "/")


def query_of(uri: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """The query a sub-request sends: the uri's own, then ``params``."""
    _, _, query = uri.partition("?")
    return [*parse_qsl(query, keep_blank_values=True), *((str(k), references.as_text(v)) for k, v in params.items())]


def allowed_nowhere(index: int) -> ZohoError:
    """NOT_SUPPORTED: the sub-request's API is not one a composite call may hold."""
    return ZohoError("NOT_SUPPORTED", {"api_name": "uri", "json_path": path_of(index, "uri")}, Message.COMPOSITE_API)


# --- the answer ------------------------------------------------------------------------------------
def executed(status_code: int, headers: dict[str, str], body: Any) -> dict[str, Any]:
    """The item of a sub-request that ran: SUCCESS whatever its own status (Zoho's samples)."""
    response = {"headers": headers, "status_code": status_code, "body": body}
    return {"code": "SUCCESS", "details": {"response": response}, "message": SUCCESS_MESSAGE, "status": "success"}


def rolled_back(by_index: int) -> dict[str, Any]:
    return ZohoError("ROLLBACK_PERFORMED", {"rollbacked_by_sub_request_index": by_index}).as_item()


def stopped(by_index: int) -> dict[str, Any]:
    return ZohoError("PROCESSING_STOPPED", {"rollbacked_by_sub_request_index": by_index}).as_item()


def failed(status_code: int) -> bool:
    """A sub-request that a rollback call rolls back on: its own answer is an error."""
    return status_code >= 400


def status(items: list[dict[str, Any]], *, rolled_back: bool) -> int:
    """400 after a rollback or when no sub-request ran; 207 when some did not; 200 when all ran,
    whatever each one answered (Zoho's "Status Codes for a Composite Request")."""
    ran = sum(1 for item in items if item["status"] == "success")
    if rolled_back or ran == 0:
        return 400
    return 200 if ran == len(items) else 207
