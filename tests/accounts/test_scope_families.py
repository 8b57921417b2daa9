"""Which scopes are granted, and how the consent page words them (REFERENCE §2.7; no HTTP)."""

from __future__ import annotations

import pytest

from zcrm_emulator.accounts.scope_families import describe, parse


@pytest.mark.parametrize(
    "scope",
    [
        "ZohoCRM.modules.ALL",
        "ZohoCRM.modules.leads.READ",
        "ZohoCRM.modules.custom.ALL",
        "ZohoCRM.modules.visits.ALL",
        "zohocrm.MODULES.Leads.read",
        "ZohoCRM.settings.ALL",
        "ZohoCRM.settings.READ",
        "ZohoCRM.settings.custom_links.DELETE",
        "ZohoCRM.settings.unsubscribe.UPDATE",
        "ZohoCRM.users.DELETE",
        "ZohoCRM.org.UPDATE",
        "ZohoCRM.coql.READ",
        "ZohoCRM.bulk.CREATE",
        "ZohoCRM.notifications.WRITE",
        "ZohoCRM.Files.CREATE",
        "ZohoCRM.send_mail.all.CREATE",
        "ZohoCRM.share.READ",
        "ZohoSearch.securesearch.READ",
    ],
)
def test_the_reference_families_are_granted(scope: str) -> None:
    assert parse(scope) == [scope]


@pytest.mark.parametrize(
    "scope",
    [
        "ZohoCRM.modules",
        "ZohoCRM.modules.leads.contacts.READ",
        "ZohoCRM.modules.2leads.READ",
        "ZohoCRM.users.leads.READ",
        "ZohoCRM.org.DELETE",
        "ZohoCRM.coql.ALL",
        "ZohoCRM.bulk.DELETE",
        "ZohoCRM.Files.DELETE",
        "ZohoCRM.send_mail.CREATE",
        "ZohoCRM.send_mail.some.CREATE",
        "ZohoCRM.send_mail.all.READ",
        "ZohoCRM.modules.WRITE",
        "ZohoCRM.everything.ALL",
        "ZohoBooks.invoices.READ",
        "AaaServer.profile.READ",
    ],
)
def test_anything_else_is_refused_by_name(scope: str) -> None:
    with pytest.raises(ValueError, match="is not a valid Zoho CRM scope"):
        parse(f"ZohoCRM.org.READ,{scope}")


def test_lists_split_on_commas_or_spaces_and_repeat_nothing() -> None:
    assert parse("ZohoCRM.org.READ, ZohoCRM.users.READ ZohoCRM.org.READ") == ["ZohoCRM.org.READ", "ZohoCRM.users.READ"]


@pytest.mark.parametrize("raw", [None, "", " , "])
def test_no_scope_is_refused(raw: str | None) -> None:
    with pytest.raises(ValueError, match="no scope"):
        parse(raw)


@pytest.mark.parametrize(
    ("scope", "words"),
    [
        ("ZohoCRM.modules.ALL", "Full access to the records of every module"),
        ("ZohoCRM.modules.leads.READ", "View Leads records"),
        ("ZohoCRM.modules.custom.CREATE", "Create custom module records"),
        ("ZohoCRM.settings.custom_links.UPDATE", "Edit the custom links settings"),
        ("ZohoCRM.users.DELETE", "Delete the users of your organization"),
        ("ZohoCRM.notifications.WRITE", "Create, edit and delete notification channels (watch)"),
        ("ZohoCRM.send_mail.all.CREATE", "Create sending emails"),
    ],
)
def test_scopes_in_plain_words(scope: str, words: str) -> None:
    assert describe(scope) == words
