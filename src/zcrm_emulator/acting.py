"""Who makes a settings write, on which connection and when: the stamps Zoho puts on what a user
changes (``created_by``/``modified_by`` and times in that user's zone). Shared by the services of the
admin resources (users, roles, profiles, territories, user groups)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self

from sqlalchemy import Connection

from zcrm_emulator.clock import iso

if TYPE_CHECKING:
    from zcrm_emulator.routing import Call


@dataclass(frozen=True)
class Acting:
    conn: Connection
    org_id: str
    actor: dict[str, Any]
    now_ms: int
    # Some resources' stamps carry the user's email too (roles.json, profiles.json).
    stamps_email: ClassVar[bool] = False

    @classmethod
    def of(cls, call: Call) -> Self:
        """The call's connection, org, calling user and emulator time."""
        return cls(call.conn, call.org_id, call.actor(call.conn), call.emulator.clock.now_ms())

    @property
    def stamp(self) -> dict[str, str]:
        """``{name, id}`` of the acting user (and ``email`` where the resource shows it)."""
        stamp = {"name": self.actor["full_name"], "id": self.actor["id"]}
        return stamp | {"email": self.actor["email"]} if self.stamps_email else stamp

    @property
    def moment(self) -> str:
        """Now, as an ISO time in the acting user's zone."""
        return iso(self.now_ms, self.actor.get("time_zone") or "UTC")
