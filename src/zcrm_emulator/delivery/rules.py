"""How the emulator sends requests out (webhooks, watch callbacks, connection tests): the policy and
what counts as a failure. Zoho documents none of it (AUTOMATION.md §2.7, §5.2, §9 #5 #10); the
choices are in docs/decisions.md.

* Attempts: one by default, as AUTOMATION.md's emulator default says; ``--delivery-attempts N``
  retries a failed one after ``backoff_ms``, doubling each time.
* Timeout: 10 s per attempt (Deluge's connection timeout); redirects are not followed.
* Failure: a network error, a timeout, or a status outside 2xx. Its ``failure_reason`` is Zoho's
  symbolic kind (``page_notfound`` for 404, as the webhook failure log shows).
* Where requests may go (``outbound``): ``permissive`` (default) sends to any host, loopback and
  private ones included, since a developer's receiver lives there; ``strict`` refuses loopback,
  private, link-local and reserved addresses as Zoho's SSRF check does ("Url you've configured is
  not secure").
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

OUTBOUND_POLICIES = ("permissive", "strict")
MODES = ("async", "sync")
USER_AGENT = "ZohoCRM-Emulator-Webhook"
RESPONSE_KEPT_CHARS = 2000


@dataclass(frozen=True)
class DeliveryPolicy:
    attempts: int = 1
    backoff_ms: int = 1000
    timeout_s: float = 10.0
    outbound: str = "permissive"

    def next_attempt_after_ms(self, attempts_made: int) -> int:
        """The wait before attempt ``attempts_made + 1`` (after ``attempts_made`` failed ones)."""
        return self.backoff_ms << max(0, attempts_made - 1)


def failure_reason(status_code: int | None, error: str | None) -> str | None:
    """None for a delivered request; else the failure log's symbolic reason."""
    if error is not None:
        return "timeout" if "timed out" in error.lower() else "connection_failure"
    assert status_code is not None
    if 200 <= status_code < 300:
        return None
    if status_code == 404:
        return "page_notfound"
    if status_code in (401, 403):
        return "authentication_failure"
    if 500 <= status_code < 600:
        return "server_error"
    return "invalid_response"


def _private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified


def is_private_host(host: str) -> bool:
    """The host is, or resolves to, an address Zoho's SSRF check refuses. A name that does not
    resolve here counts as private: it cannot be shown to be public."""
    host = host.strip("[]").lower()
    if host in ("localhost",) or host.endswith(".localhost"):
        return True
    try:
        return _private(host)
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return True
    return any(_private(str(address).split("%")[0]) for address in addresses)


def refused_by(policy: DeliveryPolicy, url: str) -> bool:
    """Whether ``policy`` refuses to send to ``url`` (only the strict policy refuses anything)."""
    if policy.outbound != "strict":
        return False
    return is_private_host(urlsplit(url).hostname or "")
