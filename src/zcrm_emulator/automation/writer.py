"""Who writes an automation object, in which org, when: the stamps every saved rule and action
carries (``created_*``/``modified_*`` in the writer's time zone, as Zoho renders them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zcrm_emulator.clock import iso


@dataclass(frozen=True)
class Writer:
    org_id: str
    actor: Mapping[str, Any]
    now_ms: int

    @property
    def tz(self) -> str:
        return str(self.actor.get("time_zone") or "UTC")

    def who(self) -> dict[str, str]:
        return {"name": self.actor["full_name"], "id": self.actor["id"]}

    def modified(self) -> dict[str, Any]:
        return {"modified_time": iso(self.now_ms, self.tz), "modified_by": self.who()}

    def created(self) -> dict[str, Any]:
        return {"created_time": iso(self.now_ms, self.tz), "created_by": self.who(), **self.modified()}
