"""The webhooks package as workflow rules use it: found by id (to associate), taken turns with (so a
rule never points at a webhook deleted meanwhile), fired for a record, and its per-rule limit.

Webhooks are another package of this project (resources/webhooks) that imports the workflow rules
back (``webhook_in_use``), so it is reached by name at run time; without it, rules may not
associate webhooks and a webhook action is logged as not run.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from zcrm_emulator.config import Settings
from zcrm_emulator.events import Cause
from zcrm_emulator.record_model import ModuleMeta, RecordRow

if TYPE_CHECKING:
    from zcrm_emulator.emulator import Emulator

log = logging.getLogger("zcrm_emulator.automation")

SERVICE = "zcrm_emulator.resources.webhooks.service"
REPO = "zcrm_emulator.resources.webhooks.repo"
DEFAULT_PER_RULE = 1  # the workflow_configurations example's webhooks limit


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def available() -> bool:
    return _module(SERVICE) is not None


def find(conn: Connection, org_id: str, webhook_id: str) -> tuple[str, str] | None:
    """The webhook's (name, module id), or None when the org has none with that id."""
    repo = _module(REPO)
    if repo is None:
        return None
    stored = repo.get(conn, org_id, webhook_id)
    return (str(stored.data.get("name")), str(stored.module_id)) if stored is not None else None


def take_turns(conn: Connection, org_id: str) -> None:
    service = _module(SERVICE)
    if service is not None:
        service.take_turns(conn, org_id)


def per_rule(settings: Settings) -> int:
    service = _module(SERVICE)
    if service is None:
        return DEFAULT_PER_RULE
    return int(service.policy_of(settings).webhooks_per_rule)


def fire(
    conn: Connection,
    emulator: Emulator,
    org_id: str,
    webhook_id: str,
    meta: ModuleMeta,
    row: RecordRow,
    *,
    rule: Mapping[str, str],
    cause: Cause,
) -> Any:
    """Store the webhook's request for the record (sent after the caller commits); raises
    LookupError when the webhook package or the webhook is not there."""
    service = _module(SERVICE)
    if service is None:
        raise LookupError("the webhooks package is not installed")
    return service.fire(conn, emulator, org_id, webhook_id, meta, row, rule=rule, cause=cause)
