"""The API console's forms: the scope picker read back into a scope list, the new-client form as
the accounts server's item, and its refusals in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator import scopes
from zcrm_emulator.accounts import scope_families
from zcrm_emulator.errors import ZohoError

PICK_PREFIX = "scope:"  # a picker's select: "scope:<Service>.<name>" -> the chosen operation
OPERATION_ORDER = ("ALL", "READ", "CREATE", "UPDATE", "DELETE", "WRITE", "CUSTOM")
LABELS = {"client_name": "Client Name", "homepage_url": "Homepage URL", "redirect_uris": "Authorized Redirect URIs"}


@dataclass(frozen=True)
class Pickable:
    """One row of the scope picker: ``ZohoCRM.users`` with the operations it may be granted."""

    scope: str
    words: str
    operations: tuple[str, ...]


def pickable() -> list[Pickable]:
    """Every scope family that has a bare form (``Service.name.OP``); sub-scopes are typed."""
    return [
        Pickable(
            f"{family.service}.{family.name}",
            family.plain,
            tuple(op for op in OPERATION_ORDER if op in family.operations),
        )
        for family in scope_families.FAMILIES
        if family.operations
    ]


def chosen_scopes(form: Mapping[str, str]) -> str:
    """The picked scopes, then the typed ones (comma- or space-separated), as one comma list."""
    picked = [
        f"{name[len(PICK_PREFIX) :]}.{operation}"
        for name, operation in form.items()
        if name.startswith(PICK_PREFIX) and operation
    ]
    return ",".join([*picked, *scopes.parse_list(form.get("extra_scopes") or "")])


def client_item(form: Mapping[str, str]) -> dict[str, Any]:
    """The new-client form as ``validate_server_client`` takes it: redirect URIs one a line."""
    uris = [line.strip() for line in (form.get("redirect_uris") or "").splitlines() if line.strip()]
    return {
        "client_name": (form.get("client_name") or "").strip(),
        "homepage_url": (form.get("homepage_url") or "").strip(),
        "redirect_uris": uris,
    }


def problem_text(error: ZohoError) -> str:
    name = str(error.details.get("api_name") or "")
    label = LABELS.get(name, name or "A value")
    if error.code == "MANDATORY_NOT_FOUND" or "minimum_length" in error.details or "min_items" in error.details:
        return f"{label} is required."
    if error.details.get("expected_data_type") in ("website", "url"):
        return f"{label} must be an http:// or https:// address."
    message = error.message.rstrip(".")
    return f"{label}: {message}." if message else f"{label} is not valid."
