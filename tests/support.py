"""Helpers shared by tests that need more than the fresh org."""

from __future__ import annotations

from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.users.service import add_user


def add_standard_user(emulator: Emulator, email: str = "rep@zylker.example") -> str:
    """A second user with the Standard profile; returns its id."""
    return add_user(
        emulator, emulator.default_org_id, email=email, first_name="Sam", last_name="Rep", profile="Standard"
    )["id"]
