"""The official Python SDK enables, lists, updates, trims and disables a watch channel on a live
emulator, and the channel's callback arrives at a receiver over real HTTP."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.notifications import (
    ActionWrapper,
    BodyWrapper,
    DeleteNotificationParam,
    GetNotificationsParam,
    Notification,
    NotificationsOperations,
    ResponseWrapper,
    SuccessResponse,
)

from tests.conftest import LiveServer
from tests.sdk.official_sdk import initialize_sdk
from tests.support.receiver import receiver

pytestmark = pytest.mark.sdk

SCOPES = [
    "ZohoCRM.notifications.ALL",
    "ZohoCRM.modules.ALL",
    "ZohoCRM.settings.ALL",
    "ZohoCRM.users.ALL",
    "ZohoCRM.org.ALL",
]


def body_of(notification: Notification) -> BodyWrapper:
    body = BodyWrapper()
    body.set_watch([notification])
    return body


def only_success(response: Any, status: int) -> SuccessResponse:
    assert response.get_status_code() == status
    wrapper = response.get_object()
    assert isinstance(wrapper, ActionWrapper)
    (result,) = wrapper.get_watch()
    assert isinstance(result, SuccessResponse), vars(result)
    return result


def listed(operations: NotificationsOperations, **params: Any) -> list[Notification]:
    query = ParameterMap()
    for name, value in params.items():
        query.add(getattr(GetNotificationsParam, name), value)
    response = operations.get_notifications(query)
    if response.get_status_code() == 204:
        return []
    wrapper = response.get_object()
    assert isinstance(wrapper, ResponseWrapper)
    return list(wrapper.get_watch())


def test_the_sdk_drives_a_channel_from_enable_to_disable(live_server: LiveServer, tmp_path: Path) -> None:
    initialize_sdk(live_server.url, tmp_path, SCOPES)
    operations = NotificationsOperations()
    with receiver() as hook:
        channel = Notification()
        channel.set_channel_id("1000000068001")
        channel.set_events(["Leads.all", "Contacts.create"])
        channel.set_notify_url(hook.url + "zoho?source=sdk")
        channel.set_token("TOKEN_1")
        channel.set_channel_expiry((datetime.now().astimezone() + timedelta(days=2)).replace(microsecond=0))
        enabled = only_success(operations.enable_notifications(body_of(channel)), 201)
        assert enabled.get_message().get_value() == "Successfully subscribed for actions-watch of the given module"
        events = enabled.get_details()["events"]
        assert [e.get_resource_name() for e in events] == ["Leads", "Contacts"]
        assert events[0].get_resource_uri() == f"{live_server.url}/crm/v2/Leads"

        leads, _ = listed(operations)
        assert (leads.get_channel_id(), leads.get_token(), leads.get_events()) == (
            "1000000068001",
            "TOKEN_1",
            ["Leads.edit", "Leads.create", "Leads.delete"],
        )
        assert leads.get_channel_expiry() > datetime.now().astimezone() + timedelta(days=1)
        assert [n.get_resource_name() for n in listed(operations, module="Contacts")] == ["Contacts"]

        change = Notification()
        change.set_channel_id("1000000068001")
        change.set_events(["Contacts.edit"])
        change.set_token("TOKEN_2")
        updated = only_success(operations.update_notification(body_of(change)), 200)
        assert updated.get_message().get_value() == "Successfully updated the subscribe details"
        assert [n.get_token() for n in listed(operations)] == ["TOKEN_1", "TOKEN_2"]

        trim = Notification()
        trim.set_channel_id("1000000068001")
        trim.set_events(["Contacts.all"])
        trim.set_delete_events(True)
        removed = only_success(operations.disable_notification(body_of(trim)), 200)
        assert removed.get_message().get_value() == "Successfully removed the subscribe details"
        assert [n.get_resource_name() for n in listed(operations)] == ["Leads"]

        token = httpx.post(f"{live_server.url}/_emulator/tokens", json={"scopes": SCOPES}).json()["access_token"]
        created = httpx.post(
            f"{live_server.url}/crm/v8/Leads",
            json={"data": [{"Last_Name": "Lovelace", "Company": "Zylker"}]},
            headers={"Authorization": f"Zoho-oauthtoken {token}"},
        )
        record_id = created.json()["data"][0]["details"]["id"]
        assert httpx.post(f"{live_server.url}/_emulator/deliveries/flush", json={}, timeout=40).json() == {"pending": 0}
        [arrived] = hook.wait_for(1)
        body = json.loads(arrived.body)
        assert (body["operation"], body["ids"], body["token"], body["query_params"]) == (
            "insert",
            [record_id],
            "TOKEN_1",  # the PATCH changed the Contacts row only
            {"source": "sdk"},
        )

        replace = Notification()
        replace.set_channel_id("1000000068001")
        replace.set_events(["Deals.edit"])
        replace.set_notify_url(hook.url)
        only_success(operations.update_notifications(body_of(replace)), 200)
        [deals] = listed(operations)
        assert (deals.get_resource_name(), deals.get_token()) == ("Deals", None)

        query = ParameterMap()
        query.add(DeleteNotificationParam.channel_ids, "1000000068001")
        disabled = only_success(operations.delete_notification(query), 200)
        assert disabled.get_message().get_value() == "Successfully un-subscribed from actions-watch"
        assert listed(operations) == []
