"""The one catalogue of Zoho CRM error codes, and the one way they reach the wire.

Every error a client can see is an entry here: its HTTP status and Zoho's message (lower-case where
Zoho writes it so). Code anywhere raises ``ZohoError(code, details)``; the gateway renders it as a bare
``{code, details, message, status}`` object, and batch endpoints put ``error.as_item()`` into their
per-item results instead (REFERENCE §1.3, §1.8).

    ZohoError                 a request-level or per-item CRM error (catalogue code)
    └── (rendered by)         gateway.render_error / ZohoError.as_item
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    message: str


# REFERENCE §1.8. Per-item messages that differ by situation are passed explicitly where raised.
CATALOG: dict[str, ErrorSpec] = {
    "AUTHENTICATION_FAILURE": ErrorSpec(401, "Authentication failed"),
    "INVALID_TOKEN": ErrorSpec(401, "invalid oauth token"),
    "OAUTH_SCOPE_MISMATCH": ErrorSpec(401, "invalid oauth scope to access this URL"),
    "NO_PERMISSION": ErrorSpec(403, "permission denied"),
    "INVALID_URL_PATTERN": ErrorSpec(404, "Please check if the URL trying to access is a correct one"),
    "INVALID_REQUEST_METHOD": ErrorSpec(400, "The http request method type is not a valid one"),
    "INTERNAL_ERROR": ErrorSpec(500, "Internal Server Error"),
    "API_NOT_SUPPORTED": ErrorSpec(400, "api version is not supported"),
    "INVALID_MODULE": ErrorSpec(400, "the module name given seems to be invalid"),
    "INVALID_DATA": ErrorSpec(400, "invalid data"),
    "MANDATORY_NOT_FOUND": ErrorSpec(400, "required field not found"),
    "REQUIRED_PARAM_MISSING": ErrorSpec(400, "required param is missing"),
    "EXPECTED_PARAM_MISSING": ErrorSpec(400, "one of the expected parameter is missing"),
    "EXPECTED_FIELD_MISSING": ErrorSpec(400, "one of the expected field is missing"),
    "DEPENDENT_FIELD_MISSING": ErrorSpec(400, "required field not found"),
    "DEPENDENT_MISMATCH": ErrorSpec(400, "dependent field value does not match"),
    "DUPLICATE_DATA": ErrorSpec(400, "duplicate data"),
    "LIMIT_EXCEEDED": ErrorSpec(400, "limit exceeded"),
    "LIMIT_REACHED": ErrorSpec(400, "maximum response iteration limit reached"),
    "DISCRETE_PAGINATION_LIMIT_EXCEEDED": ErrorSpec(
        400, "You can only get the first 2000 records without using page_token param"
    ),
    "PAGINATION_LIMIT_EXCEEDED": ErrorSpec(400, "You can only get upto 100000 records using page_token param"),
    "TOKEN_BOUND_DATA_MISMATCH": ErrorSpec(
        400, "The page_token given seems to be invalid or input param is added or altered or deleted"
    ),
    "EXPIRED_VALUE": ErrorSpec(400, "Page token expired"),
    "CRITERIA_LIMIT_EXCEEDED": ErrorSpec(400, "criteria limit exceeded"),
    "AMBIGUITY_DURING_PROCESSING": ErrorSpec(400, "ambiguity while processing the request"),
    "UNABLE_TO_PARSE_DATA_TYPE": ErrorSpec(400, "unable to parse the data type"),
    "MINIMUM_DATA_NOT_FOUND": ErrorSpec(400, "Minimum one profile is needed"),
    # Seed "Create Custom Module" gives 403 (REFERENCE §9 #15; docs/decisions.md).
    "RESERVED_KEYWORD_NOT_ALLOWED": ErrorSpec(403, "reserved keyword not allowed"),
    "NOT_ALLOWED": ErrorSpec(400, "not allowed"),
    "NOT_SUPPORTED": ErrorSpec(400, "not supported"),
    "FEATURE_NOT_SUPPORTED": ErrorSpec(400, "feature not supported"),
    "AUTHORIZATION_FAILED": ErrorSpec(400, "User does not have sufficient privilege to perform this action"),
    "ALREADY_MODIFIED": ErrorSpec(412, "record updated time has already passed if-unmodified-since time"),
    "PATTERN_NOT_MATCHED": ErrorSpec(400, "Please check whether the input values are correct"),
    "MULTIPLE_OR_MULTI_ERRORS": ErrorSpec(400, "Multiple errors in the request"),
    # REFERENCE §9 #8: the newer OAS examples' name (docs/decisions.md).
    "RATE_LIMIT_EXCEEDED": ErrorSpec(429, "Too many requests. Please try again later."),
    "INVALID_QUERY": ErrorSpec(400, "invalid query formed"),
    "SYNTAX_ERROR": ErrorSpec(400, "syntax error in the query"),
    # REFERENCE §1.6 lists 415 for an unsupported media type without a code; the name is the emulator's.
    "UNSUPPORTED_MEDIA_TYPE": ErrorSpec(415, "unsupported media type"),
    # REFERENCE §1.6 "413 request entity too large"; the code is the one Zoho gives uploads over the size.
    "FILE_SIZE_MORE_THAN_ALLOWED_SIZE": ErrorSpec(413, "request entity too large"),
}


class ZohoError(Exception):
    """A Zoho CRM error: a catalogue code, its ``details`` object and (optionally) a specific message."""

    def __init__(
        self,
        code: str,
        details: dict[str, Any] | None = None,
        message: str | None = None,
        *,
        status: int | None = None,
    ) -> None:
        spec = CATALOG[code]  # an unknown code is a bug in the emulator, not a client error
        self.code = code
        self.details: dict[str, Any] = details if details is not None else {}
        self.message = message if message is not None else spec.message
        self.status = status if status is not None else spec.status
        super().__init__(f"{code}: {self.message}")

    def as_item(self) -> dict[str, Any]:
        """The ``{code, details, message, status}`` object, bare or inside a per-item result list."""
        return {"code": self.code, "details": self.details, "message": self.message, "status": "error"}
