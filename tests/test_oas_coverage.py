"""``scripts/oas-coverage``: which operations of Zoho's OAS files count, how an operation is matched to
an emulator endpoint (method and path shape, either path convention), and what the script prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.oas import require_oas_dir
from tests.support.oas_operations import PREFIX, Operation, base_of, coverage, covers, operations_of, record_modules
from zcrm_emulator.routing import Endpoint

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "oas-coverage"
OLD_SERVER = {"servers": [{"url": "https://zohoapis.com"}]}
NEW_SERVER = {"servers": [{"url": "https://zohoapis.{dc}/crm/{version}"}]}


def endpoint(method: str, path: str) -> Endpoint:
    async def handler(call: Any) -> Any:
        raise AssertionError("never called")

    return Endpoint(method, path, handler, "ZohoCRM.settings.ALL")


@pytest.mark.parametrize(
    ("op", "served_by", "expected"),
    [
        # the older files: paths carry /crm/v8
        (Operation("org.json", "/crm/v8/org", "GET"), endpoint("GET", "/org"), True),
        (Operation("org.json", "/crm/v8/org", "PUT"), endpoint("GET", "/org"), False),
        # parameter names may differ; a parameter must meet a parameter
        (Operation("r.json", "/crm/v8/{module_api_name}/{id}", "GET"), endpoint("GET", "/{module}/{record_id}"), True),
        (Operation("r.json", "/crm/v8/Contacts/roles", "GET"), endpoint("GET", "/{module}/{record_id}"), False),
        (Operation("r.json", "/crm/v8/{module}/{id}", "GET"), endpoint("GET", "/{module}/search"), False),
        # the shape must be the whole path, not a prefix of it
        (Operation("r.json", "/crm/v8/{module}/{id}/photo", "GET"), endpoint("GET", "/{module}/{record_id}"), False),
        (Operation("r.json", "/crm/v8/{module}", "GET"), endpoint("GET", "/{module}/{record_id}"), False),
        # the newer files: the server URL ends in /crm/{version}, the paths do not have it
        (
            Operation("webhooks.json", "/settings/automation/webhooks", "GET", PREFIX),
            endpoint("GET", "/settings/automation/webhooks"),
            True,
        ),
        (
            Operation("webhooks.json", "/settings/automation/webhooks", "GET"),
            endpoint("GET", "/settings/automation/webhooks"),
            False,
        ),
        # other API families are never served by the /crm/{version} endpoints
        (Operation("bulk_read.json", "/crm/bulk/v8/read", "POST"), endpoint("POST", "/read"), False),
        (Operation("bulk_read.json", "/crm/bulk/v8/read", "POST"), endpoint("POST", "/bulk/v8/read"), False),
    ],
    ids=str,
)
def test_an_operation_is_served_by_an_endpoint_of_its_method_and_path_shape(
    op: Operation, served_by: Endpoint, expected: bool
) -> None:
    assert covers(op, served_by) is expected


@pytest.mark.parametrize(
    ("document", "base"),
    [
        (OLD_SERVER, ""),
        (NEW_SERVER, PREFIX),
        ({"servers": [{"url": "https://www.zohoapis.{dc}/crm/{version}"}]}, PREFIX),
        ({"servers": [{"url": "https://zohoapis.com/crm/v8/extra"}]}, ""),
        ({}, ""),
        ({"servers": []}, ""),
    ],
)
def test_the_server_url_decides_whether_paths_carry_the_version_prefix(document: dict[str, Any], base: str) -> None:
    assert base_of(document) == base


def test_operations_are_methods_of_crm_paths_only() -> None:
    document = OLD_SERVER | {
        "paths": {
            "/crm/v8/org": {"get": {}, "parameters": [], "PUT": {}},
            "/crm/bulk/v8/read": {"post": {}},
            "/{download_url}": {"get": {}},
            "/": {"get": {}},
        }
    }
    assert [str(op) for op in operations_of("x.json", document)] == [
        "GET /crm/v8/org",
        "PUT /crm/v8/org",
        "POST /crm/bulk/v8/read",
    ]
    newer: dict[str, Any] = NEW_SERVER | {"paths": {"/settings/automation/webhooks": {"get": {}, "post": {}}}}
    assert [op.url_path for op in operations_of("w.json", newer)] == ["/crm/v8/settings/automation/webhooks"] * 2


@pytest.mark.parametrize(
    ("served", "total", "line"),
    [
        (0, 3, "served 0 of 3 operations (0.0%)"),
        (1, 3, "served 1 of 3 operations (33.3%)"),
        (3, 3, "served 3 of 3 operations (100.0%)"),
        (0, 0, "served 0 of 0 operations (0.0%)"),
    ],
)
def test_the_summary_line(served: int, total: int, line: str) -> None:
    ops = [Operation("f.json", f"/crm/v8/p{n}", "GET") for n in range(total)]
    endpoints = [endpoint("GET", f"/p{n}") for n in range(served)]
    assert coverage(ops, endpoints).summary() == line


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=False, env=env
    )


@pytest.fixture
def oas_folder(tmp_path: Path) -> Path:
    """Two files in the two conventions: four operations, two of which the emulator serves."""
    (tmp_path / "org.json").write_text(
        json.dumps(OLD_SERVER | {"paths": {"/crm/v8/org": {"get": {}}, "/crm/v8/no_such_thing": {"delete": {}}}})
    )
    (tmp_path / "webhooks.json").write_text(
        json.dumps(
            NEW_SERVER | {"paths": {"/settings/automation/webhooks": {"get": {}}, "/settings/nothing": {"put": {}}}}
        )
    )
    return tmp_path


def test_the_script_prints_how_many_operations_the_emulator_serves(oas_folder: Path) -> None:
    done = run(str(oas_folder))
    assert (done.returncode, done.stdout) == (0, "served 2 of 4 operations (50.0%)\n"), done.stderr


def test_the_script_lists_the_missing_operations_by_file(oas_folder: Path) -> None:
    done = run(str(oas_folder), "--missing")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "served 2 of 4 operations (50.0%)",
        "",
        "org.json (1)",
        "  DELETE /crm/v8/no_such_thing",
        "",
        "webhooks.json (1)",
        "  PUT /crm/v8/settings/nothing",
    ]


def test_the_script_reads_the_folder_from_the_environment(oas_folder: Path) -> None:
    env = {"ZCRM_OAS_DIR": str(oas_folder), "PATH": "/usr/bin:/bin"}
    assert run(env=env).stdout == "served 2 of 4 operations (50.0%)\n"


@pytest.mark.parametrize("args", [[], ["/nonexistent/oas"]])
def test_the_script_refuses_without_a_folder_of_oas_files(args: list[str]) -> None:
    done = run(*args, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 2 and done.stdout == ""
    assert "ZCRM_OAS_DIR" in done.stderr or "no OAS operations found" in done.stderr


def test_the_report_ticks_served_operations_per_file(oas_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "COVERAGE.md"
    done = run(str(oas_folder), "--write", str(report))
    assert done.returncode == 0, done.stderr
    text = report.read_text()
    assert "**served 2 of 4 operations (50.0%)**" in text
    assert "| org.json | 1 | 2 |" in text and "| webhooks.json | 1 | 2 |" in text
    assert "- [x] GET /crm/v8/org" in text and "- [ ] DELETE /crm/v8/no_such_thing" in text
    assert "- [x] GET /crm/v8/settings/automation/webhooks" in text and "- [ ] PUT /crm/v8/settings/nothing" in text


def test_the_check_fails_on_a_stale_report_and_passes_on_a_current_one(oas_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "COVERAGE.md"
    report.write_text("# an older count\n")
    stale = run(str(oas_folder), "--check", str(report))
    assert stale.returncode == 1 and "stale" in stale.stderr
    run(str(oas_folder), "--write", str(report))
    assert run(str(oas_folder), "--check", str(report)).returncode == 0


def test_implementation_coverage_md_is_current() -> None:
    """The committed report matches the endpoints and Zoho's files (rewrite it with --write)."""
    folder = require_oas_dir()
    done = run(str(folder), "--check", str(SCRIPT.parents[1] / "IMPLEMENTATION_COVERAGE.md"))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("op", "served_by", "expected"),
    [
        (Operation("s.json", "/crm/v8/Services__s", "GET"), endpoint("GET", "/{module}"), True),
        (Operation("s.json", "/crm/v8/Services__s/{id}", "PUT"), endpoint("PUT", "/{module}/{record_id:id}"), True),
        (
            Operation("c.json", "/crm/v8/Leads/{id}/actions/convert", "POST"),
            endpoint("POST", "/{module}/{record_id:id}/actions/convert"),
            True,
        ),
        # a module the record paths do not serve, or a name that is no module, is not served by {module}
        (Operation("q.json", "/crm/v8/Quoted_Items", "GET"), endpoint("GET", "/{module}"), False),
        (Operation("x.json", "/crm/v8/settings", "GET"), endpoint("GET", "/{module}"), False),
        # only {module} takes a literal: another parameter still wants a parameter
        (Operation("x.json", "/crm/v8/Leads/Contacts", "GET"), endpoint("GET", "/{module}/{record_id:id}"), False),
    ],
    ids=str,
)
def test_a_module_named_in_the_path_is_served_by_the_module_parameter(
    op: Operation, served_by: Endpoint, expected: bool
) -> None:
    assert covers(op, served_by, frozenset({"Services__s", "Leads"})) is expected
    assert "Services__s" in record_modules() and "Quoted_Items" not in record_modules()
