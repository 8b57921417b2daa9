"""``/settings/pipeline`` (v8 "Get Pipelines in a Layout", "Create/Update a Pipeline", "Transfer
and Delete a Pipeline"; OAS pipeline.json). Every call names a Deals layout (``layout_id``:
REQUIRED_PARAM_MISSING without it, INVALID_DATA ``{param_name}`` for one the Deals module does not
have). Create answers 201, updates and deletes 200 (207 mixed), one result per item in ``pipeline``;
a path id no pipeline of the layout has reads as 204 and is INVALID_DATA at its path segment for a
write. Scope ``ZohoCRM.settings.pipeline.{operation}``; the transfer is a CREATE."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.responses import Response

from zcrm_emulator import batch, params
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.events import Cause
from zcrm_emulator.resources.pipelines import repo, rules, service
from zcrm_emulator.routing import Call, Endpoint
from zcrm_emulator.validation import at, items_of
from zcrm_emulator.wire import no_content, reply

SCOPE = "ZohoCRM.settings.pipeline"
ENVELOPE = rules.ENVELOPE
MAX_PER_CALL = 100


async def list_pipelines(call: Call) -> Response:
    with call.tx() as conn:
        layout_id = service.layout_in_query(call.query("layout_id"), service.deals(conn, call.org_id))
        if params.not_modified(call, repo.latest_modified(conn, call.org_id, layout_id)):
            return no_content(304)
        found = repo.list_pipelines(conn, call.org_id, layout_id)
    return reply({ENVELOPE: found}) if found else no_content()


async def get_pipeline(call: Call) -> Response:
    with call.tx() as conn:
        layout_id = service.layout_in_query(call.query("layout_id"), service.deals(conn, call.org_id))
        found = service.find(conn, call.org_id, layout_id, call.params["pipeline_id"])
    return reply({ENVELOPE: [found]}) if found is not None else no_content()


def _begin(call: Call) -> tuple[service.Context, service.Deals, str]:
    ctx = service.Context.of(call)
    known = service.deals(ctx.conn, ctx.org_id)
    layout_id = service.layout_in_query(call.query("layout_id"), known)
    service.take_turns(ctx.conn, ctx.org_id)
    return ctx, known, layout_id


def _run(call: Call, message: str, write: Callable[[], str], path: str) -> batch.Item:
    return batch.attempt(call.conn, message, write, json_path=path)


async def create_pipelines(call: Call) -> Response:
    with call.tx():
        ctx, known, layout_id = _begin(call)
        items = items_of(call.json(), ENVELOPE, max_items=MAX_PER_CALL)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"

            def write(item: Any = item, path: str = path) -> str:
                return service.create(ctx, known, layout_id, item, path)

            results.append(_run(call, rules.CREATED, write, path))
    return batch.answer(ENVELOPE, results, all_ok=201)


async def update_pipelines(call: Call) -> Response:
    cause = Cause(None, call.request_id)
    with call.tx():
        ctx, known, layout_id = _begin(call)
        items = items_of(call.json(), ENVELOPE, max_items=MAX_PER_CALL)
        results = []
        for i, item in enumerate(items):
            path = f"$.{ENVELOPE}[{i}]"

            def write(item: Any = item, path: str = path) -> str:
                body = rules.as_object(item, path)
                if body.get("id") is None:
                    raise ZohoError("MANDATORY_NOT_FOUND", at(path, "id"))
                found = service.find(ctx.conn, ctx.org_id, layout_id, body["id"])
                if found is None:
                    raise ZohoError("INVALID_DATA", at(path, "id"))
                return service.update(ctx, known, layout_id, found, body, path, call.emulator.memo, cause)

            results.append(_run(call, rules.UPDATED, write, path))
    return batch.answer(ENVELOPE, results, all_ok=200)


def _one(call: Call, message: str, step: Callable[..., str]) -> Response:
    """A write on the pipeline the path names: its one item."""
    with call.tx():
        ctx, known, layout_id = _begin(call)
        found = service.find(ctx.conn, ctx.org_id, layout_id, call.params["pipeline_id"])
        if found is None:
            raise ZohoError("INVALID_DATA", {"resource_path_index": 2})
        items = items_of(call.json(), ENVELOPE)
        if len(items) > 1:  # one pipeline per path id
            raise ZohoError("INVALID_DATA", {"api_name": ENVELOPE, "json_path": f"$.{ENVELOPE}", "maximum_length": 1})
        path = f"$.{ENVELOPE}[0]"
        result = _run(call, message, lambda: step(ctx, known, layout_id, found, items[0], path), path)
    return batch.answer(ENVELOPE, [result], all_ok=200)


async def update_pipeline(call: Call) -> Response:
    cause = Cause(None, call.request_id)
    return _one(call, rules.UPDATED, partial(service.update, memo=call.emulator.memo, cause=cause))


async def delete_pipeline(call: Call) -> Response:
    return _one(call, rules.DELETED, service.delete)


async def transfer(call: Call) -> Response:
    envelope = rules.TRANSFER_ENVELOPE
    with call.tx():
        ctx, known, layout_id = _begin(call)
        items = items_of(call.json(), envelope, max_items=MAX_PER_CALL)
        cause = Cause(None, call.request_id)
        results: list[batch.Item] = []
        for i, item in enumerate(items):
            path = f"$.{envelope}[{i}]"
            try:
                plan = service.check_transfer(ctx, known, layout_id, item, path)
                job_id = service.transfer(ctx, known, layout_id, plan, call.emulator.memo, cause)
            except ZohoError as error:
                results.append(batch.failure(error))
                continue
            results.append(batch.success(rules.TRANSFERRED, {"job_id": job_id}))
    return batch.answer(envelope, results, all_ok=200)


ENDPOINTS = [
    Endpoint("POST", "/settings/pipeline/actions/transfer", transfer, SCOPE),
    Endpoint("GET", "/settings/pipeline", list_pipelines, SCOPE),
    Endpoint("POST", "/settings/pipeline", create_pipelines, SCOPE),
    Endpoint("PUT", "/settings/pipeline", update_pipelines, SCOPE),
    Endpoint("GET", "/settings/pipeline/{pipeline_id}", get_pipeline, SCOPE),
    Endpoint("PUT", "/settings/pipeline/{pipeline_id}", update_pipeline, SCOPE),
    Endpoint("PATCH", "/settings/pipeline/{pipeline_id}", delete_pipeline, SCOPE),
]
