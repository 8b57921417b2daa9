"""OAuth clients as Zoho's API console makes them (REFERENCE §2.2; Zoho Accounts "Register your app").

Kinds: **Server-based** (name, homepage URL, one or more authorized redirect URIs; authorization-code
flow) and **Self Client** (no redirect; one per user, made the first time the user asks for a grant
code; authorization-code flow with console-made codes, and client credentials). Ids look like
Zoho's, ``1000.`` and 30 upper-case letters and digits; secrets are 42 hex digits.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import TYPES, Invalid, Key, Spec, at

SERVER = "server"
SELF = "self"
KIND_LABELS = {SERVER: "Server-based Applications", SELF: "Self Client"}
SELF_CLIENT_NAME = "Self Client"

CLIENT_ID_PREFIX = "1000."
_ID_ALPHABET = string.ascii_uppercase + string.digits


def new_client_id() -> str:
    return CLIENT_ID_PREFIX + "".join(secrets.choice(_ID_ALPHABET) for _ in range(30))


def new_client_secret() -> str:
    return secrets.token_hex(21)


@dataclass(frozen=True)
class Client:
    id: str
    org_id: str
    kind: str
    name: str
    homepage_url: str | None
    redirect_uris: tuple[str, ...]
    self_user_id: str | None
    created_ms: int

    def public(self) -> dict[str, Any]:
        """How the control plane and ``client list`` show a client (never a secret)."""
        return {
            "client_id": self.id,
            "client_type": self.kind,
            "client_name": self.name,
            "homepage_url": self.homepage_url,
            "redirect_uris": list(self.redirect_uris),
            "user_id": self.self_user_id,
            "org_id": self.org_id,
            "created_ms": self.created_ms,
        }


@dataclass(frozen=True)
class NewClient:
    name: str
    homepage_url: str
    redirect_uris: tuple[str, ...]


# The console's form for a Server-based client: every field required (Accounts "Client registration").
SERVER_CLIENT_SPEC = Spec(
    (
        Key("client_name", mandatory=True, min_length=1),
        Key("homepage_url", type="url", mandatory=True),
        Key("redirect_uris", type="array", mandatory=True, min_items=1),
    )
)


def check_redirect_uri(value: Any, json_path: str) -> str:
    """An authorized redirect URI: absolute http(s), no fragment (it is matched exactly later)."""
    try:
        uri = TYPES["url"].convert(value)
    except Invalid:
        raise ZohoError("INVALID_DATA", at(json_path, "redirect_uris", expected_data_type="website")) from None
    if urlsplit(uri).fragment or "#" in uri:
        raise ZohoError("INVALID_DATA", at(json_path, "redirect_uris"), Message.REDIRECT_FRAGMENT)
    return str(uri)


def validate_server_client(body: dict[str, Any]) -> NewClient:
    """A Server-based client's fields, or Zoho's MANDATORY_NOT_FOUND / INVALID_DATA."""
    clean = SERVER_CLIENT_SPEC.check(body, "$")
    uris = [check_redirect_uri(uri, "$") for uri in clean["redirect_uris"]]
    return NewClient(clean["client_name"].strip(), clean["homepage_url"].strip(), tuple(dict.fromkeys(uris)))
