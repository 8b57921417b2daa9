"""The console forms of connections: what a submitted form means as an item for the domain
(``zcrm_emulator.connections``), and a refusal in words a person reads beside the form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from zcrm_emulator.connections import rules
from zcrm_emulator.errors import ZohoError

OAUTH2_KEYS = ("client_id", "client_secret", "authorize_url", "token_url", "refresh_url", "scope_delimiter")
LABELS = {
    "service_name": "Service Name",
    "service_link_name": "Service Link Name",
    "auth_type": "Authentication Type",
    "param_type": "Param Type",
    "client_id": "Client ID",
    "client_secret": "Client Secret",
    "authorize_url": "Authorize URL",
    "token_url": "Access Token URL",
    "refresh_url": "Refresh Token URL",
    "scopes": "Scopes",
    "scope_delimiter": "Scope Delimiter",
    "api_key_params": "API Key Parameters",
    "key": "Parameter Key",
    "display_name": "Display Name",
    "connection_name": "Connection Name",
    "connection_link_name": "Connection Link Name",
    "username": "User Name",
    "password": "Password",
    "credentials": "Credentials",
}
LINK_NAMES = ("service_link_name", "connection_link_name")
PARAM_PREFIX = "param."  # an API-key value's form field: "param.<parameter key>"
_SCOPE_SPLIT = re.compile(r"[\s,]+")


def _text(form: Mapping[str, str], name: str) -> str:
    return (form.get(name) or "").strip()


def scope_list(text: str) -> list[str]:
    """Scopes as typed: separated by commas, spaces or new lines."""
    return [scope for scope in _SCOPE_SPLIT.split(text) if scope]


def api_key_params(text: str) -> list[dict[str, str]]:
    """API-key parameters typed one a line: ``key`` or ``key | Display Name``."""
    params = []
    for line in text.splitlines():
        key, _, display = line.partition("|")
        if key.strip():
            params.append({"key": key.strip(), "display_name": display.strip() or key.strip()})
    return params


def service_item(form: Mapping[str, str]) -> dict[str, Any]:
    """The custom-service form as the domain's item: only the keys of the chosen auth type."""
    item: dict[str, Any] = {
        name: _text(form, name) for name in ("service_name", "service_link_name", "auth_type", "param_type")
    }
    if item["auth_type"] == rules.OAUTH2:
        item.update({name: _text(form, name) for name in OAUTH2_KEYS if _text(form, name)})
        item["scopes"] = scope_list(form.get("scopes") or "")
    elif item["auth_type"] == rules.API_KEY:
        item["api_key_params"] = api_key_params(form.get("api_key_params") or "")
    return {name: value for name, value in item.items() if value not in ("", None)}


def connection_item(form: Mapping[str, str], service: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "connection_name": _text(form, "connection_name"),
        "connection_link_name": _text(form, "connection_link_name"),
        "service_link_name": service["service_link_name"],
    }
    if service["auth_type"] == rules.OAUTH2:
        item["scopes"] = scope_list(form.get("scopes") or "")
    return item


def credentials(form: Mapping[str, str], service: Mapping[str, Any]) -> dict[str, str]:
    """The values asked for when connecting an API-key or Basic service (``{}`` for OAuth 2)."""
    if service["auth_type"] == rules.API_KEY:
        return {p["key"]: form.get(PARAM_PREFIX + p["key"]) or "" for p in service["api_key_params"]}
    if service["auth_type"] == rules.BASIC:
        return {"username": form.get("username") or "", "password": form.get("password") or ""}
    return {}


def problem_text(error: ZohoError, service: Mapping[str, Any] | None = None) -> str:
    """A refusal of the domain's rules in words, naming the form's field."""
    details = error.details
    name = str(details.get("api_name") or "")
    shown = {p["key"]: p["display_name"] for p in (service or {}).get("api_key_params") or []}
    label = shown.get(name) or LABELS.get(name, name or "A value")
    if error.code in ("MANDATORY_NOT_FOUND", "DEPENDENT_FIELD_MISSING"):
        return f"{label} is required."
    if error.code == "DUPLICATE_DATA":
        if name == "api_key_params":
            return "API Key Parameters names one key twice."
        return f"{label} is already in use."
    if error.code == "LIMIT_EXCEEDED":
        return f"{label} can hold at most {details.get('limit')} entries."
    if "maximum_length" in details:
        return f"{label} can be at most {details['maximum_length']} characters long."
    if "minimum_length" in details:
        return f"{label} is required."
    if "supported_values" in details:
        allowed = ", ".join(_choice_label(str(v)) for v in details["supported_values"])
        return f"{label} must be one of: {allowed}."
    if details.get("expected_data_type") == "website":
        return f"{label} must be an http:// or https:// address."
    if name in LINK_NAMES:
        reserved = ", ".join(sorted(rules.RESERVED_LINK_NAMES))
        return (
            f"{label} must start with a lower-case letter, hold only lower-case letters, digits and underscores,"
            f" and not be one of the console's page names ({reserved})."
        )
    if name == "username":
        return "User Name must not contain a colon."
    return f"{label} is not valid."


def _choice_label(value: str) -> str:
    return rules.AUTH_TYPES.get(value) or rules.PARAM_TYPE_LABELS.get(value) or value
