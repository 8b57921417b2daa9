"""The home page: thin HTTP over the Emulator (clock, reset, snapshots) and the usage summary.

    GET  /console                              the org, the clock, credits used, snapshots
    POST /console/clock/advance                amount + unit (minutes, hours, days)
    POST /console/reset                        back to the fresh org
    POST /console/snapshots                    save (name, replace)
    POST /console/snapshots/{name}/restore
    POST /console/snapshots/{name}/delete

Every form answers with a redirect home, saying what happened (or what was refused) once.
"""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from zcrm_emulator.clock import iso
from zcrm_emulator.console.kit import ConsoleFace, Handler
from zcrm_emulator.emulator import MAX_OFFSET_SECONDS, Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.pages import Pages
from zcrm_emulator.resources.org import repo as orgs_repo
from zcrm_emulator.snapshots import as_json
from zcrm_emulator.usage import credits

HOME = "/console"
UNIT_SECONDS = {"minutes": 60, "hours": 3600, "days": 86400}
TOO_FAR = f"The emulator clock runs at most {MAX_OFFSET_SECONDS // (365 * 86400)} years ahead of this machine's."


def refusal_text(error: ZohoError) -> str:
    """A control-plane refusal as a sentence (the messages are written lower-case, for the wire)."""
    message = error.message.rstrip(".")
    return message[:1].upper() + message[1:] + "."


def advance_seconds(amount: str, unit: str) -> float:
    """Seconds to move the clock by, or ValueError saying why the form's values cannot be used."""
    if unit not in UNIT_SECONDS:
        raise ValueError(f"The unit must be one of: {', '.join(UNIT_SECONDS)}.")
    try:
        number = float(amount.strip())
    except ValueError:
        raise ValueError("The amount must be a number.") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError("The amount must be a number more than zero.")
    seconds = number * UNIT_SECONDS[unit]
    if seconds > MAX_OFFSET_SECONDS:
        raise ValueError(TOO_FAR)
    return seconds


class HomePage(ConsoleFace):
    async def page(self, request: Request) -> Response:
        self.admit(request)
        org_id = self.emulator.default_org_id
        now_ms = self.now_ms()
        with self.emulator.store.tx() as conn:
            org = orgs_repo.get_org(conn, org_id)
            edition = orgs_repo.org_edition(conn, org_id)
        usage = credits.summary(self.emulator.store, self.emulator.pending_credits, org_id, now_ms)
        return self.render(
            request,
            "console_home.html",
            org=org,
            org_id=org_id,
            edition=edition,
            dc=self.settings.dc,
            base_url=self.settings.base_url,
            now=iso(now_ms),
            offset_s=self.emulator.clock.offset_ms // 1000,
            usage=usage,
            snapshots=self._snapshots(),
            units=list(UNIT_SECONDS),
        )

    def _snapshots(self) -> list[dict[str, Any]] | None:
        """The saved snapshots as the control plane shows them; None where the store keeps none
        (an in-memory SQLite database)."""
        try:
            return [as_json(info) for info in self.emulator.snapshots()]
        except ZohoError:
            return None

    async def advance(self, request: Request) -> Response:
        fields = await self.form(request)
        try:
            seconds = advance_seconds(fields.get("amount", ""), fields.get("unit", ""))
        except ValueError as problem:
            return self.redirect_with(HOME, problem=str(problem))
        if not self.emulator.advance_clock(seconds):
            return self.redirect_with(HOME, problem=TOO_FAR)
        return self.redirect_with(HOME, notice=f"The clock moved {seconds:g} seconds ahead.")

    async def reset(self, request: Request) -> Response:
        await self.form(request)
        try:
            self.emulator.reset()
        except ZohoError as refusal:
            return self.redirect_with(HOME, problem=refusal_text(refusal))
        return self.redirect_with(HOME, notice="The org is back to its fresh state.")

    async def save(self, request: Request) -> Response:
        fields = await self.form(request)
        name = (fields.get("name") or "").strip()
        try:
            self.emulator.snapshot(name, replace=fields.get("replace") == "on")
        except ZohoError as refusal:
            return self.redirect_with(HOME, problem=refusal_text(refusal))
        return self.redirect_with(HOME, notice=f"Snapshot {name} saved.")

    async def restore(self, request: Request) -> Response:
        await self.form(request)
        name = request.path_params["name"]
        try:
            self.emulator.restore(name)
        except ZohoError as refusal:
            return self.redirect_with(HOME, problem=refusal_text(refusal))
        return self.redirect_with(HOME, notice=f"Snapshot {name} restored.")

    async def delete(self, request: Request) -> Response:
        await self.form(request)
        name = request.path_params["name"]
        try:
            self.emulator.delete_snapshot(name)
        except ZohoError as refusal:
            return self.redirect_with(HOME, problem=refusal_text(refusal))
        return self.redirect_with(HOME, notice=f"Snapshot {name} deleted.")


def routes(emulator: Emulator, pages: Pages) -> list[BaseRoute]:
    face = HomePage(emulator, pages)
    table: list[tuple[str, dict[str, Handler]]] = [
        (HOME, {"GET": face.page}),
        (f"{HOME}/clock/advance", {"POST": face.advance}),
        (f"{HOME}/reset", {"POST": face.reset}),
        (f"{HOME}/snapshots", {"POST": face.save}),
        (HOME + "/snapshots/{name}/restore", {"POST": face.restore}),
        (HOME + "/snapshots/{name}/delete", {"POST": face.delete}),
    ]
    return face.routes(table)
