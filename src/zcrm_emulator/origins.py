"""Which requests a web page in the user's browser could forge, and how the faces that change state
on a browser's word refuse them (the control plane, the consent answer, the unsubscribe form).

* **Host** (DNS rebinding): a page on ``evil.example`` whose name later resolves to 127.0.0.1 reaches
  this server with ``Host: evil.example``. The server answers state-changing browser requests only
  for the names it is known by: loopback names, the host of its public URL (``--public-url``), and
  any ``--allowed-host``.
* **Origin** (cross-site requests): a browser names the page that sent a request in ``Origin``; only
  this server's own origin (the ``Host`` it was sent to, or the public URL) is taken. Clients that
  are not browsers send no ``Origin`` and are not affected.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from zcrm_emulator.config import Settings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _hostname(netloc: str) -> str:
    try:
        return (urlsplit("//" + netloc).hostname or "").lower()
    except ValueError:  # a malformed port or bracket: no host we know
        return ""


def known_host(request: Request, settings: Settings) -> bool:
    """The ``Host`` header names this server: a loopback name (``*.localhost`` too), the public
    URL's host or an allowed host."""
    name = _hostname(request.headers.get("host", ""))
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    return name == _hostname(urlsplit(settings.public_url).netloc) or name in settings.allowed_hosts


def same_origin(request: Request, public_url: str) -> bool:
    """The request did not come from another site's page: no ``Origin`` (not a browser, or a
    same-origin GET), or an ``Origin`` whose host and port are the ``Host`` it was sent to or the
    public URL's (a proxy in front may change ``Host``)."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    ours = {request.headers.get("host", "").lower(), urlsplit(public_url).netloc.lower()}
    try:
        return urlsplit(origin).netloc.lower() in ours
    except ValueError:
        return False
