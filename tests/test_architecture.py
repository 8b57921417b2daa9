"""The rules the layout keeps (docs/architecture.md "The database rule", "The record model"):

* SQL only in repo modules (``repo.py``) and the ``store`` package: nowhere else builds a statement
  or executes one;
* the statements that run prepared (store/prepared.py) are exactly the named list, and each of them
  runs on both stores in an ordinary session of calls;
* savepoints are opened one way (``store.engine.savepoint``);
* nothing outside ``record_model`` imports its inside: other packages use its public API;
* every resource folder is in the layers contract (routes over service over repo over rules);
* no module imports itself back through others (no import cycles; imports for type checking only
  aside, as the contracts of pyproject.toml's ``[tool.importlinter]`` read them).
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest
from starlette.testclient import TestClient

from tests.conftest import ALL_SCOPES, TokenFactory
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store.prepared import HOT_STATEMENTS, Prepared

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zcrm_emulator"
# SQLAlchemy names that build statements.
STATEMENT_BUILDERS = frozenset(
    {"select", "insert", "update", "delete", "text", "func", "bindparam", "and_", "or_", "tuple_", "exists", "case"}
)


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE), ast.parse(path.read_text(encoding="utf-8"))


def speaks_sql(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [f"imports {a.name}" for a in node.names if a.name in STATEMENT_BUILDERS]
        if isinstance(node, ast.Attribute) and node.attr in ("execute", "exec_driver_sql", "executemany"):
            found.append(f".{node.attr}(…)")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Prepared":
            found.append("Prepared(…)")
    return found


def test_sql_lives_only_in_repo_modules_and_the_store() -> None:
    outside = {
        str(path): found
        for path, tree in modules()
        if path.name != "repo.py" and path.parts[0] != "store" and (found := speaks_sql(tree))
    }
    assert outside == {}


def test_the_prepared_statements_are_exactly_the_named_hot_list() -> None:
    names = {
        keyword.value.value
        for _, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Prepared"
        for keyword in node.keywords
        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant)
    }
    assert names == HOT_STATEMENTS


def opens_savepoints(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "begin_nested":
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("SAVEPOINT"):
            return True
    return False


def test_every_resource_folder_is_held_to_the_layers_contract() -> None:
    contracts = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layered = next(c for c in contracts if c["name"].startswith("Each resource is layered"))
    folders = {f"zcrm_emulator.resources.{p.parent.name}" for p in (PACKAGE / "resources").glob("*/__init__.py")}
    assert sorted(folders - set(layered["containers"])) == []


def test_savepoints_are_opened_one_way() -> None:
    openers = [str(path) for path, tree in modules() if opens_savepoints(tree)]
    assert openers == ["store/engine.py"]


def test_nothing_outside_the_record_model_imports_its_inside() -> None:
    reaching_in = [
        f"{path}: {node.module}"
        for path, tree in modules()
        if path.parts[0] != "record_model"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("zcrm_emulator.record_model.")
    ]
    assert reaching_in == []


def test_no_module_imports_itself_back() -> None:
    graph = grimp.build_graph("zcrm_emulator", exclude_type_checking_imports=True)
    cycles = sorted(
        f"{module} -> {imported}"
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert cycles == []


@pytest.mark.usefixtures("both_backends")
def test_every_hot_statement_runs_on_both_stores(
    api: TestClient, emulator: Emulator, both_backends: str, make_token: TokenFactory
) -> None:
    before = {id(p): p.runs for p in Prepared.made}
    lead = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Hot", "Email": "hot@zylker.example"}]})
    record_id = lead.json()["data"][0]["details"]["id"]
    api.get(f"/crm/v8/Leads/{record_id}")
    api.get("/crm/v8/Leads/search", params={"email": "hot@zylker.example"})
    api.get("/crm/v8/settings/modules")
    api.post("/_emulator/clock/advance", json={"seconds": 120})  # a new minute: the running total catches up
    api.get("/crm/v8/settings/modules")
    api.delete("/_emulator/usage")  # held debits written first
    api.post("/crm/v8/settings/custom_links", params={"module": "Leads"}, json={"custom_links": [{}]})
    api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Second"}]})
    api.get("/crm/v8/Leads", params={"fields": "Last_Name", "per_page": 1})  # a next page: its token saved
    # Calls without the admission's stamps read each stamp themselves: a function's zapikey call (the
    # credit standing too) and a record call made inside a composite one.
    function = api.post("/_emulator/functions", json={"name": "ping", "output": "pong"}).json()["function"]
    api.get("/crm/v8/functions/ping/actions/execute", params={"auth_type": "apikey", "zapikey": function["zapikey"]})
    emulator.memo.clear()
    sub = {"method": "GET", "uri": f"/crm/v8/Leads/{record_id}"}
    composite = make_token(scopes=[*ALL_SCOPES, "ZohoCRM.composite_requests.CUSTOM"])
    headers = {"Authorization": f"Zoho-oauthtoken {composite}"}
    api.post("/crm/v8/__composite_requests", json={"__composite_requests": [sub]}, headers=headers)
    # A fault aimed at one client's calls looks the call's token up.
    api.post("/_emulator/faults", json={"error": "INVALID_TOKEN", "client": "1000.NOSUCHCLIENT"})
    api.get("/crm/v8/Leads/search", params={"email": "hot@zylker.example"}, headers=headers)
    ran = {p.name for p in Prepared.made if p.runs > before.get(id(p), 0)}
    expected = HOT_STATEMENTS - ({"lock: advisory"} if both_backends == "sqlite" else set())
    assert expected - ran == set()
