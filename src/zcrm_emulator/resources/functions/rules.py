"""Functions called as REST APIs (AUTOMATION.md §7): what a registration may say, the zapikey, the
arguments a call carries and the answer's shape. Plain data and functions.

* A registration names the function (``name``, its API name) and what it does: ``url`` (the call is
  forwarded there), ``output`` (a canned answer) or, in-process only, a Python callable.
* ``auth_type`` is ``oauth`` (an OAuth token with ``ZohoCRM.functions.execute.READ`` for GET,
  ``.CREATE`` for POST) or ``apikey`` (the function's ``zapikey`` in the query, no token).
* Arguments: ``arguments`` as a JSON object in the query, a form field or a JSON body key (an object
  or its JSON text), later sources overriding earlier ones key by key.
* The answer: ``{"code":"success","details":{"output":<text>,"output_type":"string","id":<user id>,
  "userMessage":[]},"message":"function executed successfully"}``; a value that is not text is sent
  as its JSON text, since the caller reads ``output`` as a string (§8 #9).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import orjson

from zcrm_emulator.errors import ZohoError

OAUTH, APIKEY = "oauth", "apikey"
AUTH_TYPES = (OAUTH, APIKEY)
SCOPE = "ZohoCRM.functions.execute"
# The principal of an apikey call: the key stands for every operation on the one function it opens.
APIKEY_SCOPES = (f"{SCOPE}.ALL",)

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")
URL_MAX = 2000
KINDS = ("python", "url", "canned")

SUCCESS_MESSAGE = "function executed successfully"
OUTPUT_TYPE = "string"
# Keys of the query that belong to the call, not to the function (``crmAPIRequest`` params).
RESERVED_PARAMS = frozenset({"auth_type", "zapikey", "arguments"})


def new_zapikey() -> str:
    """``1003.<32 hex>.<32 hex>``, the shape Zoho's keys have (§7)."""
    return f"1003.{secrets.token_hex(16)}.{secrets.token_hex(16)}"


def check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "name", "json_path": "$.name"})
    if NAME.fullmatch(name) is None:
        raise ZohoError("INVALID_DATA", {"api_name": "name", "regex": NAME.pattern, "json_path": "$.name"})
    return name


def check_url(url: Any) -> str:
    """An absolute http(s) URL the call is forwarded to."""
    parts = urlsplit(url) if isinstance(url, str) and len(url) <= URL_MAX else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ZohoError("INVALID_DATA", {"api_name": "url", "expected_data_type": "url", "json_path": "$.url"})
    return str(url)


def output_text(value: Any) -> str:
    """What ``details.output`` carries: text as it is, anything else as its JSON text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return str(value)


def answer(output: Any, user_id: str) -> dict[str, Any]:
    details = {"output": output_text(output), "output_type": OUTPUT_TYPE, "id": user_id, "userMessage": []}
    return {"code": "success", "details": details, "message": SUCCESS_MESSAGE}


def auth_type(value: str | None) -> str:
    """The call's ``auth_type``: INVALID_REQUEST when missing or unknown (the OAS's 400)."""
    if value not in AUTH_TYPES:
        raise ZohoError("INVALID_REQUEST", {"api_name": "auth_type", "supported_values": list(AUTH_TYPES)})
    return value


def _arguments_object(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = orjson.loads(raw) if raw.strip() else {}
        except orjson.JSONDecodeError:
            raw = None
    if not isinstance(raw, dict):
        raise ZohoError("INVALID_DATA", {"api_name": "arguments", "expected_data_type": "jsonobject"})
    return raw


def arguments(query_value: str | None, body: bytes, content_type: str) -> dict[str, Any]:
    """The call's arguments: the query's ``arguments``, then the body's (form field or JSON key)."""
    merged: dict[str, Any] = {}
    if query_value is not None:
        merged.update(_arguments_object(query_value))
    body_value = _body_arguments(body, content_type)
    if body_value is not None:
        merged.update(_arguments_object(body_value))
    return merged


def _body_arguments(body: bytes, content_type: str) -> Any:
    if not body.strip():
        return None
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)).get("arguments")
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ZohoError("INVALID_DATA", {"api_name": "body", "expected_data_type": "jsonobject"}) from None
    return parsed.get("arguments") if isinstance(parsed, dict) else None


def public(data: Mapping[str, Any]) -> dict[str, Any]:
    """A registration as the control plane shows it."""
    return {key: data[key] for key in ("id", "name", "kind", "url", "output", "zapikey", "user_id") if key in data}
