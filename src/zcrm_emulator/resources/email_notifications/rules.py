"""Email notifications, kept as opaque objects (AUTOMATION.md §4: the API exists, its keys were
not read). A notification needs a ``name`` (≤ 255) and the ``module`` it serves; every other key
is kept as sent (template, recipients …) and given back on GET. The emulator sends no mail: when a
rule's email-notification action runs, it is recorded as sent (automation/actions.py).
Messages mirror the sibling APIs' (docs/decisions.md). Plain functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcrm_emulator.errors import Message
from zcrm_emulator.validation import Key, Spec

ENVELOPE = "email_notifications"
CREATED = "email notification created successfully"
DELETED = "email notification deleted successfully"
IN_USE = Message.EMAIL_NOTIFICATION_ASSOCIATED
NAME_MAX = 255
SERVER_KEYS = ("id", "created_time", "created_by", "modified_time", "modified_by", "associated")

SPEC = Spec(
    keys=(
        Key("name", mandatory=True, min_length=1, max_length=NAME_MAX),
        Key("module", type="object", mandatory=True),
    )
)


def wire(
    notification_id: str, clean: Mapping[str, Any], *, module: Mapping[str, Any], stamps: Mapping[str, Any]
) -> dict[str, Any]:
    kept = {k: v for k, v in clean.items() if k not in SERVER_KEYS and k not in ("name", "module")}
    return {
        **kept,
        "name": clean["name"].strip(),
        "module": dict(module),
        "id": notification_id,
        "created_time": stamps["created_time"],
        "created_by": stamps["created_by"],
        "modified_time": stamps["modified_time"],
        "modified_by": stamps["modified_by"],
    }
