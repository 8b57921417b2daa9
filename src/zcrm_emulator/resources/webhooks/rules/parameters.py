"""A webhook's ``headers``, ``url_parameters`` and ``body`` (AUTOMATION.md §2.2, OASx createWebhooks).

Each is made of parameter collections: ``custom_parameters`` (fixed text, sent as written) and
``module_parameters`` (a merge token of the record, resolved when the webhook fires), each entry
``{name ≤ 255, value ≤ 255}``, plus one ``user_defined_parameter(s)`` object (singular in form data,
plural in URL parameters, an object either way). Names are unique within a part, in any case
(DUPLICATE_DATA "duplicate parameter name found" on the second); a header may not be named ``Host``
("restricted parameter name found"), nor the headers the emulator writes itself for the request to
be one (``Content-Length``, ``Transfer-Encoding``, ``Connection``), and header names are HTTP tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.webhooks.rules import checks, merge
from zcrm_emulator.resources.webhooks.rules.policy import WebhookPolicy
from zcrm_emulator.validation import at

PARAMETER_MAX = 255
RAW_CONTENT_MAX = 500
BODY_TYPES = ("form_data", "raw", "none")
RAW_FORMATS = ("JSON", "XML", "Text", "HTML")
RESTRICTED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token

Parameter = dict[str, str]


def _entry(entry: Any, path: str, *, module: bool, fields: merge.MergeFields) -> Parameter:
    """One ``{name, value}`` entry; module parameters' values hold merge tokens (at least one)."""
    if not isinstance(entry, dict):
        key = path.rsplit(".", 1)[-1].split("[")[0]
        raise ZohoError(
            "INVALID_DATA",
            {"api_name": key, "json_path": path, "expected_data_type": "jsonobject"},
            Message.WEBHOOK_DATA_TYPE,
        )
    clean: Parameter = {}
    for key in ("name", "value"):
        value = checks.text(
            entry, key, path, max_length=PARAMETER_MAX, mandatory=True, missing_message=Message.WEBHOOK_PARAMETER_HALF
        )
        assert value is not None
        clean[key] = value
    if module:
        merge.check(clean["value"], fields, path, "value", required=True)
    return clean


def _collection(
    part: Mapping[str, Any], key: str, path: str, *, limit: int, module: bool, fields: merge.MergeFields
) -> list[Parameter]:
    return [
        _entry(entry, f"{path}.{key}[{i}]", module=module, fields=fields)
        for i, entry in enumerate(checks.array(part, key, path, limit=limit))
    ]


def _user_defined(part: Mapping[str, Any], key: str, path: str, fields: merge.MergeFields) -> Parameter | None:
    """The one user-defined ``{name, value}``; its value may hold merge tokens (docs/decisions.md)."""
    value = checks.obj(part, key, path)
    if value is None:
        return None
    clean = _entry(value, f"{path}.{key}", module=False, fields=fields)
    merge.check(clean["value"], fields, f"{path}.{key}", "value")
    return clean


def _unique_names(entries: Iterable[tuple[str, Parameter]]) -> None:
    seen: set[str] = set()
    for entry_path, entry in entries:
        key = entry["name"].casefold()
        if key in seen:
            raise ZohoError("DUPLICATE_DATA", at(entry_path, "name"), Message.WEBHOOK_PARAMETER_DUPLICATE)
        seen.add(key)


def _paths(path: str, key: str, entries: list[Parameter]) -> list[tuple[str, Parameter]]:
    return [(f"{path}.{key}[{i}]", entry) for i, entry in enumerate(entries)]


def headers(part: Mapping[str, Any], path: str, policy: WebhookPolicy, fields: merge.MergeFields) -> dict[str, Any]:
    """``headers``: ``module_parameters`` must be there (it may be empty), ``custom_parameters`` may."""
    if "module_parameters" not in part:
        raise checks.missing(path, "module_parameters")
    custom = _collection(
        part, "custom_parameters", path, limit=policy.custom_parameters_max, module=False, fields=fields
    )
    module = _collection(
        part, "module_parameters", path, limit=policy.module_parameters_max, module=True, fields=fields
    )
    named = [*_paths(path, "custom_parameters", custom), *_paths(path, "module_parameters", module)]
    for entry_path, entry in named:
        if entry["name"].casefold() in RESTRICTED_HEADERS:
            raise checks.invalid(entry_path, "name", Message.WEBHOOK_PARAMETER_RESTRICTED)
        if not HEADER_NAME.fullmatch(entry["name"]):
            raise checks.invalid(entry_path, "name")
    _unique_names(named)
    return {"module_parameters": module, "custom_parameters": custom}


def url_parameters(
    part: Mapping[str, Any], path: str, policy: WebhookPolicy, fields: merge.MergeFields
) -> dict[str, Any]:
    custom = _collection(
        part, "custom_parameters", path, limit=policy.custom_parameters_max, module=False, fields=fields
    )
    module = _collection(
        part, "module_parameters", path, limit=policy.module_parameters_max, module=True, fields=fields
    )
    user = _user_defined(part, "user_defined_parameters", path, fields)
    named = [*_paths(path, "custom_parameters", custom), *_paths(path, "module_parameters", module)]
    _unique_names([*named, *([(f"{path}.user_defined_parameters", user)] if user else [])])
    clean: dict[str, Any] = {"custom_parameters": custom, "module_parameters": module}
    if user is not None:
        clean["user_defined_parameters"] = user
    return clean


def _form_content(
    body: Mapping[str, Any], path: str, policy: WebhookPolicy, fields: merge.MergeFields
) -> dict[str, Any]:
    content = body.get("form_data_content")
    if content is None:
        raise ZohoError(
            "DEPENDENT_FIELD_MISSING",
            {**at(path, "form_data_content"), "dependee": at(path, "type")},
            Message.WEBHOOK_FORM_CONTENT_MISSING,
        )
    inner = f"{path}.form_data_content"
    if not isinstance(content, dict):
        raise checks.invalid(path, "form_data_content", Message.WEBHOOK_FORM_CONTENT_INVALID)
    custom = _collection(
        content, "custom_parameters", inner, limit=policy.custom_parameters_max, module=False, fields=fields
    )
    module = _collection(
        content, "module_parameters", inner, limit=policy.module_parameters_max, module=True, fields=fields
    )
    user = _user_defined(content, "user_defined_parameter", inner, fields)
    if not (custom or module or user):
        raise checks.invalid(path, "form_data_content", Message.WEBHOOK_FORM_CONTENT_INVALID)
    named = [*_paths(inner, "custom_parameters", custom), *_paths(inner, "module_parameters", module)]
    _unique_names([*named, *([(f"{inner}.user_defined_parameter", user)] if user else [])])
    clean: dict[str, Any] = {"module_parameters": module, "custom_parameters": custom}
    if user is not None:
        clean["user_defined_parameter"] = user
    return clean


def _raw_content(body: Mapping[str, Any], path: str, fields: merge.MergeFields) -> str:
    if checks.absent(body.get("raw_data_content")):
        raise ZohoError(
            "DEPENDENT_FIELD_MISSING",
            {**at(path, "raw_data_content"), "dependee": at(path, "format")},
            Message.WEBHOOK_RAW_CONTENT_MISSING,
        )
    content = checks.text(body, "raw_data_content", path, max_length=RAW_CONTENT_MAX)
    assert content is not None
    merge.check(content, fields, path, "raw_data_content")
    return content


def body(part: Mapping[str, Any], path: str, policy: WebhookPolicy, fields: merge.MergeFields) -> dict[str, Any]:
    """``body``: ``type`` form_data (with ``form_data_content``), raw (with ``format`` and
    ``raw_data_content``) or none; ``format`` only for raw."""
    kind = checks.choice(part, "type", path, BODY_TYPES, Message.WEBHOOK_BODY_TYPE)
    if kind is None:
        raise checks.missing(path, "type")
    if kind != "raw":
        if part.get("format") is not None:
            raise checks.invalid(path, "format", Message.WEBHOOK_BODY_FORMAT)
        if kind == "none":
            return {"type": "none", "format": None}
        return {"type": "form_data", "format": None, "form_data_content": _form_content(part, path, policy, fields)}
    fmt = checks.choice(part, "format", path, RAW_FORMATS, Message.WEBHOOK_BODY_FORMAT)
    if fmt is None:
        raise checks.missing(path, "format")
    return {"type": "raw", "format": fmt, "raw_data_content": _raw_content(part, path, fields)}
