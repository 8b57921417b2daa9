"""Headless Chromium (Debian's, driven by Playwright with its ``executablePath``) as pytest fixtures:
``chromium_path`` skips a test when the browser is not installed; ``page`` is a fresh page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Without the background-networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium_path() -> str:
    path = os.environ.get("ZCRM_CHROMIUM") or shutil.which("chromium")
    if not path or not os.path.exists(path):
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()
