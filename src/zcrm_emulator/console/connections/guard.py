"""Who may use the console pages, and their forms' CSRF tokens (no HTTP handlers here).

* Access: the control plane's rule (``control.access.admit``). With an admin key a browser proves
  it holds the key by the sign-in cookie, an HMAC of the key (``/console/sign-in``), since it cannot
  send the header; scripts may still send ``X-Emulator-Admin-Key``.
* CSRF: each browser gets a random cookie; a form's token is an HMAC of it under the database's
  console key, so a page on another site can neither read nor make one. Posts must also pass the
  Origin check.
* ``SameSite=Lax`` on every cookie: a provider's redirect back to the callback is a top-level
  navigation from another site, which Lax cookies follow and ``Strict`` ones do not.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

from zcrm_emulator.config import Settings
from zcrm_emulator.control import access
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.pages import PageError

SESSION_COOKIE = "zcrm_console_session"
CSRF_COOKIE = "zcrm_console_csrf"
STATE_COOKIE = "zcrm_connection_state"
CONSOLE_PATH = "/console"
SIGN_IN_PATH = "/console/sign-in"

NOT_SIGNED_IN = PageError("Sign In Required", "Sign in at /console/sign-in with the emulator's admin key.", 401)
FORBIDDEN = PageError("Not Allowed", "The console answers this machine only (loopback), under its own names.", 403)
FOREIGN_FORM = PageError("Invalid Request", "This form was not sent from the console's own page.", 403)


def session_value(admin_key: str) -> str:
    return hmac.new(admin_key.encode(), b"zcrm-console-session", hashlib.sha256).hexdigest()


def _proves_key(request: Request, key: str) -> bool:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    return access.sends_key(request, key) or hmac.compare_digest(cookie.encode(), session_value(key).encode())


def admit(request: Request, settings: Settings, *, check_origin: bool = True) -> None:
    """PageError (401 without the key, 403 otherwise) for a caller the console must not serve."""
    try:
        access.admit(request, settings, _proves_key, check_origin=check_origin)
    except ZohoError as refusal:
        if refusal.code == "AUTHENTICATION_FAILURE":
            raise NOT_SIGNED_IN from None
        if refusal.message == Message.CONTROL_FOREIGN_ORIGIN:
            raise FOREIGN_FORM from None
        raise FORBIDDEN from None


def secure(settings: Settings) -> bool:
    return settings.base_url.startswith("https://")


def set_cookie(response: Response, settings: Settings, name: str, value: str, path: str, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=path, httponly=True, samesite="lax", secure=secure(settings))


# --- CSRF -------------------------------------------------------------------------------------------


def browser_nonce(request: Request) -> tuple[str, bool]:
    """The browser's CSRF cookie, and whether it is new (to be set on the response)."""
    given = request.cookies.get(CSRF_COOKIE, "")
    if len(given) >= 32:
        return given, False
    return secrets.token_urlsafe(32), True


def form_token(key: bytes, nonce: str) -> str:
    return hmac.new(key, f"console-form|{nonce}".encode(), hashlib.sha256).hexdigest()


def check_form(key: bytes, request: Request, form: Mapping[str, str]) -> None:
    """The form came from a console page in this browser (FOREIGN_FORM otherwise)."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    given = form.get("csrf_token", "")
    if not nonce or not hmac.compare_digest(given.encode(), form_token(key, nonce).encode()):
        raise FOREIGN_FORM
