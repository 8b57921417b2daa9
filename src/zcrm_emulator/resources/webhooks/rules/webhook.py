"""One webhook of a create or update (a full replacement), checked key by key in Zoho's terms
(AUTOMATION.md §2.2, OASx createWebhooks and updateWebhooks), under the server's webhook policy.

What needs the store (modules and their fields, connections, where a host points) comes in as
``Lookups``; the result is the webhook's settable keys, normalized as GET shows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.resources.webhooks.rules import checks, formats, merge, parameters
from zcrm_emulator.resources.webhooks.rules.policy import WebhookPolicy
from zcrm_emulator.validation import at

DESCRIPTION_MAX = 500
CONNECTION_NAME_MAX = 255
FORMAT_MAX = 255
FEATURE_TYPES = (
    "workflow",
    "approval_process",
    "blueprint_transition",
    "blueprint_state",
    "assignment_rules",
    "kiosk",
    "commandcenter_service",
)
AUTHENTICATION_TYPES = ("general", "connection")
# Which parts each method takes (Doc:create-webhook): the others are DEPENDENT_MISMATCH.
PARTS = ("headers", "url_parameters", "body")
METHOD_PARTS: dict[str, frozenset[str]] = {
    "POST": frozenset({"headers", "body"}),
    "PUT": frozenset({"headers", "body"}),
    "GET": frozenset({"url_parameters"}),
    "DELETE": frozenset({"url_parameters", "headers"}),
}
URL_STARTS = ("http://", "https://", "www.")
_HOST = re.compile(r"[a-z0-9][a-z0-9.-]*|[0-9a-f:.]+")  # lower-cased by urlsplit; IPv6 without brackets
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ModuleInfo:
    id: str
    api_name: str
    supported: bool  # may have webhooks (AUTOMATION.md §2.2: not Notes or Call Logs)
    field_names: tuple[str, ...]


@dataclass(frozen=True)
class Lookups:
    """What a webhook is checked against, from the store."""

    module_by_id: Callable[[str], ModuleInfo | None]
    module_by_name: Callable[[str], ModuleInfo | None]
    connection_exists: Callable[[str], bool]
    private_host: Callable[[str], bool] | None  # None: the outbound policy lets any host through


def _name(item: Mapping[str, Any], path: str, policy: WebhookPolicy) -> str:
    name = checks.text(item, "name", path, max_length=policy.name_max, long_message=Message.WEBHOOK_NAME_TOO_LONG)
    if name is None or not name.strip():
        raise checks.missing(path, "name")
    if "#" in name or "%" in name:
        raise ZohoError("INVALID_DATA", {"api_name": "name"}, Message.WEBHOOK_NAME_HASH_PERCENT)
    unfit = policy.name_pattern is not None and not policy.name_pattern.fullmatch(name)
    if "~" in name or _CONTROL.search(name) or unfit:
        raise ZohoError("INVALID_DATA", {"api_name": "name"}, Message.WEBHOOK_NAME_SPECIAL)
    return name.strip()


def module_ref(item: Mapping[str, Any], key: str, path: str, lookups: Lookups) -> ModuleInfo | None:
    """A ``{api_name, id}`` module reference: at least one of them, both naming the same module."""
    ref = checks.obj(item, key, path)
    if ref is None:
        return None
    inner = f"{path}.{key}"
    raw_id, api_name = ref.get("id"), checks.text(ref, "api_name", inner, max_length=255)
    if raw_id is None and not api_name:
        expected = [at(inner, "api_name"), at(inner, "id")]
        raise ZohoError("EXPECTED_FIELD_MISSING", {"expected_fields": expected}, Message.WEBHOOK_MODULE_EXPECTED)
    by_id = None
    if raw_id is not None:
        module_id = normalize_id(raw_id)
        if module_id is None:
            raise checks.wrong_type(inner, "id", "bigint")
        by_id = lookups.module_by_id(module_id)
        if by_id is None:
            raise checks.invalid(inner, "id", Message.UNKNOWN_MODULE_ID)
    by_name = lookups.module_by_name(api_name) if api_name else None
    if api_name and by_name is None:
        ambiguity = {"ambiguity_due_to": [at(inner, "api_name")]}
        raise ZohoError("AMBIGUITY_DURING_PROCESSING", ambiguity, Message.WEBHOOK_MODULE_NAME_INVALID)
    if by_id is not None and by_name is not None and by_id.id != by_name.id:
        ambiguity = {"ambiguity_due_to": [at(inner, "id"), at(inner, "api_name")]}
        raise ZohoError("AMBIGUITY_DURING_PROCESSING", ambiguity, Message.WEBHOOK_MODULE_AMBIGUOUS)
    return by_id or by_name


def _module(item: Mapping[str, Any], path: str, lookups: Lookups, stored_module_id: str | None) -> ModuleInfo:
    module = module_ref(item, "module", path, lookups)
    if module is None:
        raise checks.missing(path, "module")
    if stored_module_id is not None and module.id != stored_module_id:
        raise ZohoError("NOT_ALLOWED", at(path, "module"), Message.WEBHOOK_MODULE_FIXED)
    if not module.supported:
        raise ZohoError("NOT_ALLOWED", at(path, "module"), Message.WEBHOOK_MODULE_NOT_SUPPORTED)
    return module


def url_host(url: str) -> tuple[str | None, int | None] | None:
    """(host, port) of a webhook URL, or None when it is not one Zoho takes: http(s)://, www. or a
    merge token first, no spaces, a host name or IP address. The host is None where a merge token
    stands for it (it is known only when the webhook fires)."""
    if any(c.isspace() for c in url):
        return None
    if url.startswith(merge.OPENING):
        return None, None
    lowered = url.lower()
    if not lowered.startswith(URL_STARTS):
        return None
    target = "http://" + url if lowered.startswith("www.") else url
    try:
        parts = urlsplit(merge.TOKEN.sub("token", target))
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is no number, an unclosed IPv6 bracket
        return None
    if not host or not _HOST.fullmatch(host):
        return None
    return (None if merge.OPENING in urlsplit(target).netloc else host), port


def _url(item: Mapping[str, Any], path: str, policy: WebhookPolicy, lookups: Lookups, fields: merge.MergeFields) -> str:
    value = item.get("url")
    if value is None:
        raise checks.missing(path, "url")
    if not isinstance(value, str):
        raise checks.wrong_type(path, "url", "website")
    if not value.strip():
        raise checks.invalid(path, "url", Message.WEBHOOK_URL_EMPTY)
    url = checks.text(item, "url", path, max_length=policy.url_max)
    assert url is not None
    where = url_host(url)
    if where is None or (policy.ports is not None and where[1] is not None and where[1] not in policy.ports):
        raise checks.invalid(path, "url", Message.WEBHOOK_URL_INVALID)
    merge.check(url, fields, path, "url")
    host = where[0]
    if host is not None and lookups.private_host is not None and lookups.private_host(host):
        raise checks.invalid(path, "url", Message.WEBHOOK_URL_NOT_SECURE)
    return url


def _method(item: Mapping[str, Any], path: str, policy: WebhookPolicy) -> str:
    method = checks.text(item, "http_method", path, max_length=255)
    if method is None:
        raise checks.missing(path, "http_method", Message.WEBHOOK_METHOD_MISSING)
    if method not in policy.methods:
        raise checks.invalid(path, "http_method", Message.WEBHOOK_METHOD_INVALID)
    return method


def _authentication(item: Mapping[str, Any], path: str, lookups: Lookups) -> dict[str, str]:
    """``{type, connection_name}``: a connection needs a name that exists, general none. Zoho's own
    json_path for the name is spelled ``connetion_name``."""
    auth = checks.obj(item, "authentication", path, mandatory=True)
    assert auth is not None
    inner = f"{path}.authentication"
    kind = checks.text(auth, "type", inner, max_length=255)
    if kind is None:
        raise checks.missing(inner, "type")
    if kind not in AUTHENTICATION_TYPES:
        raise checks.invalid(inner, "type", supported_values=list(AUTHENTICATION_TYPES))
    name = (checks.text(auth, "connection_name", inner, max_length=CONNECTION_NAME_MAX) or "").strip()
    name_at = {"api_name": "connection_name", "json_path": f"{inner}.connetion_name"}
    if (kind == "connection") != bool(name):
        details = {"dependee": name_at, **at(inner, "type")}
        raise ZohoError("DEPENDENT_MISMATCH", details, Message.WEBHOOK_AUTH_MISMATCH)
    if name and not lookups.connection_exists(name):
        raise ZohoError("INVALID_DATA", name_at, Message.WEBHOOK_CONNECTION_UNKNOWN)
    return {"type": kind, "connection_name": name}


def _feature(item: Mapping[str, Any], path: str) -> str:
    feature = checks.choice(item, "feature_type", path, FEATURE_TYPES, Message.WEBHOOK_FEATURE_INVALID)
    if feature is None:
        raise checks.missing(path, "feature_type")
    return feature


def _related_module(item: Mapping[str, Any], path: str, feature: str, lookups: Lookups) -> dict[str, str] | None:
    related = module_ref(item, "related_module", path, lookups)
    if related is None and feature == "kiosk":
        details = {**at(path, "related_module"), "dependee": at(path, "feature_type")}
        raise ZohoError("DEPENDENT_FIELD_MISSING", details, Message.WEBHOOK_KIOSK_RELATED_MODULE)
    return {"api_name": related.api_name, "id": related.id} if related is not None else None


def _parts(
    item: Mapping[str, Any], path: str, method: str, policy: WebhookPolicy, fields: merge.MergeFields
) -> dict[str, Any]:
    """``headers``, ``url_parameters`` and ``body``: only those the method takes (null otherwise)."""
    clean: dict[str, Any] = dict.fromkeys(PARTS)
    for part in PARTS:
        if checks.absent(item.get(part)):
            continue
        if part not in METHOD_PARTS[method]:
            details = {**at(path, "http_method"), "dependee": at(path, part)}
            raise ZohoError("DEPENDENT_MISMATCH", details, Message.WEBHOOK_PART_MISMATCH)
        value = checks.obj(item, part, path)
        assert value is not None
        check = {"headers": parameters.headers, "url_parameters": parameters.url_parameters, "body": parameters.body}
        clean[part] = check[part](value, f"{path}.{part}", policy, fields)
    return clean


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _date_time_format(item: Mapping[str, Any], path: str) -> dict[str, str] | None:
    given = checks.obj(item, "date_time_format", path)
    if not given:
        return None
    inner = f"{path}.date_time_format"
    rules: dict[str, tuple[Callable[[str], bool], Message]] = {
        "date_format": (formats.valid_date_format, Message.WEBHOOK_DATE_FORMAT),
        "datetime_format": (formats.valid_datetime_format, Message.WEBHOOK_DATETIME_FORMAT),
        "time_zone": (valid_zone, Message.WEBHOOK_TIME_ZONE),
    }
    clean: dict[str, str] = {}
    for key, (valid, message) in rules.items():
        value = checks.text(given, key, inner, max_length=FORMAT_MAX)
        if value is None:
            continue
        if not valid(value):
            raise checks.invalid(inner, key, message)
        clean[key] = value
    return clean or None


def check_webhook(
    item: Any, path: str, policy: WebhookPolicy, lookups: Lookups, *, stored_module_id: str | None = None
) -> dict[str, Any]:
    """The webhook's settable keys, checked and normalized (``stored_module_id``: an update's
    webhook, whose module may not change)."""
    if not isinstance(item, dict):
        raise ZohoError("INVALID_DATA", {"json_path": path, "expected_data_type": "jsonobject"})
    name = _name(item, path, policy)
    module = _module(item, path, lookups, stored_module_id)
    fields = merge.MergeFields.of(module.api_name, module.field_names)
    url = _url(item, path, policy, lookups, fields)
    method = _method(item, path, policy)
    authentication = _authentication(item, path, lookups)
    feature = _feature(item, path)
    related = _related_module(item, path, feature, lookups)
    description = checks.text(item, "description", path, max_length=DESCRIPTION_MAX)
    return {
        "name": name,
        "module": {"api_name": module.api_name, "id": module.id},
        "related_module": related,
        "description": description,
        "url": url,
        "http_method": method,
        "feature_type": feature,
        **_parts(item, path, method, policy, fields),
        "date_time_format": _date_time_format(item, path),
        "authentication": authentication,
    }


NOT_WEBHOOK_MODULES = frozenset({"Notes", "Calls"})  # "not Notes or Call Logs" (Doc:create-webhook)
WEBHOOK_MODULE_TYPES = frozenset({"default", "custom"})


def supports_webhooks(api_name: str, generated_type: str, module: Mapping[str, Any]) -> bool:
    """Modules whose records trigger automation (``triggers_supported``), but Notes and Calls."""
    return (
        generated_type in WEBHOOK_MODULE_TYPES
        and bool(module.get("api_supported"))
        and bool(module.get("triggers_supported"))
        and api_name not in NOT_WEBHOOK_MODULES
    )


def only_item(body: Mapping[str, Any], envelope: str) -> Any:
    """The one webhook of a create or update body (``maxItems: 1``)."""
    where = {"api_name": envelope, "json_path": f"$.{envelope}"}
    items = body.get(envelope)
    if items is None or items == []:
        raise ZohoError("MANDATORY_NOT_FOUND", where, Message.WEBHOOK_FIELD_MISSING)
    if not isinstance(items, list):
        raise ZohoError("INVALID_DATA", {**where, "expected_data_type": "jsonarray"}, Message.WEBHOOK_DATA_TYPE)
    if len(items) > 1:
        raise ZohoError("LIMIT_EXCEEDED", {**where, "limit": 1}, Message.WEBHOOK_LIMIT)
    return items[0]
