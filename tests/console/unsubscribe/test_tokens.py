"""The recipient token and the form token (plain functions, no HTTP): only the emulator's key makes
them, and any edit of the link, org, module or record breaks them."""

from __future__ import annotations

import pytest

from zcrm_emulator.console.unsubscribe.tokens import (
    Recipient,
    form_token,
    form_token_matches,
    parse,
    sign,
    verify,
)

SECRET = bytes(range(32))
OTHER_SECRET = bytes(range(1, 33))
LINK = "4150868000000582123"
ADA = Recipient("4150868000000000000", "Leads", "4150868000003000001")


def test_a_signed_token_names_its_recipient() -> None:
    token = sign(SECRET, LINK, ADA)
    assert token.startswith("4150868000000000000.Leads.4150868000003000001.")
    assert verify(SECRET, LINK, token) == ADA


@pytest.mark.parametrize(
    "edited",
    [
        Recipient("4150868000000000001", "Leads", "4150868000003000001"),
        Recipient("4150868000000000000", "Contacts", "4150868000003000001"),
        Recipient("4150868000000000000", "Leads", "4150868000003000002"),
    ],
    ids=["org", "module", "record"],
)
def test_a_token_edited_to_name_someone_else_does_not_verify(edited: Recipient) -> None:
    signature = sign(SECRET, LINK, ADA).rsplit(".", 1)[1]
    forged = f"{edited.org_id}.{edited.module}.{edited.record_id}.{signature}"
    assert parse(forged) is not None
    assert verify(SECRET, LINK, forged) is None


def test_a_token_is_bound_to_its_link_and_to_the_emulators_key() -> None:
    token = sign(SECRET, LINK, ADA)
    assert verify(SECRET, "4150868000000582124", token) is None
    assert verify(OTHER_SECRET, LINK, token) is None


def test_a_token_with_one_changed_signature_character_does_not_verify() -> None:
    token = sign(SECRET, LINK, ADA)
    last = token[-1]
    assert verify(SECRET, LINK, token[:-1] + ("A" if last != "A" else "B")) is None


GOOD = sign(SECRET, LINK, ADA)
ORG, MODULE, RECORD, SIGNATURE = GOOD.split(".")


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        f"{ORG}.{MODULE}.{RECORD}",
        f"{GOOD}.extra",
        f"{ORG}.{MODULE}.{RECORD}.{SIGNATURE[:42]}",
        f"{ORG}.{MODULE}.{RECORD}.{SIGNATURE}A",
        f"{ORG}.{MODULE}.{RECORD}.{SIGNATURE[:42]}+",
        f"x{ORG}.{MODULE}.{RECORD}.{SIGNATURE}",
        f"0{ORG}.{MODULE}.{RECORD}.{SIGNATURE}",
        f"{ORG}.1Leads.{RECORD}.{SIGNATURE}",
        f"{ORG}.Le-ads.{RECORD}.{SIGNATURE}",
        f"{ORG}.{MODULE}.-{RECORD}.{SIGNATURE}",
    ],
)
def test_what_is_not_a_token_at_all_is_refused(raw: str | None) -> None:
    assert parse(raw) is None
    assert verify(SECRET, LINK, raw) is None


@pytest.mark.parametrize(("length", "accepted"), [(64, True), (65, False)])
def test_module_names_in_tokens_are_at_most_64_characters(length: int, accepted: bool) -> None:
    recipient = Recipient(ORG, "M" * length, RECORD)
    token = sign(SECRET, LINK, recipient)
    assert (verify(SECRET, LINK, token) == recipient) is accepted


def test_the_form_token_belongs_to_one_link_and_recipient_token() -> None:
    made = form_token(SECRET, LINK, GOOD)
    assert form_token_matches(SECRET, LINK, GOOD, made)
    assert not form_token_matches(SECRET, "4150868000000582124", GOOD, made)
    assert not form_token_matches(SECRET, LINK, sign(SECRET, LINK, Recipient(ORG, "Contacts", RECORD)), made)
    assert not form_token_matches(OTHER_SECRET, LINK, GOOD, made)
    assert not form_token_matches(SECRET, LINK, GOOD, None)
    assert not form_token_matches(SECRET, LINK, GOOD, "")
