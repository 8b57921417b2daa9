"""The official Python SDK creates, lists, updates and deletes an unsubscribe link on a live emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from zohocrmsdk.src.com.zoho.crm.api.unsubscribe_links import (
    ActionWrapper,
    BodyWrapper,
    ResponseWrapper,
    SuccessResponse,
    UnsubscribeLinks,
    UnsubscribeLinksOperations,
)
from zohocrmsdk.src.com.zoho.crm.api.util import Choice

from tests.sdk.official_sdk import initialize_sdk

pytestmark = pytest.mark.sdk


def links_body(link: UnsubscribeLinks) -> BodyWrapper:
    body = BodyWrapper()
    body.set_unsubscribe_links([link])
    return body


def only_success(response: Any, status: int) -> SuccessResponse:
    assert response.get_status_code() == status
    wrapper = response.get_object()
    assert isinstance(wrapper, ActionWrapper)
    (result,) = wrapper.get_unsubscribe_links()
    assert isinstance(result, SuccessResponse), vars(result)
    return result


def test_the_sdk_creates_lists_updates_and_deletes_an_unsubscribe_link(live_server: Any, tmp_path: Path) -> None:
    initialize_sdk(live_server.url, tmp_path)
    operations = UnsubscribeLinksOperations()

    link = UnsubscribeLinks()
    link.set_name("Newsletter")
    link.set_page_type(Choice("standard"))
    link.set_standard_page_message("You will not get the newsletter any more.")
    link.set_submission_action_type(Choice("display_message"))
    link.set_submission_message("Unsubscribed.")
    created = only_success(operations.create_unsubscribe_link(links_body(link)), 201)
    assert created.get_message() == "Unsubscribe Link created successfully"
    link_id = int(created.get_details()["id"])

    listed = operations.get_unsubscribe_links().get_object()
    assert isinstance(listed, ResponseWrapper)
    (stored,) = listed.get_unsubscribe_links()
    assert (stored.get_id(), stored.get_name(), stored.get_page_type().get_value()) == (
        link_id,
        "Newsletter",
        "standard",
    )
    assert stored.get_created_by().get_name() == "Zylker Admin"

    change = UnsubscribeLinks()
    change.set_submission_action_type(Choice("redirect"))
    change.set_submission_redirect_url("https://zylker.example/bye")
    only_success(operations.update_unsubscribe_link(link_id, links_body(change)), 200)

    rename = UnsubscribeLinks()
    rename.set_id(link_id)
    rename.set_name("Weekly newsletter")
    only_success(operations.update_unsubscribe_links(links_body(rename)), 200)

    (read,) = operations.get_unsubscribe_link(link_id).get_object().get_unsubscribe_links()
    assert (read.get_name(), read.get_submission_action_type().get_value(), read.get_submission_redirect_url()) == (
        "Weekly newsletter",
        "redirect",
        "https://zylker.example/bye",
    )

    deleted = only_success(operations.delete_unsubscribe_link(link_id), 200)
    assert deleted.get_message() == "Unsubscribe Link deleted successfully"
    gone = operations.get_unsubscribe_link(link_id)
    assert (gone.get_status_code(), gone.get_object()) == (204, None)
    assert operations.get_associated_unsubscribe_links().get_status_code() == 204
