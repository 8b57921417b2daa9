"""The HTTP face the saved automation actions (field updates, automation tasks, email notifications)
share: their scope and permission, and their two deletes (by the id in the path, by ``?ids=``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch
from zcrm_emulator.automation.saved import SavedActions
from zcrm_emulator.errors import Message
from zcrm_emulator.routing import Call, Endpoint

SCOPE = "ZohoCRM.settings.automation_actions"
PERMISSION = "Crm_Implied_Manage_Workflow"

Handler = Callable[[Call], Awaitable[Response]]


def endpoint(method: str, path: str, handler: Any) -> Endpoint:
    """An automation-actions endpoint: v8 only, for users allowed to manage workflows."""
    return Endpoint(
        method,
        path,
        handler,
        SCOPE,
        since="v8",
        permission=PERMISSION,
        permission_message=Message.FEATURE_NOT_IN_EDITION,
    )


def deletes(saved: SavedActions, envelope: str, deleted: str) -> tuple[Handler, Handler]:
    """DELETE ``…/{id}`` and DELETE ``…?ids=``, answered under ``envelope`` with the ``deleted`` message."""

    async def delete_one(call: Call) -> Response:
        with call.tx() as conn:
            gone = saved.delete_in_path(conn, call)
        return batch.answer(envelope, [batch.success(deleted, {"id": gone})], all_ok=200)

    async def delete_many(call: Call) -> Response:
        with call.tx() as conn:
            results = saved.delete_each(conn, call, deleted)
        return batch.answer(envelope, results, all_ok=200)

    return delete_one, delete_many
