"""The README quickstart, exactly as a user types it: ``serve``, then ``self-client``, then the code
exchange and a CRM call with curl. Every step is a real subprocess over real loopback HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.support.live import console_script, run_cli

SCOPE = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL"
STARTUP_DEADLINE_S = 30


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``zcrm-emulator serve --data DIR --port PORT`` until the test ends."""
    data, port = tmp_path / "zcrm-data", free_port()
    process = subprocess.Popen(
        [console_script(), "serve", "--data", str(data), "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while True:
            try:
                httpx.get(f"{url}/_emulator/clock", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, "serve exited"
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        yield url, data
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def curl(*args: str) -> dict[str, object]:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    result = subprocess.run(["curl", "-s", *args], capture_output=True, text=True, timeout=30, check=True)
    return json.loads(result.stdout)


def test_from_nothing_to_a_token_to_the_module_list(served: tuple[str, Path]) -> None:
    url, data = served
    # 1. zcrm-emulator self-client --scope ZohoCRM.modules.ALL,ZohoCRM.settings.ALL --data DIR --json
    grant = json.loads(run_cli("self-client", "--scope", SCOPE, "--data", str(data), "--json").stdout)
    assert grant["accounts_url"] == grant["api_domain"] == url
    # 2. curl -s -X POST URL/oauth/v2/token -d grant_type=authorization_code -d client_id=… -d client_secret=… -d code=…
    tokens = curl(
        "-X",
        "POST",
        f"{grant['accounts_url']}/oauth/v2/token",
        "-d",
        "grant_type=authorization_code",
        "-d",
        f"client_id={grant['client_id']}",
        "-d",
        f"client_secret={grant['client_secret']}",
        "-d",
        f"code={grant['code']}",
    )
    assert {"access_token", "refresh_token", "api_domain", "expires_in"} <= set(tokens)
    assert tokens["api_domain"] == url
    # 3. curl -s URL/crm/v8/settings/modules -H "Authorization: Zoho-oauthtoken …"
    listed = curl(
        f"{tokens['api_domain']}/crm/v8/settings/modules",
        "-H",
        f"Authorization: Zoho-oauthtoken {tokens['access_token']}",
    )
    names = {module["api_name"] for module in listed["modules"]}  # type: ignore[index, union-attr]
    assert {"Leads", "Contacts", "Accounts", "Deals"} <= names
