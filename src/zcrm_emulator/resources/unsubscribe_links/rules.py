"""Unsubscribe links: the input rules and the link object.

Sources: seed "Create Unsubscribe Link", REFERENCE §3.9, OAS unsubscribe_links.json and its newer
per-operation examples (lengths, messages, ``limit_due_to``). A link is hosted on Zoho's standard
page or on the org's own (``custom_location_url``), and after the click either shows a message or
redirects; each choice needs its dependent key (DEPENDENT_FIELD_MISSING naming the controlling key
as ``dependee``). Plain functions: no HTTP, no SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import Message
from zcrm_emulator.validation import Key, Requires, Spec

NAME_MAX = 50
URL_MAX = 250
MESSAGE_MAX = 2000
PAGE_TYPES = ("standard", "custom")
SUBMISSION_ACTIONS = ("display_message", "redirect")

CREATED = "Unsubscribe Link created successfully"
UPDATED = "Unsubscribe Link updated successfully"
DELETED = "Unsubscribe Link deleted successfully"
DUPLICATE_NAME = Message.UNSUBSCRIBE_LINK_DUPLICATE
LIMIT_REACHED = Message.UNSUBSCRIBE_LINK_LIMIT
UNKNOWN_ID = Message.UNSUBSCRIBE_LINK_UNKNOWN

SPEC = Spec(
    keys=(
        Key("name", mandatory=True, min_length=1, max_length=NAME_MAX, unique=True, duplicate_message=DUPLICATE_NAME),
        # The OAS examples give the choices' longest length as maximum_length (8 and 15).
        Key("page_type", mandatory=True, max_length=8, choices=PAGE_TYPES),
        Key("custom_location_url", type="url", nullable=True, max_length=URL_MAX),
        Key("standard_page_message", nullable=True, max_length=MESSAGE_MAX),
        Key("submission_action_type", mandatory=True, max_length=15, choices=SUBMISSION_ACTIONS),
        Key("submission_redirect_url", type="url", nullable=True, max_length=URL_MAX),
        Key("submission_message", nullable=True, max_length=MESSAGE_MAX),
    ),
    rules=(
        Requires("custom_location_url", "page_type", ("custom",)),
        Requires("submission_redirect_url", "submission_action_type", ("redirect",)),
        Requires("submission_message", "submission_action_type", ("display_message",)),
    ),
)
LINK_ID = Spec(keys=(Key("id", type="id", mandatory=True, message=UNKNOWN_ID),))
SETTABLE = tuple(key.name for key in SPEC.keys)
# Zoho shows unset URLs as "" (OAS example), so an empty URL in a request means "none", not a bad URL.
URL_KEYS = ("custom_location_url", "submission_redirect_url")


def blank_urls_as_none(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    return {k: (None if k in URL_KEYS and v == "" else v) for k, v in item.items()}


def new_link(link_id: str, created: Mapping[str, Any]) -> dict[str, Any]:
    """A link's wire object before its keys are set: every key present, unset ones null (the OAS
    requires them all). ``created``: ``created_time`` and ``created_by``."""
    return {
        "id": link_id,
        **dict.fromkeys(SETTABLE),
        "landing_url": None,
        "created_by": created["created_by"],
        "created_time": created["created_time"],
        "modified_by": created["created_by"],
        "modified_time": created["created_time"],
    }


def apply_changes(link: Mapping[str, Any], clean: Mapping[str, Any], stamp: Mapping[str, Any]) -> dict[str, Any]:
    """The link with the validated keys of a create or update applied, and who changed it when."""
    changes = {key: clean[key] for key in SETTABLE if key in clean}
    if isinstance(changes.get("name"), str):
        changes["name"] = changes["name"].strip()
    return {**link, **changes, "modified_by": stamp["modified_by"], "modified_time": stamp["modified_time"]}
