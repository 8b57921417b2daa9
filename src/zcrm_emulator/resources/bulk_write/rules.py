"""Bulk write's rules (OAS bulk_write.json, upload.json; the v8 "Bulk Write API" pages): the uploaded
zip and its CSV, the create call's body, binding its field mappings to the module and the file, a
CSV row turned into the record a record call would be given, and the result file's rows.

Every record is then checked by the record model exactly as a record call checks it, so a row fails
with the error a record call's item would (the result file's ERRORS column).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.record_model import ModuleMeta
from zcrm_emulator.resources.bulk_read.rules import Callback, iso_time

FEATURE = "bulk-write"  # the upload's ``feature`` header
MAX_ZIP_BYTES = 25 * 1024 * 1024  # "a maximum of 25MB"
MAX_ROWS = 25_000  # records in one CSV
MAX_COLUMNS = 200  # column headers in one CSV
DELIMITERS = ",;:|"  # the only ones Zoho reads, detected from the header

ADDED, IN_PROGRESS, COMPLETED, FAILED = "ADDED", "IN PROGRESS", "COMPLETED", "FAILED"
FINISHED = (COMPLETED, FAILED)
OPERATIONS = ("insert", "update", "upsert")
RESULT_COLUMNS = ("STATUS", "RECORD_ID", "ERRORS")
SHOWN_COLUMNS = 3  # the result file repeats the first three mapped columns of the upload
# A row's STATUS in the result file.
ROW_ADDED, ROW_UPDATED, ROW_SKIPPED = "ADDED", "UPDATED", "SKIPPED"
USER_FIND_BY = ("id", "email")
ID_FIELD = "id"
NUMBERS = {"integer": int, "bigint": int, "long": int, "double": float, "currency": float, "percent": float}


def _mandatory(key: str, path: str) -> ZohoError:
    return ZohoError("MANDATORY_NOT_FOUND", {"api_name": key, "json_path": path}, Message.BULK_KEY_MISSING, key=key)


def _invalid(key: str, path: str) -> ZohoError:
    return ZohoError("INVALID_DATA", {"api_name": key, "json_path": path})


# --- the upload -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CsvFile:
    name: str
    header: tuple[str, ...]
    rows: list[list[str]]


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv(name: str, content: bytes, encoding: str | None = None) -> CsvFile:
    """The CSV's header and rows; its delimiter is the one the header uses."""
    try:
        text = content.decode(encoding or "utf-8-sig")
    except (UnicodeDecodeError, LookupError):
        text = content.decode("latin-1")
    first = text.split("\n", 1)[0]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first)))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ZohoError("FILE_NOT_SUPPORTED")
    return CsvFile(name, tuple(cell.strip() for cell in rows[0]), rows[1:])


def read_zip(data: bytes) -> CsvFile:
    """The one CSV inside an uploaded zip: INVALID_FILE_FORMAT when it is no zip, FILE_NOT_SUPPORTED
    unless it holds exactly one CSV, LIMIT_EXCEEDED past Zoho's rows and columns."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = [n for n in archive.namelist() if not n.endswith("/") and not n.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, ValueError):
        raise ZohoError("INVALID_FILE_FORMAT") from None
    if len(names) != 1 or not names[0].lower().endswith(".csv"):
        raise ZohoError("FILE_NOT_SUPPORTED")
    try:
        content = archive.read(names[0])
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ZohoError("INVALID_FILE_FORMAT") from None
    parsed = parse_csv(names[0].rsplit("/", 1)[-1], content)
    if len(parsed.rows) > MAX_ROWS or len(parsed.header) > MAX_COLUMNS:
        limit = MAX_ROWS if len(parsed.rows) > MAX_ROWS else MAX_COLUMNS
        raise ZohoError("LIMIT_EXCEEDED", {"limit": limit}, Message.BULK_ROWS_LIMIT)
    return parsed


def check_headers(feature: str | None, org_header: str | None, org_ids: Sequence[str]) -> None:
    """The upload's ``feature: bulk-write`` and ``X-CRM-ORG`` (the org's zgid or id) headers."""
    if not feature or not org_header:
        missing = "feature" if not feature else "X-CRM-ORG"
        raise ZohoError("MANDATORY_NOT_FOUND", {"header": missing}, Message.BULK_FEATURE_HEADERS)
    if feature.strip().lower() != FEATURE:
        raise ZohoError("NOT_SUPPORTED_FEATURE", {"header": "feature"}, Message.BULK_FEATURE_HEADERS)
    if org_header.strip() not in org_ids:
        raise ZohoError("INVALID_DATA", {"header": "X-CRM-ORG"}, Message.BULK_FEATURE_HEADERS)


def uploaded(file_id: str, now_ms: int) -> dict[str, Any]:
    return {
        "status": "success",
        "code": "FILE_UPLOAD_SUCCESS",
        "message": "file uploaded.",
        "details": {"file_id": file_id, "created_time": iso_time(now_ms)},
    }


# --- the create call's body -----------------------------------------------------------------------
def parse_callback(raw: Any) -> Callback | None:
    """``{url, method}``: an http(s) URL, and ``post`` (INVALID_CALLBACK_METHOD names the methods
    there are, bulk_write.json Invalid_Callback_Method)."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise _invalid("callback", "$.callback")
    url, method = raw.get("url"), raw.get("method")
    if not isinstance(method, str) or method.lower() != "post":
        raise ZohoError("INVALID_CALLBACK_METHOD", {"supported_callback_methods": ["post"]})
    try:
        parts = urlsplit(url) if isinstance(url, str) else None
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise _invalid("url", "$.callback.url")
    return Callback(str(url), "post")


@dataclass(frozen=True)
class FieldMapping:
    api_name: str
    index: int | None
    format: str | None = None
    find_by: str | None = None
    default_value: Any = None


@dataclass(frozen=True)
class ResourceRequest:
    module: str
    file_id: str
    find_by: str | None
    ignore_empty: bool | None
    mappings: tuple[FieldMapping, ...] | None


@dataclass(frozen=True)
class JobRequest:
    operation: str
    callback: Callback | None
    ignore_empty: bool
    character_encoding: str | None
    resources: tuple[ResourceRequest, ...]


def _text(raw: Mapping[str, Any], key: str, path: str, *, required: bool) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise _mandatory(key, f"{path}.{key}")
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _invalid(key, f"{path}.{key}")
    return str(value)


def _flag(raw: Mapping[str, Any], key: str, path: str) -> bool | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise _invalid(key, f"{path}.{key}")
    return value


def _mapping(raw: Any, path: str) -> FieldMapping:
    if not isinstance(raw, Mapping):
        raise _invalid("field_mappings", path)
    api_name = _text(raw, "api_name", path, required=True)
    assert api_name is not None
    index = raw.get("index")
    default = raw.get("default_value")
    if index is None and default is None:
        raise ZohoError(
            "MISSING_REQUIRED_KEY",
            {"api_name": "index", "json_path": f"{path}.index"},
            Message.BULK_INDEX_MISSING,
            field=api_name,
        )
    if index is not None and (not isinstance(index, int) or isinstance(index, bool) or index < 0):
        raise _invalid("index", f"{path}.index")
    if default is not None and not (isinstance(default, Mapping) and "value" in default):
        raise _invalid("default_value", f"{path}.default_value")
    value = default["value"] if default is not None else None
    fmt = _text(raw, "format", path, required=False)
    return FieldMapping(api_name, index, fmt, _text(raw, "find_by", path, required=False), value)


def _resource(raw: Any, path: str, operation: str) -> ResourceRequest:
    if not isinstance(raw, Mapping):
        raise _invalid("resource", path)
    kind = raw.get("type", "data")
    if kind != "data":
        raise _invalid("type", f"{path}.type")
    module = raw.get("module")
    name = module.get("api_name") if isinstance(module, Mapping) else module
    if name is None or name == "":
        raise _mandatory("module", f"{path}.module")
    if not isinstance(name, str):
        raise _invalid("module", f"{path}.module")
    file_id = _text(raw, "file_id", path, required=True)
    assert file_id is not None
    find_by = _text(raw, "find_by", path, required=operation == "update")
    mappings = raw.get("field_mappings")
    if mappings is not None and (not isinstance(mappings, list) or not mappings):
        raise _invalid("field_mappings", f"{path}.field_mappings")
    bound = tuple(_mapping(m, f"{path}.field_mappings[{i}]") for i, m in enumerate(mappings)) if mappings else None
    return ResourceRequest(name, file_id, find_by, _flag(raw, "ignore_empty", path), bound)


def job_request(body: Any) -> JobRequest:
    """The create call's body, its shape checked (modules, files and fields are bound later)."""
    if not isinstance(body, Mapping):
        raise ZohoError("INVALID_DATA", {"json_path": "$"}, Message.BODY)
    operation = _text(body, "operation", "$", required=True)
    if operation not in OPERATIONS:
        raise _invalid("operation", "$.operation")
    callback = parse_callback(body.get("callback"))
    resources = body.get("resource")
    if resources is None or resources == []:
        raise _mandatory("resource", "$.resource")
    if not isinstance(resources, list):
        raise _invalid("resource", "$.resource")
    parsed = tuple(_resource(r, f"$.resource[{i}]", operation) for i, r in enumerate(resources))
    encoding = _text(body, "character_encoding", "$", required=False)
    return JobRequest(operation, callback, bool(_flag(body, "ignore_empty", "$")), encoding, parsed)


# --- binding a resource to its module and file ----------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One field a row writes: from the file's column ``index`` (or its default), read with ``format``;
    a lookup's value is found by ``find_by`` in the looked-up module (or users)."""

    api_name: str
    index: int | None
    header: str
    format: str | None
    find_by: str | None
    default: Any
    kind: str  # the field's data type


def _lookup_find_by(meta: ModuleMeta, name: str, given: str | None) -> str | None:
    kind = meta.types[name].name
    if kind in ("lookup", "ownerlookup", "userlookup"):
        return given or "id"
    return None


def header_mappings(header: Sequence[str]) -> tuple[FieldMapping, ...]:
    """A file's header read as field API names, when the request maps no fields."""
    return tuple(
        FieldMapping(cell.split(".", 1)[0], i, None, cell.split(".", 1)[1] if "." in cell else None)
        for i, cell in enumerate(header)
    )


def bind(resource: ResourceRequest, meta: ModuleMeta, header: Sequence[str], operation: str) -> tuple[Column, ...]:
    """The resource's columns: its field mappings, or the file's header read as field API names
    (``Account_Name.id``: a lookup found by ``id``) when it gives none."""
    mappings = resource.mappings if resource.mappings is not None else header_mappings(header)
    columns: list[Column] = []
    for i, mapping in enumerate(mappings):
        path = f"$.resource.field_mappings[{i}]"
        if mapping.api_name == ID_FIELD:  # the record's own id: what ``find_by: id`` matches on
            shown = header[mapping.index] if mapping.index is not None else ID_FIELD
            columns.append(Column(ID_FIELD, mapping.index, shown, None, None, mapping.default_value, ID_FIELD))
            continue
        if mapping.api_name not in meta.by_name or meta.types[mapping.api_name].server_set:
            raise ZohoError(
                "INVALID_FIELD",
                {"api_name": mapping.api_name, "json_path": f"{path}.api_name"},
                Message.BULK_MAPPING_INVALID,
                field=mapping.api_name,
            )
        if mapping.index is not None and mapping.index >= len(header):
            raise ZohoError("COLUMN_INDEX_NOT_FOUND", {"api_name": mapping.api_name, "index": mapping.index})
        kind = meta.types[mapping.api_name].name
        if kind in ("ownerlookup", "userlookup") and mapping.find_by not in (None, *USER_FIND_BY):
            raise _invalid("find_by", f"{path}.find_by")
        shown = header[mapping.index] if mapping.index is not None else mapping.api_name
        find_by = _lookup_find_by(meta, mapping.api_name, mapping.find_by)
        columns.append(
            Column(mapping.api_name, mapping.index, shown, mapping.format, find_by, mapping.default_value, kind)
        )
    mapped = {c.api_name for c in columns}
    if operation in ("insert", "upsert"):
        missing = [f["api_name"] for f in meta.fields if f.get("system_mandatory") and f["api_name"] not in mapped]
        missing = [name for name in missing if name not in meta.defaults and name != "Owner"]
        if missing:
            raise ZohoError("MANDATORY_FIELDS_NOT_MAPPED", {"api_name": missing})
    if resource.find_by is not None:
        if resource.find_by != ID_FIELD and resource.find_by not in meta.by_name:
            raise _invalid("find_by", "$.resource.find_by")
        if resource.find_by not in mapped:
            raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": resource.find_by, "json_path": "$.resource.find_by"})
    return tuple(columns)


def bound_columns(resource: ResourceRequest, header: Sequence[str]) -> list[int]:
    """The file's column indexes the result file repeats: the first three mapped."""
    indexes = [m.index for m in resource.mappings or () if m.index is not None]
    if resource.mappings is None:
        indexes = list(range(len(header)))
    return list(dict.fromkeys(indexes))[:SHOWN_COLUMNS]


# --- a row as a record ----------------------------------------------------------------------------
_JAVA_FORMAT = (
    ("yyyy", "%Y"),
    ("yy", "%y"),
    ("MMM", "%b"),
    ("MM", "%m"),
    ("dd", "%d"),
    ("HH", "%H"),
    ("hh", "%I"),
    ("mm", "%M"),
    ("ss", "%S"),
    ("a", "%p"),
)
_JAVA_TOKEN = re.compile("|".join(token for token, _ in _JAVA_FORMAT))


def _strptime_pattern(fmt: str) -> str:
    table = dict(_JAVA_FORMAT)
    return _JAVA_TOKEN.sub(lambda m: table[m.group(0)], fmt.replace("'T'", "T"))


def _dated(kind: str, text: str, fmt: str | None) -> str:
    """A date or date-time cell in the mapping's ``format`` (Java-style, e.g. ``MM/dd/yyyy``) as the
    record API takes it; a cell the format does not read goes on as it is (the record API refuses it)."""
    if fmt is None:
        return text
    try:
        moment = datetime.strptime(text, _strptime_pattern(fmt))
    except ValueError:
        return text
    if kind == "date":
        return moment.date().isoformat()
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def cell_value(column: Column, text: str) -> Any:
    """A cell as a record call's JSON would carry it; one that does not read as its type goes on as
    text, so the record model refuses it with the record API's own error."""
    kind = column.kind
    if kind in NUMBERS:
        try:
            return NUMBERS[kind](text)
        except ValueError:
            return text
    if kind == "boolean":
        lowered = text.strip().lower()
        return {"true": True, "false": False}.get(lowered, text)
    if kind == "multiselectpicklist":
        return [part.strip() for part in text.split(";") if part.strip()]
    if kind in ("date", "datetime"):
        return _dated(kind, text.strip(), column.format)
    return text


def row_item(
    columns: Sequence[Column],
    row: Sequence[str],
    *,
    ignore_empty: bool,
    operation: str,
    found: Mapping[tuple[str, str], str],
) -> dict[str, Any]:
    """The record a row stands for. Empty cells are left out of an insert and, with ``ignore_empty``,
    of any write; otherwise they empty the field. A lookup found by another field takes the id
    ``found`` holds for its (field, lower-case value), or goes on unresolved (INVALID_DATA)."""
    item: dict[str, Any] = {}
    for column in columns:
        text = row[column.index] if column.index is not None and column.index < len(row) else ""
        if text == "" and column.default is not None:
            item[column.api_name] = column.default
            continue
        if text.strip() == "":
            if not ignore_empty and operation != "insert":
                item[column.api_name] = None
            continue
        if column.find_by is not None:
            record_id = text if column.find_by == "id" else found.get((column.api_name, text.strip().lower()), text)
            item[column.api_name] = {"id": record_id}
            continue
        item[column.api_name] = cell_value(column, text)
    return item


def row_errors(error: Mapping[str, Any], headers: Mapping[str, str]) -> str:
    """A refused row's ERRORS cell: ``<code>-<column header>`` (the field's header in the file, or
    its API name when the file has none)."""
    details = error.get("details") or {}
    name = details.get("api_name") if isinstance(details, Mapping) else None
    names = name if isinstance(name, list) else [name] if name else []
    shown = ",".join(headers.get(str(n), str(n)) for n in names)
    return f"{error['code']}-{shown}" if shown else str(error["code"])


# --- the job as Zoho shows it ---------------------------------------------------------------------
def _shown_mapping(mapping: FieldMapping) -> dict[str, Any]:
    """A mapping as the job shows it: the keys it was given (bulk_write.json has no nulls for them)."""
    shown: dict[str, Any] = {"api_name": mapping.api_name}
    if mapping.index is not None:
        shown["index"] = mapping.index
    if mapping.format is not None:
        shown["format"] = mapping.format
    if mapping.find_by is not None:
        shown["find_by"] = mapping.find_by
    if mapping.default_value is not None:
        shown["default_value"] = {"value": mapping.default_value}
    return shown


def new_job(
    request: JobRequest,
    metas: Sequence[ModuleMeta],
    files: Sequence[Mapping[str, Any]],
    creator: Mapping[str, Any],
    now_ms: int,
) -> dict[str, Any]:
    resources = []
    for resource, meta, file in zip(request.resources, metas, files, strict=True):
        shown: dict[str, Any] = {
            "status": ADDED,
            "type": "data",
            "module": {"id": meta.id, "api_name": meta.api_name},
            "file_id": resource.file_id,
            "ignore_empty": resource.ignore_empty if resource.ignore_empty is not None else request.ignore_empty,
            "find_by": resource.find_by,
            "field_mappings": [_shown_mapping(m) for m in resource.mappings or header_mappings(file["header"])],
            "file": {
                "status": ADDED,
                "name": file["name"],
                "added_count": 0,
                "skipped_count": 0,
                "updated_count": 0,
                "total_count": 0,
            },
        }
        resources.append(shown)
    return {
        "character_encoding": request.character_encoding or "UTF-8",
        "operation": request.operation,
        "ignore_empty": request.ignore_empty,
        "callback": {"url": request.callback.url, "method": request.callback.method} if request.callback else None,
        "created_by": {"id": creator["id"], "name": creator.get("full_name") or creator.get("last_name")},
        "created_time": iso_time(now_ms),
        "resource": resources,
    }


def created(job_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The create call's 201 body (bulk_write.json Success_Response)."""
    return {
        "status": "success",
        "code": "SUCCESS",
        "message": "success",
        "details": {"id": job_id, "created_by": data["created_by"]},
    }


def download_url(job_id: str, version: str) -> str:
    return f"/crm/bulk/{version}/write/{job_id}/result"


def job_view(job_id: str, state: str, data: Mapping[str, Any], version: str) -> dict[str, Any]:
    """The job in ``GET /write/{job_id}`` (bulk_write.json Bulk_Write_Response)."""
    resources = []
    for resource in data["resource"]:
        shown = dict(resource)
        if state == IN_PROGRESS and resource["status"] == ADDED:
            shown = {**shown, "status": IN_PROGRESS, "file": {**resource["file"], "status": IN_PROGRESS}}
        resources.append(shown)
    view: dict[str, Any] = {
        "status": state,
        "character_encoding": data["character_encoding"],
        "resource": resources,
        "id": job_id,
    }
    if data.get("callback"):
        view["callback"] = data["callback"]
    if state == COMPLETED:
        view["result"] = {"download_url": download_url(job_id, version)}
    view.update(
        created_by=data["created_by"],
        ignore_empty=data["ignore_empty"],
        operation=data["operation"],
        created_time=data["created_time"],
    )
    return view


def finished_resource(resource: Mapping[str, Any], counts: Mapping[str, int], state: str) -> dict[str, Any]:
    return {**resource, "status": state, "code": state, "file": {**resource["file"], "status": state, **counts}}


def result_name(module: str, file_name: str) -> str:
    """The result CSV's name in the zip: ``<module>-<uploaded file name>``."""
    return f"{module}-{file_name}"
