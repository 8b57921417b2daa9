import pytest

from zcrm_emulator.scopes import covers, parse_list, satisfied, split


@pytest.mark.parametrize(
    ("granted", "needed"),
    [
        ("ZohoCRM.settings.ALL", "ZohoCRM.settings.modules.UPDATE"),
        ("ZohoCRM.settings.modules.ALL", "ZohoCRM.settings.modules.UPDATE"),
        ("ZohoCRM.settings.modules.UPDATE", "ZohoCRM.settings.modules.UPDATE"),
        ("ZohoCRM.modules.ALL", "ZohoCRM.modules.leads.READ"),
        ("ZohoCRM.modules.leads.ALL", "ZohoCRM.modules.leads.READ"),
        ("ZohoCRM.modules.leads.read", "ZohoCRM.modules.leads.READ"),
        ("ZohoCRM.settings.modules.all", "ZohoCRM.settings.modules.CREATE"),
        ("ZohoCRM.notifications.WRITE", "ZohoCRM.notifications.CREATE"),
    ],
)
def test_a_broader_or_equal_scope_covers_the_needed_one(granted: str, needed: str) -> None:
    assert covers(granted, needed)


@pytest.mark.parametrize(
    ("granted", "needed"),
    [
        ("ZohoCRM.settings.modules.READ", "ZohoCRM.settings.modules.UPDATE"),
        ("ZohoCRM.settings.modules.ALL", "ZohoCRM.settings.ALL"),
        ("ZohoCRM.modules.leads.ALL", "ZohoCRM.modules.contacts.READ"),
        ("ZohoCRM.settings.custom_links.ALL", "ZohoCRM.settings.custom.READ"),
        ("ZohoCRM.modules.ALL", "ZohoCRM.settings.modules.READ"),
        ("ZohoBooks.modules.ALL", "ZohoCRM.modules.leads.READ"),
        ("ZohoCRM.notifications.WRITE", "ZohoCRM.notifications.READ"),
        ("garbage", "ZohoCRM.modules.leads.READ"),
    ],
)
def test_a_narrower_or_unrelated_scope_does_not_cover(granted: str, needed: str) -> None:
    assert not covers(granted, needed)


def test_any_granted_scope_may_satisfy_any_acceptable_scope() -> None:
    granted = ["ZohoCRM.users.READ", "ZohoSearch.securesearch.READ"]
    assert satisfied(granted, ["ZohoCRM.modules.leads.READ", "ZohoSearch.securesearch.READ"])
    assert not satisfied(granted, ["ZohoCRM.modules.leads.READ"])


def test_scope_lists_split_on_commas_and_spaces() -> None:
    assert parse_list("ZohoCRM.modules.ALL,ZohoCRM.settings.ALL ZohoCRM.org.READ") == [
        "ZohoCRM.modules.ALL",
        "ZohoCRM.settings.ALL",
        "ZohoCRM.org.READ",
    ]


@pytest.mark.parametrize("bad", ["ZohoCRM", "ZohoCRM.modules", "ZohoCRM.modules.FETCH", "ZohoCRM..READ"])
def test_malformed_scopes_are_rejected(bad: str) -> None:
    assert split(bad) is None
