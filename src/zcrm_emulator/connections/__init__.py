"""Connections: named, stored credentials the emulator attaches to requests it sends out (webhooks
with ``authentication: {type: "connection"}``, connection tests), as Zoho's Setup › Developer Hub ›
Connections keeps them (AUTOMATION.md §6).

A **service** says how to authenticate with some API (OAuth 2, an API key, Basic); a **connection**
is one set of credentials for a service, referred to by its link name. Secrets and tokens are
encrypted at rest (crypto.py). The console pages make both (console/connections/), the control plane
seeds them for tests (``/_emulator/connections``), and other packages use this API only:

    find_connection(conn, org_id, link_name) -> dict | None
        the stored connection without its secrets; None when the org has none by that link name
    credential_for(conn, clock, org_id, link_name, *, policy=None) -> Credential
        what to add to an outgoing request (``headers``, ``query``, and ``form`` fields for a form
        body), an expired OAuth 2 token refreshed first (on the emulator clock; ``policy``, the
        outbound policy a refresh request obeys); CredentialUnavailable (with a ``reason``) when
        there is nothing to add

Where a credential goes (AUTOMATION.md §9 #18, docs/decisions.md "Automation"):

* OAuth 2 — the Zoho CRM service: ``Authorization: Zoho-oauthtoken <token>`` (the only scheme the CRM
  API takes); other services: ``Authorization: Bearer <token>`` with param type header, the
  ``access_token`` query parameter with param type query (RFC 6750 §2.1, §2.3);
* API key — each parameter as a header, a query parameter or a form field, per param type;
* Basic — ``Authorization: Basic base64(user:password)``.

A refresh runs inside the caller's transaction: an HTTP request to the service's refresh URL (10 s
timeout), or for the Zoho CRM service the emulator's own token grant, run in-process on the caller's
connection (a server with one worker never waits on itself).
"""

from __future__ import annotations

from zcrm_emulator.connections.rules import Credential, CredentialUnavailable
from zcrm_emulator.connections.service import credential_for, find_connection

__all__ = ["Credential", "CredentialUnavailable", "credential_for", "find_connection"]
