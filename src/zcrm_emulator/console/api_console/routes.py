"""The API console pages: thin HTTP over ``accounts.api_console`` (clients) and
``accounts.self_client`` (grant codes), for the default org.

    GET  /console/api                              clients, the new-client form, the Self Client
    POST /console/api/clients                      create a Server-based client: its secret, once
    POST /console/api/clients/{client_id}/delete   the client, its codes and tokens, gone
    POST /console/api/self-client                  Generate Code: scopes, duration -> the code

A new client's secret and a Self Client's code are shown on the page that answers the form (not
after a redirect): only their hashes are kept, so no later page could show them again.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from zcrm_emulator.accounts import api_console, self_client, server_info
from zcrm_emulator.accounts.clients import KIND_LABELS, validate_server_client
from zcrm_emulator.accounts.errors import AccessDenied
from zcrm_emulator.clock import iso
from zcrm_emulator.console.api_console import forms
from zcrm_emulator.console.kit import ConsoleFace, Handler
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import ZohoError
from zcrm_emulator.pages import PageError, Pages

BASE = "/console/api"
NO_CLIENT = PageError("Client Not Found", "There is no client with this id.", 404)


class ApiConsolePage(ConsoleFace):
    def show(self, request: Request, status: int = 200, **context: Any) -> Response:
        org_id = self.emulator.default_org_id
        with self.emulator.store.tx() as conn:
            clients = api_console.list_clients(conn, org_id)
            policy = server_info.for_server(conn, self.settings).policy
        context.setdefault("values", {})
        context.setdefault("self_values", {})
        return self.render(
            request,
            "console_api.html",
            status,
            base=BASE,
            clients=[{**client.public(), "created_time": iso(client.created_ms)} for client in clients],
            kinds=KIND_LABELS,
            pickable=forms.pickable(),
            minutes=policy.self_client_code_minutes,
            default_minutes=policy.self_client_default_minutes,
            **context,
        )

    async def page(self, request: Request) -> Response:
        self.admit(request)
        return self.show(request)

    async def create_client(self, request: Request) -> Response:
        fields = await self.form(request)
        try:
            new = validate_server_client(forms.client_item(fields))
            with self.emulator.store.tx(writes=True) as conn:
                client, secret = api_console.create_server_client(
                    conn, self.emulator.default_org_id, new, self.now_ms()
                )
        except ZohoError as refusal:
            return self.show(request, 400, values=fields, problem=forms.problem_text(refusal))
        created = {**client.public(), "client_secret": secret}
        return self.show(request, created=created, notice=f"Client {client.name} created.")

    async def delete_client(self, request: Request) -> Response:
        await self.form(request)
        client_id = request.path_params["client_id"]
        org_id = self.emulator.default_org_id
        with self.emulator.store.tx(writes=True) as conn:
            # Only the default org's clients are on this page, so only they can be deleted from it.
            if not any(client.id == client_id for client in api_console.list_clients(conn, org_id)):
                raise NO_CLIENT
            api_console.delete_client(conn, client_id)
        return self.redirect_with(BASE, notice="Client deleted.")

    async def generate_code(self, request: Request) -> Response:
        fields = await self.form(request)
        scope = forms.chosen_scopes(fields)
        try:
            minutes = int(fields.get("minutes") or "")
        except ValueError:
            minutes = -1
        try:
            with self.emulator.store.tx(writes=True) as conn:
                info = server_info.for_server(conn, self.settings)
                grant = self_client.grant_code(
                    conn,
                    info,
                    self.now_ms(),
                    org_id=self.emulator.default_org_id,
                    user=None,
                    scope=scope,
                    minutes=minutes,
                )
        except self_client.InvalidChoice as invalid:
            text = str(invalid)
            return self.show(request, 400, self_values=fields, problem=text[:1].upper() + text[1:] + ".")
        except AccessDenied:
            too_many = "The Self Client has made as many grant codes as the token policy allows for now."
            return self.show(request, 429, self_values=fields, problem=too_many)
        return self.show(request, grant=grant.as_dict(), self_values=fields)


def routes(emulator: Emulator, pages: Pages) -> list[BaseRoute]:
    face = ApiConsolePage(emulator, pages)
    table: list[tuple[str, dict[str, Handler]]] = [
        (BASE, {"GET": face.page}),
        (f"{BASE}/clients", {"POST": face.create_client}),
        (BASE + "/clients/{client_id}/delete", {"POST": face.delete_client}),
        (f"{BASE}/self-client", {"POST": face.generate_code}),
    ]
    return face.routes(table)
