"""The watch tests' emulator sends callbacks before the record call that caused them answers
(``deliveries="sync"``), and their token carries the notification scopes besides the usual ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ALL_SCOPES, TokenFactory
from tests.support.receiver import Receiver, receiver
from zcrm_emulator.config import Settings

WATCH_SCOPES = [*ALL_SCOPES, "ZohoCRM.notifications.ALL"]


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, public_url="http://testserver", deliveries="sync")


@pytest.fixture
def auth(make_token: TokenFactory) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {make_token(WATCH_SCOPES)}"}


@pytest.fixture
def hook() -> Iterator[Receiver]:
    """A callback receiver on loopback."""
    with receiver() as box:
        yield box
