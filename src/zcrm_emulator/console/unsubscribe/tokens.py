"""The signed recipient token of a hosted unsubscribe URL, and the page's form token (plain
functions: no HTTP, no SQL).

A recipient token names one record of one org for one unsubscribe link::

    r = <org_id>.<module api_name>.<record_id>.<signature>
    signature = base64url(HMAC-SHA256(secret, "unsubscribe|<link_id>|<org_id>|<module>|<record_id>"))

``secret`` is the emulator's own signing key (kept in the database, repo.py), so a recipient who
edits the org, module, record or link in the URL gets a token that no longer verifies. Module api
names hold only letters, digits and underscores and ids only digits, so ``.`` separates the parts.

The form token guards the submission (CSRF): HMAC of the recipient token under another purpose
string. Only the server can make it and only a page that already holds ``r`` is given it, so a
submission can only follow the hosted page (or the redirect to the org's custom page).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

_ID = re.compile(r"[1-9][0-9]{0,24}")
_MODULE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")  # as wide as modules.api_name (64)
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 bytes, base64url without padding


@dataclass(frozen=True)
class Recipient:
    """Who a hosted unsubscribe URL is for."""

    org_id: str
    module: str  # api name
    record_id: str


def _mac(secret: bytes, *parts: str) -> str:
    digest = hmac.new(secret, "|".join(parts).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(secret: bytes, link_id: str, recipient: Recipient) -> str:
    """The ``r`` value of the URL for this link and recipient."""
    signature = _mac(secret, "unsubscribe", link_id, recipient.org_id, recipient.module, recipient.record_id)
    return f"{recipient.org_id}.{recipient.module}.{recipient.record_id}.{signature}"


def parse(raw: str | None) -> tuple[Recipient, str] | None:
    """The recipient a token names and its signature, or None when it is not a token at all."""
    if not raw:
        return None
    parts = raw.split(".")
    if len(parts) != 4:
        return None
    org_id, module, record_id, signature = parts
    if not (_ID.fullmatch(org_id) and _MODULE.fullmatch(module) and _ID.fullmatch(record_id)):
        return None
    if not _SIGNATURE.fullmatch(signature):
        return None
    return Recipient(org_id, module, record_id), signature


def verify(secret: bytes, link_id: str, raw: str | None) -> Recipient | None:
    """The recipient of a genuine token for this link; None for anything else (compared in
    constant time)."""
    parsed = parse(raw)
    if parsed is None:
        return None
    recipient, _ = parsed
    return recipient if hmac.compare_digest(sign(secret, link_id, recipient), raw or "") else None


def form_token(secret: bytes, link_id: str, raw_recipient: str) -> str:
    """The submission's CSRF token for this link and recipient token."""
    return _mac(secret, "unsubscribe-form", link_id, raw_recipient)


def form_token_matches(secret: bytes, link_id: str, raw_recipient: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(form_token(secret, link_id, raw_recipient), given or "")
