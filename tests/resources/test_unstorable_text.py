"""A lone surrogate (JSON ``"\\ud800"``) in any text of a settings write — a declared key, a nested
one, or a key the resource passes through — is per-item INVALID_DATA naming the key, never a 500
(validation.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.links import link
from tests.support.modules import module_item
from zcrm_emulator.emulator import Emulator

pytestmark = pytest.mark.usefixtures("both_backends")

MARK = "@@lone@@"


def _raw(envelope: str, item: dict[str, Any]) -> bytes:
    """The body as JSON text, with every ``MARK`` turned into a lone-surrogate escape."""
    return json.dumps({envelope: [item]}).replace(MARK, "\\ud800").encode()


CASES = [
    ("/crm/v8/settings/modules", "modules", lambda emu: module_item(emu, plural_label=f"Stocks{MARK}"), "plural_label"),
    ("/crm/v8/settings/custom_links?module=Leads", "custom_links", lambda emu: link(emu, name=MARK), "name"),
    (
        "/crm/v8/settings/custom_links?module=Leads",
        "custom_links",
        lambda emu: link(emu, description=f"about {MARK}"),
        "description",
    ),
    ("/crm/v8/settings/custom_links?module=Leads", "custom_links", lambda emu: {**link(emu), MARK: 1}, "\ud800"),
]


@pytest.mark.parametrize(("path", "envelope", "build", "api_name"), CASES)
def test_a_lone_surrogate_in_a_settings_item_is_invalid_data_for_its_key(
    api: TestClient, emulator: Emulator, path: str, envelope: str, build: Any, api_name: str
) -> None:
    response = api.post(path, content=_raw(envelope, build(emulator)))
    assert response.status_code == 400
    [item] = response.json()[envelope]
    assert item["code"] == "INVALID_DATA"
    assert item["details"]["api_name"] == api_name
    assert item["details"]["json_path"] == f"$.{envelope}[0].{api_name}"
