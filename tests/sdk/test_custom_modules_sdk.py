"""The official Python SDK creates, updates and reads back a custom module on a live emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from zohocrmsdk.src.com.zoho.crm.api.modules import (
    ActionWrapper,
    APIException,
    BodyWrapper,
    Modules,
    ModulesOperations,
    ResponseWrapper,
    SuccessResponse,
)
from zohocrmsdk.src.com.zoho.crm.api.profiles import Delete, MinifiedProfile, ProfilesOperations
from zohocrmsdk.src.com.zoho.crm.api.profiles import ResponseWrapper as ProfilesWrapper

from tests.sdk.official_sdk import initialize_sdk

pytestmark = pytest.mark.sdk


def profile(profile_id: int, *, remove: bool = False) -> MinifiedProfile:
    minified = MinifiedProfile()
    minified.set_id(profile_id)
    if remove:
        minified.set_delete(Delete())
    return minified


def modules_body(module: Modules) -> BodyWrapper:
    body = BodyWrapper()
    body.set_modules([module])
    return body


def only_success(response: Any, status: int) -> SuccessResponse:
    assert response.get_status_code() == status
    wrapper = response.get_object()
    assert isinstance(wrapper, ActionWrapper)
    (result,) = wrapper.get_modules()
    assert isinstance(result, SuccessResponse), vars(result)
    assert result.get_status().get_value() == "success"
    return result


def test_the_sdk_creates_updates_and_reads_back_a_custom_module(live_server: Any, tmp_path: Path) -> None:
    initialize_sdk(live_server.url, tmp_path)
    profiles = ProfilesOperations().get_profiles().get_object()
    assert isinstance(profiles, ProfilesWrapper)
    ids = {p.get_name(): int(p.get_id()) for p in profiles.get_profiles()}

    new = Modules()
    new.set_plural_label("Stocks")
    new.set_singular_label("Stock")
    new.set_api_name("Stocks")
    new.set_profiles([profile(ids["Administrator"]), profile(ids["Standard"])])
    created = only_success(ModulesOperations().create_custom_modules(modules_body(new)), 201)
    assert created.get_message().get_value() == "module created successfully"
    module_id = int(created.get_details()["id"])

    change = Modules()
    change.set_plural_label("Stock Items")
    change.set_profiles([profile(ids["Standard"], remove=True)])
    updated = only_success(ModulesOperations().update_module_by_api_name("Stocks", modules_body(change)), 200)
    assert updated.get_message().get_value() == "module updated successfully"

    rename = Modules()
    rename.set_singular_label("Stock Item")
    only_success(ModulesOperations().update_module(module_id, modules_body(rename)), 200)

    read = ModulesOperations().get_module(module_id).get_object()
    assert isinstance(read, ResponseWrapper)
    (module,) = read.get_modules()
    assert (module.get_api_name(), module.get_plural_label(), module.get_singular_label()) == (
        "Stocks",
        "Stock Items",
        "Stock Item",
    )
    assert module.get_generated_type().get_value() == "custom"
    assert [p.get_name() for p in module.get_profiles()] == ["Administrator"]
    assert module.get_modified_time() is not None

    listed = ModulesOperations().get_modules().get_object()
    assert "Stocks" in [m.get_api_name() for m in listed.get_modules()]


def test_the_sdk_sees_zohos_errors_for_a_bad_module(live_server: Any, tmp_path: Path) -> None:
    initialize_sdk(live_server.url, tmp_path)
    new = Modules()
    new.set_plural_label("A" * 26)
    new.set_singular_label("Stock")
    new.set_profiles([profile(1)])
    response = ModulesOperations().create_custom_modules(modules_body(new))
    assert response.get_status_code() == 400
    (result,) = response.get_object().get_modules()
    assert isinstance(result, APIException)
    assert (result.get_code().get_value(), result.get_details()["api_name"]) == ("INVALID_DATA", "plural_label")
