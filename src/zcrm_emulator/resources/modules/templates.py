"""The data a custom module is built from (read-only package data, cached).

``custom_module.json`` (beside this file) says what a new custom module is: its module-level
defaults and which system fields Zoho gives it. Each system field is a copy of the same field of
a standard module in ``standard_org/fields`` (e.g. ``Leads.Owner``), so custom and standard
modules share one shape.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

STANDARD_ORG = "zcrm_emulator.standard_org"


@cache
def custom_module_plan() -> dict[str, Any]:
    plan: dict[str, Any] = json.loads((resources.files(__package__) / "custom_module.json").read_text(encoding="utf-8"))
    return plan


@cache
def _standard_fields(module: str) -> dict[str, dict[str, Any]]:
    text = (resources.files(STANDARD_ORG) / "fields" / f"{module}.json").read_text(encoding="utf-8")
    return {field["api_name"]: field for field in json.loads(text)}


def standard_field(reference: str) -> dict[str, Any]:
    """A standard field's wire shape by ``"<Module>.<api_name>"`` (ids still as ``@n`` placeholders)."""
    module, _, api_name = reference.partition(".")
    copy: dict[str, Any] = json.loads(json.dumps(_standard_fields(module)[api_name]))  # a private deep copy
    return copy
