"""Running the emulator's own command line as a user does: the installed console script, as a
subprocess, against a database a live server is using."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CLI_TIMEOUT_S = 60


def console_script() -> str:
    beside = Path(sys.executable).with_name("zcrm-emulator")
    found = str(beside) if beside.exists() else shutil.which("zcrm-emulator")
    if found is None:
        pytest.skip("the zcrm-emulator console script is not installed (pip install -e .)")
    return found


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [console_script(), *args], capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=False
    )
    assert result.returncode == 0, result.stderr
    return result


def self_client_grant(db_url: str, scope: str) -> dict[str, Any]:
    """``zcrm-emulator self-client --scope S --json --db URL`` in a subprocess."""
    return json.loads(run_cli("self-client", "--scope", scope, "--json", "--db", db_url).stdout)
