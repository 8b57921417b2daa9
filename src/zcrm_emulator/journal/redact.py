"""What the journal keeps of a request's or response's text: secrets replaced, bodies cut short.

Redacted everywhere: the ``Authorization`` header's credential (its scheme stays), cookies and the
admin key; in query strings and form bodies the keys of ``SECRET_KEYS``; in JSON bodies the same keys
but ``code`` (there it is an error code, e.g. ``INVALID_DATA``; grant codes travel as query and form
parameters only); the query of a ``Location`` header (the consent redirect carries the grant code).
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "[redacted]"
SECRET_KEYS = frozenset(
    {
        "client_secret",
        "refresh_token",
        "code",
        "password",
        "access_token",
        "token",
        "code_verifier",
        "id_token",
        "zapikey",
    }
)
JSON_SECRET_KEYS = SECRET_KEYS - {"code"}
SECRET_HEADERS = frozenset({"cookie", "set-cookie", "x-emulator-admin-key", "proxy-authorization"})
FORM_MEDIA = "application/x-www-form-urlencoded"


def query(text: str) -> str:
    if not text:
        return ""
    pairs = parse_qsl(text, keep_blank_values=True)
    return urlencode([(k, REDACTED if k.lower() in SECRET_KEYS else v) for k, v in pairs], safe="[]")


def headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in raw:
        name, text = key.decode("latin-1").lower(), value.decode("latin-1")
        if name == "authorization":
            scheme, _, credential = text.partition(" ")
            text = f"{scheme} {REDACTED}" if credential else REDACTED
        elif name in SECRET_HEADERS:
            text = REDACTED
        elif name == "location":
            parts = urlsplit(text)
            text = urlunsplit(parts._replace(query=query(parts.query)))
        out[name] = f"{out[name]}, {text}" if name in out else text
    return out


# A JSON string member named by a secret key, at any depth, its value possibly cut short at the end.
_JSON_SECRET = re.compile(
    r'"(?P<key>' + "|".join(sorted(JSON_SECRET_KEYS)) + r')"(?P<sep>\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\\?$)',
    re.IGNORECASE,
)


_QUOTED_SECRET_KEYS = tuple(f'"{key}"' for key in sorted(JSON_SECRET_KEYS))


def _json_text(text: str) -> str:
    # Most bodies name no secret key: a plain substring scan of each quoted key is several times
    # faster than the case-blind pattern over a long answer (the 108 KB module list).
    lowered = text.lower()
    if not any(key in lowered for key in _QUOTED_SECRET_KEYS):
        return text
    return _JSON_SECRET.sub(lambda m: f'"{m["key"]}"{m["sep"]}"{REDACTED}"', text)


def body(head: bytes, size: int, content_type: str | None) -> tuple[str | None, bool]:
    """What the journal keeps of a body of ``size`` bytes from its first bytes ``head`` (None when
    empty) and whether it was cut. Redaction works on the kept text alone, without parsing the
    whole body, so a long answer costs the journal no more than its first bytes: a secret's key cut
    off at the end takes its value with it. Bytes that are not text are described, not kept."""
    if not size:
        return None, False
    media = (content_type or "").split(";")[0].strip().lower()
    try:  # a multi-byte character cut at the end is left out, any other bad byte is not text
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=size == len(head))
    except UnicodeDecodeError:
        return f"<{size} bytes of {media or 'binary data'}>", False
    text = query(text) if media == FORM_MEDIA else _json_text(text)
    return text, size > len(head)
