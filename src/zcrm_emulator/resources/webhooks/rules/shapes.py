"""The webhook object as Zoho shows it (OASx getWebhookById, getWebhooks): the full object of GET one,
the summary of the list, and the audit keys a create and an update set.

Webhooks made through the API are the user's: ``source: "user"``, editable, deletable, unlocked.
``associated`` (used by a workflow rule) is not stored: it is read when the webhook is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Keys GET one shows and the list leaves out (AUTOMATION.md §2.3).
DETAIL_KEYS = ("headers", "body", "url_parameters", "date_time_format", "authentication")
CREATED = "webhook created successfully"
UPDATED = "webhook updated successfully"
DELETED = "Webhook is deleted"  # two of Zoho's three examples (docs/decisions.md)


def stamp(actor: Mapping[str, Any], when: str) -> dict[str, Any]:
    """Who changed a webhook, and when (in the actor's time zone)."""
    return {"modified_by": {"name": actor.get("full_name"), "id": actor["id"]}, "modified_time": when}


def new_webhook(webhook_id: str, clean: Mapping[str, Any], changed: Mapping[str, Any]) -> dict[str, Any]:
    """A created webhook's stored object: the checked keys, the creation and modification stamps."""
    created = {"created_by": changed["modified_by"], "created_time": changed["modified_time"]}
    return {**clean, **_resting(), **created, **changed, "id": webhook_id}


def replaced(stored: Mapping[str, Any], clean: Mapping[str, Any], changed: Mapping[str, Any]) -> dict[str, Any]:
    """An update is a full replacement: every settable key takes the new value or its default."""
    kept = {key: stored[key] for key in ("id", "created_by", "created_time") if key in stored}
    return {**clean, **_resting(), **kept, **changed}


def _resting() -> dict[str, Any]:
    return {"lock_status": {"locked": False, "message": None}, "editable": True, "deletable": True, "source": "user"}


def full(data: Mapping[str, Any], associated: bool) -> dict[str, Any]:
    return {**data, "associated": associated}


def summary(data: Mapping[str, Any], associated: bool) -> dict[str, Any]:
    return {key: value for key, value in full(data, associated).items() if key not in DETAIL_KEYS}
