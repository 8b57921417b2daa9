"""The usage page: credits over the rolling 24 hours as an SVG bar chart drawn on the server, of
every endpoint or one, and the window's calls and credits per endpoint."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from zcrm_emulator.console.usage.chart import intervals, round_up

BASE = "/console/usage"


def bar_credits(html: str) -> list[int]:
    return [int(value) for value in re.findall(r'<rect class="bar"[^>]*data-credits="(\d+)"', html)]


@pytest.mark.usefixtures("both_backends")
def test_the_chart_has_an_hour_bar_for_each_of_24_hours_and_the_last_one_is_now(
    client: TestClient, auth: dict[str, str]
) -> None:
    assert bar_credits(client.get(BASE).text) == [0] * 24
    for _ in range(3):
        assert client.get("/crm/v8/org", headers=auth).status_code == 200
    client.get("/crm/v8/Leads", params={"fields": "Last_Name"}, headers=auth)
    page = client.get(BASE).text
    bars = bar_credits(page)
    assert len(bars) == 24 and bars[:-1] == [0] * 23 and bars[-1] == 4
    assert 'id="used">4<' in page and 'id="edition">Enterprise<' in page
    assert "<script" not in page


@pytest.mark.usefixtures("both_backends")
def test_spent_credits_move_back_through_the_bars_as_the_clock_advances(
    client: TestClient, auth: dict[str, str]
) -> None:
    client.get("/crm/v8/org", headers=auth)
    client.post("/_emulator/clock/advance", json={"seconds": 5 * 3600})
    assert bar_credits(client.get(BASE).text)[-6] == 1
    client.post("/_emulator/clock/advance", json={"seconds": 19 * 3600})
    assert bar_credits(client.get(BASE).text) == [0] * 24  # a day later the credit is back


def test_the_per_endpoint_table_links_to_the_chart_of_one_endpoint(client: TestClient, auth: dict[str, str]) -> None:
    client.get("/crm/v8/org", headers=auth)
    client.get("/crm/v8/org", headers=auth)
    client.get("/crm/v8/users", headers=auth)
    page = client.get(BASE).text
    assert re.search(r'data-endpoint="GET /org">.*?<td>2</td>\s*<td>2</td>', page, re.S)
    assert 'href="/console/usage?endpoint=GET%20/org"' in page
    one = client.get(BASE, params={"endpoint": "GET /org"}).text
    assert bar_credits(one)[-1] == 2 and "<code>GET /org</code>" in one


def test_the_chart_top_is_a_round_number_at_or_above_the_highest_bar() -> None:
    assert [round_up(n) for n in (0, 1, 3, 7, 10, 11, 180, 5001)] == [1, 1, 5, 10, 10, 20, 200, 10000]


def test_gridlines_split_the_top_into_whole_round_steps() -> None:
    assert [(top, intervals(top)) for top in (1, 2, 5, 10, 20, 50, 200)] == [
        (1, 1),
        (2, 2),
        (5, 5),
        (10, 5),
        (20, 4),
        (50, 5),
        (200, 4),
    ]
    assert all(top % intervals(top) == 0 for top in (1, 2, 5, 10, 20, 50, 100, 5000))
