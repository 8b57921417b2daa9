"""PKCE (RFC 7636), which Zoho takes for clients that send a ``code_challenge`` (REFERENCE §2.2-2.3).

``S256``: the challenge is BASE64URL(SHA-256(verifier)) without padding; ``plain``: the challenge is
the verifier. A challenge without a method means ``plain`` (RFC 7636 §4.3).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

METHODS = ("S256", "plain")
# Verifiers and challenges: 43-128 characters of the URL-safe unreserved set (RFC 7636 §4.1).
_SHAPE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def checked_challenge(challenge: str | None, method: str | None) -> tuple[str | None, str | None]:
    """(challenge, method) of an authorization request; ValueError when malformed."""
    if not challenge:
        if method:
            raise ValueError("code_challenge_method was given without a code_challenge")
        return None, None
    method = method or "plain"
    if method not in METHODS:
        raise ValueError(f"code_challenge_method must be one of {', '.join(METHODS)}")
    if not _SHAPE.fullmatch(challenge):
        raise ValueError("code_challenge must be 43 to 128 URL-safe characters")
    return challenge, method


def challenge_of(verifier: str, method: str) -> str:
    if method == "plain":
        return verifier
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify(verifier: str | None, challenge: str, method: str) -> bool:
    if not verifier or not _SHAPE.fullmatch(verifier):
        return False
    return hmac.compare_digest(challenge_of(verifier, method).encode(), challenge.encode())
