"""The accounts server's errors: one class per wire error, raised deep, rendered in one place.

Zoho Accounts differs from RFC 6749 here (REFERENCE §2.4, §8 item 1): token-endpoint errors come back
with **HTTP 200** and a small JSON body, ``{"error": "invalid_code"}``; throttling answers 200 with
``{"error": "Access Denied", "error_description": …, "status": "failure"}``. Browser-facing endpoints
(the consent page) answer problems they cannot redirect with an HTML page instead.

    AccountsError               JSON body, HTTP 200 (token, revoke and scope-enhance endpoints)
    ├── InvalidClient           unknown client_id, or a grant_type this client/endpoint does not take
    ├── InvalidClientSecret     wrong client_secret
    ├── InvalidCode             grant code unknown, used, expired, or not this client's; unknown or
    │                           revoked refresh token; PKCE verifier that does not match
    ├── InvalidRedirectUri      redirect_uri differs from the one the code was issued for
    ├── MissingOrgInfo          client_credentials without a usable ``soid``
    ├── InvalidScope            client_credentials with a missing or unknown scope
    ├── InvalidRequest          a required parameter is missing (revoke without ``token``)
    ├── AccessDenied            grant codes per client exhausted (Self Client code generation)
    └── Throttled               "Access Denied": too many tokens minted in the window
    (pages.PageError            an HTML error page: unknown client, redirect_uri mismatch, bad scope)
"""

from __future__ import annotations

from typing import Any, ClassVar


class AccountsError(Exception):
    """An error of the token endpoints: ``{"error": <code>}`` with HTTP 200."""

    error: ClassVar[str]
    description: ClassVar[str]  # for people reading the CLI's or control plane's answer

    def body(self) -> dict[str, Any]:
        return {"error": self.error}

    def __str__(self) -> str:
        return f"{self.error}: {self.description}"


class InvalidClient(AccountsError):
    error = "invalid_client"
    description = "the client_id is unknown, or this client cannot use this grant_type"


class InvalidClientSecret(AccountsError):
    error = "invalid_client_secret"
    description = "the client_secret does not belong to this client"


class InvalidCode(AccountsError):
    error = "invalid_code"
    description = "the code or refresh token is unknown, used, expired or revoked"


class InvalidRedirectUri(AccountsError):
    error = "invalid_redirect_uri"
    description = "the redirect_uri is not the one the code was issued for"


class MissingOrgInfo(AccountsError):
    error = "missing_org_info"
    description = "client_credentials needs soid=ZohoCRM.<org id> of the client's org"


class InvalidScope(AccountsError):
    error = "invalid_scope"
    description = "the scope is missing or not a known Zoho CRM scope"


class InvalidRequest(AccountsError):
    error = "invalid_request"
    description = "a required parameter is missing"


class AccessDenied(AccountsError):
    error = "access_denied"
    description = "too many grant codes for this client; try again after some time"


class Throttled(AccountsError):
    error = "Access Denied"
    description = "You have made too many requests continuously. Please try again after some time."

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.description, "status": "failure"}
