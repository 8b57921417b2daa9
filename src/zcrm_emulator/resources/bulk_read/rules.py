"""What a bulk read job is (OAS ``bulk_read.json``; Zoho doc pages "Create Bulk Read Job", "Get the
Status of the Bulk Read Job", "Download Bulk Read Result", v2-v8): the request body's checks, the
criteria (``group`` / ``group_operator`` or ``field`` / ``comparator`` / ``value``) bound onto COQL's
terms, so the records a job reads are one SQL query (``coql.repo.compile_where``), the job as Zoho
shows it, and one record as a CSV row or an ICS event.

Plain functions over plain data (no HTTP, no SQL). Codes are the OAS file's; it gives no messages and
no per-edition limits, so those are the emulator's (docs/decisions.md "Bulk read").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.record_model import ModuleMeta, RecordRow, compared_type
from zcrm_emulator.resources.coql import grammar as coql_grammar
from zcrm_emulator.resources.coql import rules as coql
from zcrm_emulator.resources.coql.rules import Bound, Combined, Modules, Term

OPERATION = "read"
ADDED, QUEUED, IN_PROGRESS, COMPLETED, FAILURE = "ADDED", "QUEUED", "IN PROGRESS", "COMPLETED", "FAILURE"
UNFINISHED = (ADDED, QUEUED, IN_PROGRESS)
FINISHED = (COMPLETED, FAILURE)

PER_PAGE = 200_000  # records in one job's file ("each page holds 200,000 records")
MAX_PAGE = 50  # the Query schema's page pattern: 1 to 50
MAX_CRITERIA = 25  # conditions in one criteria (Kaizen #195: "up to 25")
MAX_VALUES = 100  # values of one in / not_in
FILE_TYPES = ("csv", "ics")
ICS_MODULE = "Events"
DAY_MS = 24 * 3600 * 1000

# Bulk read comparators as COQL operators (``like`` ones with their pattern shape).
COMPARATORS: dict[str, tuple[str, str | None]] = {
    "equal": ("=", None),
    "not_equal": ("!=", None),
    "in": ("in", None),
    "not_in": ("not in", None),
    "greater_than": (">", None),
    "greater_equal": (">=", None),
    "less_than": ("<", None),
    "less_equal": ("<=", None),
    "between": ("between", None),
    "not_between": ("not between", None),
    "contains": ("like", "contains"),
    "not_contains": ("not like", "contains"),
    "starts_with": ("like", "starts"),
    "ends_with": ("like", "ends"),
}
LISTED = frozenset({"in", "not_in"})
RANGES = frozenset({"between", "not_between"})

# The CSV's first column; the record's own id.
ID_COLUMN = "Id"
# Fields whose values are row columns (record_model/repo.py), not ``data`` entries.
USER_COLUMNS = {"Owner": "owner_id", "Created_By": "created_by", "Modified_By": "modified_by"}
TIME_COLUMNS = {"Created_Time": "created_ms", "Modified_Time": "modified_ms"}


# --- the request ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Callback:
    url: str
    method: str


@dataclass(frozen=True)
class JobRequest:
    """A create call's body once its shape is checked (the module and fields not yet looked up)."""

    module: str
    fields: tuple[str, ...] | None
    criteria: Mapping[str, Any] | None
    cvid: str | None
    page: int
    file_type: str
    callback: Callback | None


def _invalid(api_name: str, json_path: str) -> ZohoError:
    return ZohoError("INVALID_DATA", {"api_name": api_name, "json_path": json_path})


def _mandatory(api_name: str, json_path: str) -> ZohoError:
    return ZohoError("MANDATORY_NOT_FOUND", {"api_name": api_name, "json_path": json_path})


def job_request(body: Mapping[str, Any]) -> JobRequest:
    """The body's ``query``, ``file_type`` and ``callback``, checked for shape."""
    query = body.get("query")
    if query is None:
        raise _mandatory("query", "$.query")
    if not isinstance(query, Mapping):
        raise _invalid("query", "$.query")
    return JobRequest(
        module=_module_name(query.get("module")),
        fields=_field_names(query.get("fields")),
        criteria=_criteria_object(query.get("criteria")),
        cvid=_cvid(query.get("cvid")),
        page=_page(query.get("page")),
        file_type=_file_type(body.get("file_type", query.get("file_type"))),
        callback=_callback(body.get("callback")),
    )


def _module_name(raw: Any) -> str:
    name = raw.get("api_name") if isinstance(raw, Mapping) else raw
    if name is None or name == "":
        raise _mandatory("module", "$.query.module")
    if not isinstance(name, str):
        raise _invalid("module", "$.query.module")
    return name


def _field_names(raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(name, str) and name for name in raw):
        raise _invalid("fields", "$.query.fields")
    return tuple(raw) or None


def _criteria_object(raw: Any) -> Mapping[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ZohoError("INVALID_CRITERIA", {"json_path": "$.query.criteria"})
    return raw


def _cvid(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise ZohoError("INVALID_DATA", {"api_name": "cvid", "json_path": "$.query.cvid"}, Message.CVID_INVALID)
    return str(raw)


def _page(raw: Any) -> int:
    if raw is None:
        return 1
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit() or int(raw) < 1:
        raise _invalid("page", "$.query.page")
    if int(raw) > MAX_PAGE:
        raise ZohoError("PAGE_RANGE_EXCEEDED", {"max_limit": MAX_PAGE})
    return int(raw)


def _file_type(raw: Any) -> str:
    if raw is None:
        return "csv"
    if not isinstance(raw, str) or raw.lower() not in FILE_TYPES:
        raise _invalid("file_type", "$.file_type")
    return raw.lower()


def _callback(raw: Any) -> Callback | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise _invalid("callback", "$.callback")
    url, method = raw.get("url"), raw.get("method")
    if not isinstance(url, str) or not _is_http_url(url):
        raise ZohoError("INVALID_CALLBACK_URL", {"api_name": "url", "json_path": "$.callback.url"})
    if not isinstance(method, str) or method.lower() != "post":
        raise ZohoError("INVALID_CALLBACK_METHOD", {"api_name": "method", "json_path": "$.callback.method"})
    return Callback(url, "post")


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def check_file_type(request: JobRequest, meta: ModuleMeta) -> None:
    """An ICS file is Zoho's only for Events."""
    if request.file_type == "ics" and meta.api_name != ICS_MODULE:
        raise _invalid("file_type", "$.file_type")


# --- the columns ----------------------------------------------------------------------------------
def readable(meta: ModuleMeta, name: str) -> bool:
    field = meta.by_name.get(name)
    return field is not None and compared_type(field) not in coql.UNSUPPORTED_TYPES


def columns(meta: ModuleMeta, requested: Sequence[str] | None) -> tuple[str, ...]:
    """The CSV's columns: ``Id``, then the requested fields in their order (every readable field of
    the module when none are given); FIELD_NOT_AVAILABLE / FIELD_NOT_SUPPORTED for the others."""
    if requested is None:
        return (ID_COLUMN, *(f["api_name"] for f in meta.fields if readable(meta, f["api_name"])))
    chosen: list[str] = [ID_COLUMN]
    for index, name in enumerate(requested):
        if name.lower() == "id":
            continue
        path = f"$.query.fields[{index}]"
        if name not in meta.by_name:
            raise ZohoError("FIELD_NOT_AVAILABLE", {"api_name": name, "json_path": path})
        if not readable(meta, name):
            raise ZohoError("FIELD_NOT_SUPPORTED", {"api_name": name, "json_path": path})
        if name not in chosen:
            chosen.append(name)
    return tuple(chosen)


# --- criteria -------------------------------------------------------------------------------------
def bind_criteria(raw: Mapping[str, Any], meta: ModuleMeta, modules: Modules) -> Bound:
    """The criteria as COQL's bound terms (their SQL is COQL's), checked the bulk read way."""
    if count_conditions(raw) > MAX_CRITERIA:
        raise ZohoError("CRITERIA_LIMIT_EXCEEDED", {"limit": MAX_CRITERIA})
    return _bind(raw, meta, modules, "$.query.criteria")


def count_conditions(raw: Any) -> int:
    if isinstance(raw, Mapping) and isinstance(raw.get("group"), list):
        return sum(count_conditions(part) for part in raw["group"])
    return 1


def _bind(raw: Any, meta: ModuleMeta, modules: Modules, path: str) -> Bound:
    if not isinstance(raw, Mapping):
        raise ZohoError("INVALID_CRITERIA", {"json_path": path})
    has_group = "group" in raw or "group_operator" in raw
    has_term = any(key in raw for key in ("field", "api_name", "comparator", "value"))
    if has_group and has_term:
        raise ZohoError("AMBIGUOUS_CRITERIA", {"json_path": path})
    if not has_group:
        return _term(raw, meta, modules, path)
    group, joiner = raw.get("group"), raw.get("group_operator")
    if not isinstance(group, list) or not group:
        raise ZohoError("INVALID_CRITERIA", {"json_path": f"{path}.group"})
    if not isinstance(joiner, str) or joiner.lower() not in ("and", "or"):
        raise ZohoError("GROUP_OPERATOR_NOT_SUPPORTED", {"json_path": f"{path}.group_operator"})
    parts = tuple(_bind(part, meta, modules, f"{path}.group[{n}]") for n, part in enumerate(group))
    return parts[0] if len(parts) == 1 else Combined(joiner.lower(), parts)


def _term(raw: Mapping[str, Any], meta: ModuleMeta, modules: Modules, path: str) -> Term:
    field = raw.get("field")
    name = field.get("api_name") if isinstance(field, Mapping) else raw.get("api_name")
    comparator = raw.get("comparator")
    if not isinstance(name, str) or not name or not isinstance(comparator, str) or "value" not in raw:
        raise ZohoError("INVALID_CRITERIA", {"json_path": path})
    ref = _reference(name, meta, modules)
    comparator = comparator.lower()
    operator, shape = COMPARATORS.get(comparator, ("", None))
    allowed = coql.OPERATORS_BY_KIND.get(ref.kind, frozenset())
    if operator not in allowed:
        supported = sorted(c for c, (op, _) in COMPARATORS.items() if op in allowed)
        details = {"comparator": comparator, "api_name": name, "supported": supported}
        raise ZohoError("FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE", details)
    values = _values(raw["value"], comparator, name)
    if shape is not None:
        text = values[0]
        if not isinstance(text, str | int | Decimal) or isinstance(text, bool) or not str(text):
            raise _value_mismatch(name, "text")
        return Term(ref, operator, (shape, str(text).lower()))
    return Term(ref, operator, tuple(_converted(ref, value) for value in values))


def _reference(name: str, meta: ModuleMeta, modules: Modules) -> coql.FieldRef:
    column = coql_grammar.Column(tuple(name.split(".")))
    try:
        return coql.resolve(column, meta, modules, where=True)
    except ZohoError as refused:
        if column.path[0] in meta.by_name or column.path[0] == "id":  # a field criteria cannot filter on
            raise ZohoError("FIELD_IN_CRITERIA_NOT_SUPPORTED", {"api_name": name}) from refused
        raise ZohoError("FIELD_IN_CRITERIA_NOT_AVAILABLE", {"api_name": name}) from refused


def _values(raw: Any, comparator: str, name: str) -> list[Any]:
    mismatch = ZohoError(
        "COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE", {"api_name": name, "comparator": comparator}
    )
    if comparator in LISTED or comparator in RANGES:
        if not isinstance(raw, list) or not raw:
            raise mismatch
        if comparator in RANGES and len(raw) != 2:
            raise mismatch
        if len(raw) > MAX_VALUES:
            raise ZohoError("VALUE_LIMIT_EXCEEDED_IN_CRITERIA", {"api_name": name, "limit": MAX_VALUES})
        return list(raw)
    if isinstance(raw, list | Mapping) or raw is None:
        raise mismatch
    return [raw]


def _literal(value: Any) -> coql_grammar.Literal:
    if isinstance(value, bool):
        return coql_grammar.Literal("boolean", value, str(value).lower())
    if isinstance(value, int | float):
        return coql_grammar.Literal("number", Decimal(str(value)), str(value))
    return coql_grammar.Literal("string", str(value), str(value))


def _converted(ref: coql.FieldRef, value: Any) -> Any:
    if isinstance(value, list | Mapping) or value is None:
        raise _value_mismatch(ref.text, ref.data_type)
    try:
        return coql.convert(ref, _literal(value))
    except ZohoError as refused:
        raise _value_mismatch(ref.text, str(refused.details.get("expected_data_type", ref.data_type))) from refused


def _value_mismatch(name: str, expected: str) -> ZohoError:
    return ZohoError("FIELD_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE", {"api_name": name, "expected_data_type": expected})


# --- the job as Zoho shows it ---------------------------------------------------------------------
def iso_time(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).replace(microsecond=0).isoformat()


def shown_query(request: JobRequest, meta: ModuleMeta) -> dict[str, Any]:
    """The job's ``query`` as Zoho echoes it: the module with its id, what was asked, the page."""
    query: dict[str, Any] = {"module": {"id": meta.id, "api_name": meta.api_name}}
    if request.cvid is not None:
        query["cvid"] = request.cvid
    if request.fields is not None:
        query["fields"] = list(request.fields)
    if request.criteria is not None:
        query["criteria"] = dict(request.criteria)
    query["page"] = request.page
    return query


def new_job(
    request: JobRequest, meta: ModuleMeta, creator: Mapping[str, Any], now_ms: int, version: str
) -> dict[str, Any]:
    return {
        "operation": OPERATION,
        "query": shown_query(request, meta),
        "created_by": {"id": creator["id"], "name": creator.get("full_name") or creator.get("last_name")},
        "created_time": iso_time(now_ms),
        "file_type": request.file_type,
        "callback": {"url": request.callback.url, "method": request.callback.method} if request.callback else None,
        "version": version,  # the API version it was created with: its download_url's
    }


def stored_request(data: Mapping[str, Any]) -> JobRequest:
    """The request a stored job was created from (the worker binds it again)."""
    query = data["query"]
    return JobRequest(
        module=query["module"]["api_name"],
        fields=tuple(query["fields"]) if query.get("fields") else None,
        criteria=query.get("criteria"),
        cvid=query.get("cvid"),
        page=int(query.get("page") or 1),
        file_type=data.get("file_type", "csv"),
        callback=None,
    )


def download_url(job_id: str, version: str) -> str:
    return f"/crm/bulk/{version}/read/{job_id}/result"


def result(job_id: str, data: Mapping[str, Any], count: int, per_page: int, more: bool) -> dict[str, Any]:
    page = int(data["query"].get("page") or 1)
    return {
        "page": page,
        "count": count,
        "download_url": download_url(job_id, data.get("version", "v8")),
        "per_page": per_page,
        "more_records": more,
    }


def job_view(job_id: str, state: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A job in ``GET /read/{job_id}``: the result once it is COMPLETED."""
    shown: dict[str, Any] = {
        "id": job_id,
        "operation": data["operation"],
        "state": state,
        "query": data["query"],
        "created_by": data["created_by"],
        "created_time": data["created_time"],
        "file_type": data["file_type"],
    }
    if state == COMPLETED and data.get("result") is not None:
        shown["result"] = data["result"]
    return shown


def added_details(job_id: str, state: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The ``details`` of the create call's success."""
    return {
        "id": job_id,
        "operation": data["operation"],
        "state": state,
        "created_by": data["created_by"],
        "created_time": data["created_time"],
    }


def callback_body(job_id: str, state: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the callback URL receives when the job ends (Zoho's "job_id" key, not "id")."""
    body: dict[str, Any] = {"job_id": job_id, "operation": data["operation"], "state": state, "query": data["query"]}
    if state == COMPLETED and data.get("result") is not None:
        body["result"] = data["result"]
    return body


# --- the file --------------------------------------------------------------------------------------
def file_name(job_id: str, file_type: str) -> str:
    return f"{job_id}.{file_type}"


def _text(value: Any) -> str:
    """One value as Zoho's bulk CSV writes it: ids for lookups, ISO dates, ``;`` between the values
    of a list, ``true``/``false``."""
    kind = type(value)
    if kind is str:  # most values: text, picklists, dates, date-times and lookup ids as stored
        return value  # type: ignore[no-any-return]
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is dict:
        return str(value.get("id") or value.get("name") or "")
    if kind is list:
        return ";".join(str(item.get("name") or "") if type(item) is dict else _text(item) for item in value)
    return str(value)


def _utc_text(epoch_ms: int) -> str:
    """``yyyy-MM-ddTHH:mm:ss+00:00``, as ``iso_time`` writes it (time.strftime: cheaper per row)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(epoch_ms // 1000))


Cell = Callable[[RecordRow], str]


def _reader(name: str) -> Cell:
    if name == ID_COLUMN:
        return lambda row: row.id
    if name in USER_COLUMNS:
        column = USER_COLUMNS[name]
        return lambda row: str(getattr(row, column) or "")
    if name in TIME_COLUMNS:
        column = TIME_COLUMNS[name]
        return lambda row: _utc_text(int(getattr(row, column)))
    return lambda row: _text(row.data.get(name))


def cell_readers(names: Sequence[str]) -> list[Cell]:
    """One function per column turning a record into that column's text (chosen once per file)."""
    return [_reader(name) for name in names]


def csv_cells(row: RecordRow, readers: Sequence[Cell]) -> list[str]:
    return [read(row) for read in readers]


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_moment(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
    return moment.strftime("%Y%m%dT%H%M%SZ")


ICS_HEAD = ("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Zoho CRM//Bulk Read//EN")
ICS_TAIL = ("END:VCALENDAR",)


def ics_event(row: RecordRow) -> Iterator[str]:
    """One Events record as a VEVENT (its title, start, end, venue and description)."""
    yield "BEGIN:VEVENT"
    yield f"UID:{row.id}"
    yield f"DTSTAMP:{iso_time(row.modified_ms).replace('-', '').replace(':', '').replace('+0000', 'Z')}"
    for key, name in (("DTSTART", "Start_DateTime"), ("DTEND", "End_DateTime")):
        moment = _ics_moment(row.data.get(name))
        if moment is not None:
            yield f"{key}:{moment}"
    for key, name in (("SUMMARY", "Event_Title"), ("LOCATION", "Venue"), ("DESCRIPTION", "Description")):
        value = row.data.get(name)
        if isinstance(value, str) and value:
            yield f"{key}:{_ics_text(value)}"
    yield "END:VEVENT"


def ics_lines(rows: Iterable[RecordRow]) -> Iterator[str]:
    yield from ICS_HEAD
    for row in rows:
        yield from ics_event(row)
    yield from ICS_TAIL
