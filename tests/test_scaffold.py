"""``scripts/new-resource``: a new settings resource from the kit's templates works as written — its
own tests pass once its endpoints are listed and its table has a migration — and is ruff-clean."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
COPIED = ("src", "scripts", "pyproject.toml", "tests/__init__.py", "tests/conftest.py", "tests/support")


def _copy_checkout(into: Path) -> None:
    for part in COPIED:
        source, target = CHECKOUT / part, into / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    (into / "tests/resources").mkdir(exist_ok=True)
    (into / "tests/resources/__init__.py").touch()


def _run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON": sys.executable, "PYTHONPATH": str(root / "src")}
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _list_endpoints(root: Path, name: str) -> None:
    """Step 1 of what the scaffold prints: its ENDPOINTS in endpoints.py, before the record paths."""
    endpoints = root / "src/zcrm_emulator/endpoints.py"
    text = endpoints.read_text()
    text = text.replace(
        "\n\n# Record paths last",
        f"\nfrom zcrm_emulator.resources.{name}.routes import ENDPOINTS as NEW\n\n# Record paths last",
    )
    endpoints.write_text(text.replace("    *UNSUBSCRIBE_LINKS,", "    *UNSUBSCRIBE_LINKS,\n    *NEW,"))


def test_a_scaffolded_resource_passes_its_own_tests(tmp_path: Path) -> None:
    _copy_checkout(tmp_path)
    printed = _run(tmp_path, "bash", "scripts/new-resource", "gadgets").stdout
    assert "endpoints.py" in printed
    _list_endpoints(tmp_path, "gadgets")
    _run(tmp_path, "bash", "scripts/new-migration", "9001", "gadgets", "0001")
    written = ("src/zcrm_emulator/resources/gadgets", "src/zcrm_emulator/store", "tests/resources/gadgets")
    _run(tmp_path, sys.executable, "-m", "ruff", "check", *written)
    _run(tmp_path, sys.executable, "-m", "ruff", "format", "--check", *written)
    outcome = _run(tmp_path, sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/resources/gadgets")
    both_stores = bool(os.environ.get("ZCRM_TEST_POSTGRES_URL"))
    assert f"{4 if both_stores else 2} passed" in outcome.stdout
