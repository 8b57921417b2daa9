"""Start-up: a fresh data dir is a copy of the fresh-org template, a server at the code's schema
heads never imports Alembic (nor Faker), and a start prints the emulator's own lines, not Alembic's.

The time it takes is measured by bench/startup.py, not asserted here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from tests.conftest import free_port
from zcrm_emulator.config import DEFAULT_DC, DEFAULT_EDITION, Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.standard_org import template
from zcrm_emulator.store import Store, heads
from zcrm_emulator.store.engine import alembic_config

# Serves with the real command line in the main thread; a thread waits for the first answer, writes
# which of the heavy packages are loaded by then, and stops the server with SIGTERM.
SERVE_AND_REPORT = r"""
import json, os, signal, sys, threading, time, urllib.request

port, data, report, level = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

def report_when_served():
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/health", timeout=1) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.02)
    with open(report, "w") as out:
        json.dump(sorted(name for name in ("alembic", "faker", "tqdm") if name in sys.modules), out)
    os.kill(os.getpid(), signal.SIGTERM)

threading.Thread(target=report_when_served, daemon=True).start()
from zcrm_emulator.cli import main
main(["serve", "--port", port, "--data", data, "--log-level", level])
"""


def serve_and_report(tmp_path: Path, level: str = "info", env: dict[str, str] | None = None) -> tuple[list[str], str]:
    """(heavy packages loaded once the server answered, everything it printed)."""
    report = tmp_path / "loaded.json"
    done = subprocess.run(
        [sys.executable, "-c", SERVE_AND_REPORT, str(free_port()), str(tmp_path / "data"), str(report), level],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(report.read_text()), done.stdout + done.stderr


def test_a_fresh_data_dir_serves_without_alembic_or_faker_and_quietly(tmp_path: Path) -> None:
    template.sqlite_template(DEFAULT_EDITION, DEFAULT_DC)  # this machine has its template already
    loaded, output = serve_and_report(tmp_path)
    assert loaded == []
    assert "zcrm-emulator listening on" in output
    assert "Context impl" not in output and "Running upgrade" not in output
    assert (tmp_path / "data" / "zcrm.sqlite3").is_file()


def test_the_first_start_on_a_machine_builds_the_template_and_says_so(tmp_path: Path) -> None:
    env = {template.TEMPLATE_DIR_ENV: str(tmp_path / "templates")}
    _, output = serve_and_report(tmp_path, env=env)
    assert "building the fresh-org template" in output
    assert "Context impl" not in output and "Running upgrade" not in output
    assert len(list((tmp_path / "templates").glob("fresh-*.sqlite3"))) == 1


def test_alembic_speaks_at_debug_level(tmp_path: Path) -> None:
    env = {template.TEMPLATE_DIR_ENV: str(tmp_path / "templates")}
    _, output = serve_and_report(tmp_path, level="debug", env=env)
    assert "Running upgrade" in output


def test_a_new_data_dir_is_a_copy_of_the_template(tmp_path: Path) -> None:
    source = template.sqlite_template(DEFAULT_EDITION, DEFAULT_DC)
    emulator = Emulator(Settings.for_data_dir(tmp_path))
    try:
        with closing(sqlite3.connect(source.as_uri() + "?mode=ro", uri=True)) as conn:
            found = conn.execute("SELECT value FROM emulator_state WHERE key = 'default_org_id'").fetchone()
        assert emulator.default_org_id == found[0]
    finally:
        emulator.close()
    assert (tmp_path / "zcrm.sqlite3").stat().st_mode & 0o777 == 0o600


def test_a_database_at_older_revisions_is_migrated_at_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = Store(url)
    with old.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    old.dispose()
    emulator = Emulator(Settings(db_url=url))
    try:
        assert emulator.store.schema_heads() == heads.code_heads()
        assert emulator.default_org_id.isdigit()
    finally:
        emulator.close()


def test_the_heads_read_from_the_migration_files_are_alembics() -> None:
    assert heads.code_heads() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_each_edition_and_data_center_has_its_own_template() -> None:
    keys = {template.template_key(edition, dc) for edition in ("enterprise", "free") for dc in ("us", "eu")}
    assert len(keys) == 4
    assert template.template_key("enterprise", "us") == template.template_key("enterprise", "us")
