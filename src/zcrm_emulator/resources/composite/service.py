"""Running a composite call's sub-requests on the call's own transaction.

Each sub-request goes through the gateway's endpoint table (``Call.dispatcher``) as a call of its
own: scope, version, permission, validation, record events, everything but a credit charge. They run
one after another in the order ``rules.order`` gives. A call that rolls back on a failure runs them
all in one savepoint: the first sub-request that fails undoes every earlier one's writes, and takes
back their record events, so no automation sees work that was rolled back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.resources.composite import apis, references, rules
from zcrm_emulator.routing import Call, Dispatcher, SubRequest
from zcrm_emulator.store.engine import savepoint
from zcrm_emulator.wire import error_reply, render

Item = dict[str, Any]


@dataclass
class Outcome:
    items: list[Item]
    rolled_back: bool = False


@dataclass
class _Run:
    """What the sub-requests that ran so far answered: their items, and bodies by sub-request id."""

    call: Call
    dispatcher: Dispatcher
    items: dict[int, Item] = field(default_factory=dict)
    bodies: dict[str, Any] = field(default_factory=dict)


class _Failed(Exception):
    """A sub-request of a call that rolls back on failure failed."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


async def run(call: Call, payload: dict[str, Any]) -> Outcome:
    options = rules.read_options(payload)
    given = rules.read_items(payload)
    drafts: list[rules.Draft] = []
    refused: dict[int, ZohoError] = {}
    for index, raw in enumerate(given):
        try:
            drafts.append(rules.read_sub_request(index, raw))
        except ZohoError as error:
            refused[index] = error
    for index, refusal in {**rules.check_ids(drafts), **rules.check_references(drafts, options)}.items():
        refused.setdefault(index, refusal)
    items: dict[int, Item] = {index: error.as_item() for index, error in refused.items()}
    if options.rollback_on_fail and refused:  # nothing runs: the transaction would roll back anyway
        first = min(refused)
        return Outcome([items.get(index) or rules.stopped(first) for index in range(len(given))], rolled_back=True)
    assert call.dispatcher is not None
    state = _Run(call, call.dispatcher, items)
    ordered = rules.order(drafts, options, set(refused))
    if not options.rollback_on_fail:
        for draft in ordered:
            await _run_one(state, draft)
        return Outcome([state.items[index] for index in range(len(given))])
    try:
        with savepoint(call.conn):
            for draft in ordered:
                if not await _run_one(state, draft):
                    raise _Failed(draft.index)
    except _Failed as failure:
        position = [draft.index for draft in ordered].index(failure.index)
        ran = {draft.index for draft in ordered[:position]}
        answer = [
            state.items[index]
            if index == failure.index
            else rules.rolled_back(failure.index)
            if index in ran
            else rules.stopped(failure.index)
            for index in range(len(given))
        ]
        return Outcome(answer, rolled_back=True)
    return Outcome([state.items[index] for index in range(len(given))])


async def _run_one(state: _Run, draft: rules.Draft) -> bool:
    """Run ``draft`` and keep its item; False when it failed (an error item or an error answer)."""
    try:
        response = await _dispatch(state, draft)
    except ZohoError as error:
        state.items[draft.index] = error.as_item()
        return False
    body = _body_of(response)
    if draft.sub_request_id is not None:
        state.bodies[draft.sub_request_id] = body
    state.items[draft.index] = rules.executed(response.status_code, _headers_of(response), body)
    return not rules.failed(response.status_code)


async def _dispatch(state: _Run, draft: rules.Draft) -> Response:
    """The sub-request's answer; raises the composite-level error of a sub-request that cannot run."""
    try:
        uri = references.substitute(draft.uri, state.bodies, keep_types=False)
        params = references.substitute(draft.params, state.bodies, keep_types=False)
        headers = references.substitute(draft.headers, state.bodies, keep_types=False)
        body = references.substitute(draft.body, state.bodies, keep_types=True)
    except references.Unresolved as missing:
        text = missing.reference.text
        raise rules.invalid_reference(rules.place_of(draft, text), text) from None
    target = rules.target_of(draft.index, uri, state.call.version)
    try:
        endpoint, path_params = state.dispatcher.resolve(draft.method, target.path)
    except ZohoError:
        raise rules.allowed_nowhere(draft.index) from None
    rule = apis.allowed(draft.index, draft.method, endpoint.path)
    query, over = apis.within_limit(rule, rules.query_of(uri, params), body)
    if over is not None:
        return error_reply(over)
    sent = [(str(name), references.as_text(value)) for name, value in headers.items()]
    content = b"" if body is None else render(body)
    if body is not None and not any(name.lower() == "content-type" for name, _ in sent):
        sent.append(("content-type", "application/json"))
    sub = SubRequest(draft.method, target.version, target.path, query, sent, content)
    return await state.dispatcher.run(state.call, endpoint, path_params, sub)


def _body_of(response: Response) -> Any:
    raw = getattr(response, "body", b"")
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _headers_of(response: Response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name != "content-length"}
