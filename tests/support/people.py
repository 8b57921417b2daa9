"""Users beyond the fresh org's admin."""

from __future__ import annotations

from typing import Any

from zcrm_emulator.emulator import Emulator
from zcrm_emulator.resources.users.service import add_user


def add_person(
    emulator: Emulator,
    email: str,
    *,
    first_name: str = "Sam",
    last_name: str = "Rep",
    profile: str = "Standard",
    org_id: str | None = None,
) -> dict[str, Any]:
    """A user of the org (the default one unless ``org_id``), added in a transaction of its own."""
    with emulator.store.tx(writes=True) as conn:
        return add_user(
            conn,
            org_id or emulator.default_org_id,
            email=email,
            first_name=first_name,
            last_name=last_name,
            profile=profile,
            now_ms=emulator.clock.now_ms(),
        )


def add_standard_user(emulator: Emulator, email: str = "rep@zylker.example") -> str:
    """A second user with the Standard profile; returns its id."""
    return str(add_person(emulator, email)["id"])
