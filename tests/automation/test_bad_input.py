"""Whatever a client sends to the automation APIs, the answer is a Zoho 4xx (or a success), never a
5xx: hostile JSON (lone surrogates, NaN, integers past 64 bits, wrong types anywhere) in every
create and update, and in a rule's nested conditions, criteria and actions."""

from __future__ import annotations

import atexit
import json
import math
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES
from tests.support.workflow import EMAIL_NOTIFICATIONS, FIELD_UPDATES, RULES, TASKS, field_update_item, task_item
from zcrm_emulator import create_app
from zcrm_emulator.accounts.tokens import mint_access_token
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import users

# Hypothesis keeps caches under ``.hypothesis`` in the working directory: point it at a temporary
# folder, so no run leaves one in the checkout.
_HOME = Path(tempfile.mkdtemp(prefix="zcrm-hypothesis-"))
set_hypothesis_home_dir(_HOME)
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)

EXAMPLES = settings(
    max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([math.nan, math.inf, 1.5]),
    st.text(st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=8),
    st.sampled_from(["create", "equal", "${EMPTY}", "field_updates", "Company", "days", "1"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("automation-fuzz")
    emulator = Emulator(Settings(db_url=f"sqlite:///{folder / 'zcrm.sqlite3'}", public_url="http://testserver"))
    with TestClient(create_app(emulator=emulator), base_url="http://testserver") as client:
        org = emulator.default_org_id
        with emulator.store.tx() as conn:
            user = documents.list_data(conn, users, org)[0]["id"]
            token = mint_access_token(conn, org_id=org, user_id=user, scopes=ALL_SCOPES, now_ms=emulator.clock.now_ms())
        client.headers["Authorization"] = f"Zoho-oauthtoken {token}"
        yield client
    emulator.close()


def send(client: TestClient, method: str, path: str, body: Any) -> None:
    response = client.request(
        method, path, content=json.dumps(body, allow_nan=True), headers={"Content-Type": "application/json"}
    )
    assert response.status_code < 500, f"{method} {path} {body!r} -> {response.status_code} {response.text[:300]}"
    if response.status_code != 204:
        response.json()


def rule_with(condition: Any, execute_when: Any) -> dict[str, Any]:
    return {
        "name": "Fuzz",
        "module": {"api_name": "Leads"},
        "execute_when": execute_when,
        "conditions": [condition],
    }


@EXAMPLES
@given(VALUES)
def test_whole_bodies(target: TestClient, body: Any) -> None:
    for path in (RULES, FIELD_UPDATES, TASKS, EMAIL_NOTIFICATIONS):
        send(target, "POST", path, body)
        send(target, "POST", path, {path.rsplit("/", 1)[1]: [body]})
    send(target, "PUT", RULES, {"workflow_rules": [body]})
    send(target, "PUT", f"{RULES}/actions/reorder?module=Leads", body)


@EXAMPLES
@given(VALUES, VALUES, VALUES)
def test_nested_rule_parts(target: TestClient, criteria: Any, actions: Any, details: Any) -> None:
    condition = {
        "sequence_number": 1,
        "criteria_details": {"criteria": criteria, "relational_criteria": details},
        "instant_actions": {"actions": actions if isinstance(actions, list) else [actions]},
        "scheduled_actions": [{"execute_after": details, "actions": [actions]}],
    }
    send(
        target, "POST", RULES, {"workflow_rules": [rule_with(condition, {"type": "field_update", "details": details})]}
    )
    inline = {
        "sequence_number": 1,
        "criteria_details": {"criteria": None},
        "instant_actions": {"actions": [{"type": "add_tags", "details": details}]},
    }
    send(target, "POST", RULES, {"workflow_rules": [rule_with(inline, {"type": "create", "details": {}})]})


@EXAMPLES
@given(st.dictionaries(st.text(max_size=8), VALUES, max_size=4))
def test_saved_action_keys(target: TestClient, extra: dict[str, Any]) -> None:
    send(target, "POST", FIELD_UPDATES, {"field_updates": [{**field_update_item(), **extra}]})
    send(target, "POST", TASKS, {"tasks": [{**task_item(), **extra}]})
    notification = {"name": "n", "module": {"api_name": "Leads"}, **extra}
    send(target, "POST", EMAIL_NOTIFICATIONS, {"email_notifications": [notification]})


@pytest.fixture(scope="module")
def stored_rule(target: TestClient) -> tuple[str, str, str]:
    """A rule to update: its id, its condition's id and its action's id."""
    # on Contacts: the other tests may have filled the Leads rules the edition allows
    notification = {"name": "n", "module": {"api_name": "Contacts"}}
    created = target.post(EMAIL_NOTIFICATIONS, json={"email_notifications": [notification]})
    action_id = created.json()["email_notifications"][0]["details"]["id"]
    condition = {
        "sequence_number": 1,
        "instant_actions": {"actions": [{"type": "email_notifications", "id": action_id}]},
    }
    rule = rule_with({**condition, "criteria_details": {"criteria": None}}, {"type": "create", "details": {}})
    rule["module"] = {"api_name": "Contacts"}
    rule_id = target.post(RULES, json={"workflow_rules": [rule]}).json()["workflow_rules"][0]["details"]["id"]
    condition_id = target.get(f"{RULES}/{rule_id}").json()["workflow_rules"][0]["conditions"][0]["id"]
    return rule_id, condition_id, action_id


@EXAMPLES
@given(VALUES, VALUES)
def test_updates_merge_whatever_is_sent(
    target: TestClient, stored_rule: tuple[str, str, str], part: Any, other: Any
) -> None:
    rule_id, condition_id, action_id = stored_rule
    changes = [
        {
            "conditions": [
                {"id": condition_id, "instant_actions": {"actions": [{"id": action_id, "_delete": part}, other]}}
            ]
        },
        {"conditions": [{"id": condition_id, "scheduled_actions": [part, {"id": other, "actions": other}]}]},
        {"conditions": [{"id": condition_id, "instant_actions": part, "criteria_details": other}]},
        {"conditions": part, "status": other},
        {"execute_when": part, "lock": other},
    ]
    for change in changes:
        send(target, "PUT", f"{RULES}/{rule_id}", {"workflow_rules": [change]})
