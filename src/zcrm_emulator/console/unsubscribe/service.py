"""What the hosted unsubscribe page does, inside the caller's transaction: who a URL is for, what
the page shows, and what a submission changes (the token format is in tokens.py, the HTTP in
routes.py).

Zoho's rules (seed "Create Unsubscribe Link"; help page "Set unsubscribe link"):

* a **standard** link is hosted on the CRM's own page, showing ``standard_page_message`` and an
  Unsubscribe button; a **custom** link sends the recipient to the org's ``custom_location_url``;
* after the button: show ``submission_message`` (``display_message``) or redirect to
  ``submission_redirect_url`` (``redirect``);
* unsubscribing sets ``Email_Opt_Out``, with ``Unsubscribed_Mode`` "Unsubscribe link" and
  ``Unsubscribed_Time``; every other record holding the same primary email address is
  unsubscribed too (Leads, Contacts and any module with an ``Email_Opt_Out`` field).

The records change through the records domain layer (``update_in``), so Modified_Time and
Modified_By move as for any update. No CRM user clicks the link, so each record is written as its
owner. A record that is already opted out is left untouched (submitting twice changes nothing).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection

from zcrm_emulator import record_model
from zcrm_emulator.clock import iso
from zcrm_emulator.console.unsubscribe import repo, tokens
from zcrm_emulator.console.unsubscribe.tokens import Recipient
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.events import NO_CAUSE, Cause
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.pages import PageError
from zcrm_emulator.record_model import ModuleMeta, RecordRow
from zcrm_emulator.resources.fields import repo as fields_repo
from zcrm_emulator.resources.modules import repo as modules_repo
from zcrm_emulator.resources.unsubscribe_links import repo as links_repo

PATH = "/unsubscribe/{link_id}"
OPT_OUT_FIELD = "Email_Opt_Out"
ADDRESS_FIELD = "Email"  # the address Zoho's emails go to, and the one matched across records
UNSUBSCRIBED_MODE = "Unsubscribe link"  # Unsubscribed_Mode's pick-list value for this way out

NOT_FOUND = PageError("Link Not Found", "This unsubscribe link does not exist any more.", 404)
GONE = PageError("Recipient Not Found", "The contact this unsubscribe link was sent to no longer exists.", 404)
BAD_LINK = PageError("Invalid Link", "This unsubscribe link is incomplete or has been altered.", 400)
BAD_FORM = PageError("Invalid Request", "This form was not sent from the unsubscribe page.", 400)


@dataclass(frozen=True)
class Visit:
    """A verified visit: the link, the recipient and their record."""

    link: dict[str, Any]
    token: str  # the recipient token as given (``r``)
    recipient: Recipient
    meta: ModuleMeta
    row: RecordRow

    @property
    def link_id(self) -> str:
        return str(self.link["id"])

    @property
    def email(self) -> str | None:
        value = self.row.data.get(ADDRESS_FIELD)
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Outcome:
    """What the person sees after submitting: a message, or a redirect."""

    message: str | None = None
    redirect_to: str | None = None


def page_path(link_id: str) -> str:
    return PATH.format(link_id=link_id)


def with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` added to its query (after any it already has)."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


# --- the control plane: a recipient's URL ---------------------------------------------------------


def recipient_url(conn: Connection, emulator: Emulator, org_id: str, link_id: str, module: str, record_id: str) -> str:
    """The URL Zoho would put in an email footer for this link and recipient record (Zoho's error
    envelope for an unknown link, module or record)."""
    normalized = normalize_id(link_id)
    if normalized is None or links_repo.LINKS.get(conn, org_id, normalized) is None:
        raise ZohoError("INVALID_DATA", {"api_name": "link_id"}, Message.UNKNOWN_ID)
    try:
        meta = record_model.load_module(conn, org_id, module, emulator.clock.now_ms(), emulator.memo)
    except ZohoError:
        raise ZohoError("INVALID_MODULE", {"api_name": "module"}) from None
    if OPT_OUT_FIELD not in meta.by_name:
        raise ZohoError("INVALID_MODULE", {"api_name": "module"}, Message.NO_OPT_OUT_FIELD, field=OPT_OUT_FIELD)
    record = normalize_id(record_id)
    if record is None or record not in record_model.get_records(conn, meta.id, [record]):
        raise ZohoError("INVALID_DATA", {"api_name": "record_id"}, Message.UNKNOWN_ID)
    token = tokens.sign(repo.signing_secret(conn), normalized, Recipient(org_id, meta.api_name, record))
    return f"{emulator.settings.base_url}{page_path(normalized)}?{urlencode({'r': token})}"


# --- the page ---------------------------------------------------------------------------------------


def visit(conn: Connection, emulator: Emulator, raw_link_id: str, token: str | None) -> Visit:
    """Check a URL (or a submission): the link id, the token's signature, then that the link and the
    record still exist. PageError 404 / 400 otherwise."""
    link_id = normalize_id(raw_link_id)
    if link_id is None:
        raise NOT_FOUND
    recipient = tokens.verify(repo.signing_secret(conn), link_id, token)
    if recipient is None or token is None:
        raise BAD_LINK
    stored = links_repo.LINKS.get(conn, recipient.org_id, link_id)
    if stored is None:
        raise NOT_FOUND
    link = stored.data
    try:
        meta = record_model.load_module(
            conn, recipient.org_id, recipient.module, emulator.clock.now_ms(), emulator.memo
        )
    except ZohoError:
        raise GONE from None
    row = record_model.get_records(conn, meta.id, [recipient.record_id]).get(recipient.record_id)
    if row is None:
        raise GONE
    return Visit(link, token, recipient, meta, row)


def form_token(conn: Connection, visit: Visit) -> str:
    return tokens.form_token(repo.signing_secret(conn), visit.link_id, visit.token)


def custom_page_location(conn: Connection, emulator: Emulator, visit: Visit) -> str | None:
    """For a custom-page link: the org's page, told the recipient token, the form token and where to
    post them (``r``, ``form_token``, ``submit_url``). None for standard-page links."""
    url = visit.link.get("custom_location_url")
    if visit.link.get("page_type") != "custom" or not url:
        return None
    return with_query(
        url,
        {
            "r": visit.token,
            "form_token": form_token(conn, visit),
            "submit_url": emulator.settings.base_url + page_path(visit.link_id),
        },
    )


def allowed_origins(visit: Visit) -> set[str]:
    """Origins other than this server's a submission may come from: a custom-page link's own page."""
    url = visit.link.get("custom_location_url")
    if visit.link.get("page_type") != "custom" or not url:
        return set()
    parts = urlsplit(url)
    return {f"{parts.scheme}://{parts.netloc}".lower()}


# --- the submission -------------------------------------------------------------------------------


def submit(
    conn: Connection, emulator: Emulator, visit: Visit, given_form_token: str | None, request_id: str | None = None
) -> Outcome:
    """The Unsubscribe button: check the form token, opt the recipient out, say what comes next."""
    if not tokens.form_token_matches(repo.signing_secret(conn), visit.link_id, visit.token, given_form_token):
        raise BAD_FORM
    unsubscribe(conn, emulator, visit, Cause(None, request_id))
    link = visit.link
    if link.get("submission_action_type") == "redirect" and link.get("submission_redirect_url"):
        return Outcome(redirect_to=str(link["submission_redirect_url"]))
    return Outcome(message=link.get("submission_message"))


def unsubscribe(conn: Connection, emulator: Emulator, visit: Visit, cause: Cause = NO_CAUSE) -> int:
    """Opt out the recipient and every record holding the same address; returns how many changed."""
    now_ms = emulator.clock.now_ms()
    server_values = {"Unsubscribed_Mode": UNSUBSCRIBED_MODE, "Unsubscribed_Time": iso(now_ms)}
    changed = 0
    for meta, row in _same_address(conn, emulator, visit):
        if row.data.get(OPT_OUT_FIELD) is True:
            continue
        who = record_model.caller(conn, visit.recipient.org_id, row.owner_id, emulator.memo)
        (result,) = record_model.update(
            conn,
            visit.recipient.org_id,
            who,
            meta,
            [{OPT_OUT_FIELD: True}],
            now_ms=now_ms,
            path_id=row.id,
            server_values=server_values,
            cause=cause,
        )
        if result.get("status") != "success":
            raise PageError("Unsubscribe Failed", "The contact could not be unsubscribed.", 500)
        changed += 1
    return changed


def _same_address(conn: Connection, emulator: Emulator, visit: Visit) -> Iterator[tuple[ModuleMeta, RecordRow]]:
    """The recipient's record first, then every other live record of a module with an opt-out field
    whose email fields hold the recipient's primary address."""
    yield visit.meta, visit.row
    address = record_model.normalized_key(visit.email)
    if address is None:
        return
    org_id = visit.recipient.org_id
    for module in modules_repo.list_modules(conn, org_id):
        if not module.get("api_supported") or module.get("generated_type") not in ("default", "custom"):
            continue
        fields = fields_repo.list_fields(conn, module["id"])
        if not any(f["api_name"] == OPT_OUT_FIELD for f in fields):
            continue
        holders: set[str] = set()
        for field in fields:
            if field.get("data_type") == "email":
                found = record_model.find_by_keys(conn, module["id"], field["api_name"], [address], indexed=True)
                holders.update(match.record_id for match in found.get(address, []))
        holders.discard(visit.row.id)
        if holders:
            meta = record_model.load_module(conn, org_id, module["api_name"], emulator.clock.now_ms(), emulator.memo)
            yield from ((meta, row) for row in record_model.get_records(conn, meta.id, sorted(holders)).values())
