"""Who may call the control plane (``/_emulator/...``), which can mint an all-scope admin token:

* with an admin key set (``--admin-key`` or ``ZCRM_ADMIN_KEY``): any client that sends it in
  ``X-Emulator-Admin-Key`` (compared in constant time); a page in a browser can't know it;
* without one: loopback clients only, and only under a ``Host`` this server is known by (a DNS
  rebinding page reaches loopback under its own name: origins.py);
* either way, never from another site's page (``Origin``), and a write's body only as
  ``application/json``: a browser sends a cross-site JSON request only after a CORS preflight, which
  this server never grants, while a form or ``text/plain`` post needs none.

Refusals use the Zoho envelope, as the rest of the control plane does.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from zcrm_emulator import origins
from zcrm_emulator.config import Settings
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import holds_unpaired_surrogate
from zcrm_emulator.wire import parse_object

ADMIN_KEY_HEADER = "x-emulator-admin-key"
ADMIN_PERMISSION = {"permissions": ["emulator_admin"]}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_MEDIA = "application/json"


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in ("testclient", "localhost")


def _key_matches(offered: str, key: str) -> bool:
    return hmac.compare_digest(offered.encode(), key.encode())


def sends_key(request: Request, key: str) -> bool:
    """The request carries the admin key in ``X-Emulator-Admin-Key``."""
    return _key_matches(request.headers.get(ADMIN_KEY_HEADER, ""), key)


def admit(
    request: Request,
    settings: Settings,
    proves_key: Callable[[Request, str], bool] = sends_key,
    *,
    check_origin: bool = True,
) -> None:
    """Raise the refusal of a caller the control plane (or the console, which follows the same
    rule) must not take. ``proves_key``: how a caller shows it holds the admin key (the console
    also takes its sign-in cookie); ``check_origin=False`` only for a page a provider's redirect
    lands on, which a browser reports as cross-site."""
    key = settings.admin_key
    if key is not None:
        if not proves_key(request, key):
            raise ZohoError("AUTHENTICATION_FAILURE")
    elif not _is_loopback(request):
        raise ZohoError("NO_PERMISSION", ADMIN_PERMISSION, Message.CONTROL_LOOPBACK_ONLY)
    elif not origins.known_host(request, settings):
        raise ZohoError("NO_PERMISSION", ADMIN_PERMISSION, Message.CONTROL_FOREIGN_HOST)
    if check_origin and not origins.same_origin(request, settings.base_url):
        raise ZohoError("NO_PERMISSION", ADMIN_PERMISSION, Message.CONTROL_FOREIGN_ORIGIN)


async def authorize(request: Request, settings: Settings) -> None:
    """Raise the refusal of a request the control plane must not take; return when it may."""
    admit(request, settings)
    if request.method in WRITE_METHODS:
        await _require_json(request)


async def _require_json(request: Request) -> None:
    """A write carries JSON (``application/json``) or nothing at all (no body, no Content-Type)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == JSON_MEDIA:
        return
    if media or (await request.body()).strip():
        raise ZohoError("UNSUPPORTED_MEDIA_TYPE", {"supported_content_types": [JSON_MEDIA]})


async def read_object(request: Request) -> dict[str, Any]:
    """A control-plane body: a JSON object, or ``{}`` when there is none. Text that no store can hold
    (a lone surrogate) is refused here, since these bodies skip the resources' validation specs."""
    raw = await request.body()
    body = parse_object(raw) if raw.strip() else {}
    if holds_unpaired_surrogate(body):
        raise ZohoError("INVALID_DATA", {"expected_data_type": "jsonobject"}, Message.BODY)
    return body
