"""Custom-link create items."""

from __future__ import annotations

from typing import Any

from tests.support.modules import profile_ids
from zcrm_emulator.emulator import Emulator


def link(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "name": "LinkedIn",
        "profiles": [{"id": profile_ids(emulator)["Administrator"]}],
        "url": "https://www.linkedin.com/search/results/people/?keywords={Lead.Full_Name}",
        "url_encoding": "UTF-8",
        "description": "description_content",
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}
