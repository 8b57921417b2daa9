"""A workflow rule's ``functions`` action (AUTOMATION.md §3.4): the registered function whose id the
action names runs for the rule's record, with ``trigger="workflow"``, the record as
``{"module": {"api_name", "id"}, "id"}`` and no arguments.

* ``url``: the invocation is stored for the delivery engine, like a webhook, and POSTed as JSON
  once the rule's transaction has committed (``GET /_emulator/deliveries``, source ``function``).
* ``python``: the callable runs there and then, in the rule's transaction, so the run log has its
  outcome; it may read what it is given but must not call the emulator's API (the transaction
  holds SQLite's write lock), and an ``async`` callable is refused.
* ``canned``: nothing to run.
"""

from __future__ import annotations

import inspect
import logging
from dataclasses import asdict
from typing import TYPE_CHECKING

import orjson

from zcrm_emulator.delivery import Outbound
from zcrm_emulator.resources.functions import repo
from zcrm_emulator.resources.functions.service import Invocation

if TYPE_CHECKING:
    from zcrm_emulator.automation.firing import Firing

log = logging.getLogger("zcrm_emulator.functions")

SOURCE = "function"  # the deliveries' ``source`` of a forwarded workflow function


def run_action(firing: Firing, function_id: str) -> tuple[bool, str | None]:
    """Run the function for the firing's record: (ran, why not)."""
    found = repo.by_id(firing.conn, firing.org_id, function_id)
    if found is None:
        return False, "no function is registered with this id"
    record = {"module": {"api_name": firing.meta.api_name, "id": firing.meta.id}, "id": firing.record_id}
    invocation = Invocation(
        function=found.name,
        org_id=firing.org_id,
        user_id=firing.actor,
        trigger="workflow",
        arguments={},
        record=record,
    )
    kind = found.data.get("kind")
    if kind == "url":
        outbound = Outbound(
            org_id=firing.org_id,
            source=SOURCE,
            source_id=found.id,
            method="POST",
            url=str(found.data["url"]),
            headers=[("Content-Type", "application/json")],
            body=orjson.dumps(asdict(invocation)).decode(),
            context={"function": {"name": found.name, "id": found.id}, "workflow_rule": firing.rule_ref},
        )
        firing.enqueued.append(firing.emulator.deliveries.enqueue(firing.conn, outbound))
        return True, None
    if kind != "python":
        return True, None
    handler = firing.emulator.functions.handlers.get(found.id)
    if handler is None:
        return False, "the function's callable was registered in another process"
    if inspect.iscoroutinefunction(handler):
        return False, "an async callable runs only when the function is called as a REST API"
    result = handler(invocation)
    if inspect.isawaitable(result):
        getattr(result, "close", lambda: None)()
        return False, "an async callable runs only when the function is called as a REST API"
    return True, None
