"""The operations of Zoho's v8 OAS files and which of them the emulator serves (``scripts/oas-coverage``).

An operation is a method and a path as a file writes it. Two conventions meet in the folder: the
older files' server is the bare host and their paths start with ``/crm/v8`` (or ``/crm/bulk/v8``,
``/crm/email/v8`` …); the newer ones (webhooks, workflow rules …) have a server URL ending in
``/crm/{version}`` and paths without it. ``url_path`` puts both in one form.

The emulator serves an operation when an endpoint of ``zcrm_emulator.endpoints.ENDPOINTS`` (paths
under ``/crm/{version}``), or of ``BULK_ENDPOINTS`` (paths under ``/crm/bulk/{version}``, seen through
``Bulk``), has its method and its shape: the same literal segments, a parameter
wherever the file has one (the names may differ). A file that writes a module's name where the
endpoint has ``{module}`` (``/crm/v8/Leads/{id}/actions/convert``, ``/crm/v8/Services__s``) is served
when that module is one the record paths serve (``record_modules``).

Counted: every operation whose URL path starts with ``/crm/``. Not counted: ``/{download_url}``
(a URL an API hands out, listed in some files as if it were a path) and ``common.json``'s ``/``, which
only carries shared schemas.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

PREFIX = "/crm/v8"
BULK_PREFIX = "/crm/bulk/v8"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class Served(Protocol):
    """What the matching reads of an emulator endpoint (``routing.Endpoint``)."""

    @property
    def method(self) -> str: ...

    @property
    def path(self) -> str: ...


class Documented(Protocol):
    """What the matching reads of an operation of a file."""

    @property
    def method(self) -> str: ...

    @property
    def url_path(self) -> str: ...


@dataclass(frozen=True, order=True)
class Operation:
    file: str
    path: str  # as the file writes it: /crm/v8/{module_api_name}/{id} or /settings/automation/tasks
    method: str  # upper case
    base: str = ""  # what the file's server URL puts before its paths: PREFIX or nothing

    @property
    def url_path(self) -> str:
        """The path as a client sends it, e.g. /crm/v8/settings/automation/tasks."""
        return f"{self.base}{self.path}"

    def __str__(self) -> str:
        return f"{self.method} {self.url_path}"


def segments(template: str) -> list[str | None]:
    """Path segments, None for a parameter: the shape two templates share when they name one URL."""
    return [None if part.startswith("{") else part for part in template.strip("/").split("/")]


@dataclass(frozen=True)
class Bulk:
    """An endpoint of ``BULK_ENDPOINTS``: its path is under /crm/bulk/{version}, not /crm/{version}."""

    endpoint: Served
    prefix: str = BULK_PREFIX

    @property
    def method(self) -> str:
        return self.endpoint.method

    @property
    def path(self) -> str:
        return self.endpoint.path


def prefix_of(endpoint: Served) -> str:
    """What a client puts before the endpoint's path: /crm/v8, or /crm/bulk/v8 for a ``Bulk`` one."""
    return str(getattr(endpoint, "prefix", PREFIX))


def served_endpoints() -> list[Served]:
    """Every endpoint the emulator serves: the CRM table and the bulk APIs' own."""
    from zcrm_emulator.endpoints import BULK_ENDPOINTS, ENDPOINTS

    return [*ENDPOINTS, *(Bulk(endpoint) for endpoint in BULK_ENDPOINTS)]


def covers(op: Documented, endpoint: Served, modules: frozenset[str] = frozenset()) -> bool:
    """True when ``endpoint`` (a path under /crm/{version}, or /crm/bulk/{version} for a ``Bulk`` one)
    answers ``op``'s method and path shape; a ``{module}`` parameter also answers a literal segment
    naming one of ``modules``."""
    prefix = prefix_of(endpoint)
    if op.method != endpoint.method or not op.url_path.startswith(f"{prefix}/"):
        return False
    theirs = op.url_path.removeprefix(prefix).strip("/").split("/")
    ours = endpoint.path.strip("/").split("/")
    return len(theirs) == len(ours) and all(_meets(t, o, modules) for t, o in zip(theirs, ours, strict=True))


def _meets(theirs: str, ours: str, modules: frozenset[str]) -> bool:
    if ours.startswith("{"):
        return theirs.startswith("{") or (ours.split(":")[0] == "{module}" and theirs in modules)
    return not theirs.startswith("{") and theirs == ours


@cache
def record_modules() -> frozenset[str]:
    """The api names of the fresh org's modules whose records the ``/{module}`` paths serve."""
    from zcrm_emulator.record_model import serves_records
    from zcrm_emulator.resources.modules.repo import ModuleRef
    from zcrm_emulator.standard_org import org_rows
    from zcrm_emulator.store.schema import modules

    rows = dict(org_rows(now_ms=0, edition="enterprise", dc="us").tables)[modules]
    refs = (ModuleRef(r["id"], r["api_name"], r["generated_type"], r["scope_name"], r["data"]) for r in rows)
    return frozenset(ref.api_name for ref in refs if serves_records(ref))


def base_of(document: Mapping[str, Any]) -> str:
    """PREFIX for a file whose server URL ends in ``/crm/{version}``; nothing for the others."""
    servers = document.get("servers") or [{}]
    return PREFIX if str(servers[0].get("url", "")).endswith("/crm/{version}") else ""


def operations_of(file: str, document: Mapping[str, Any]) -> list[Operation]:
    """The counted operations of one file (path-level keys such as ``parameters`` are no operation)."""
    base = base_of(document)
    return [
        op
        for path, item in (document.get("paths") or {}).items()
        for method in item
        if method.lower() in METHODS
        and (op := Operation(file, path, method.upper(), base)).url_path.startswith("/crm/")
    ]


def documented_operations(folder: Path) -> list[Operation]:
    """Every counted operation of the folder's JSON files, sorted by file, path and method."""
    return sorted(
        op
        for file in sorted(folder.glob("*.json"))
        for op in operations_of(file.name, json.loads(file.read_text(encoding="utf-8")))
    )


@dataclass(frozen=True)
class Coverage:
    served: list[Operation]
    missing: list[Operation]

    @property
    def total(self) -> int:
        return len(self.served) + len(self.missing)

    @property
    def percent(self) -> float:
        return 100.0 * len(self.served) / self.total if self.total else 0.0

    def summary(self) -> str:
        return f"served {len(self.served)} of {self.total} operations ({self.percent:.1f}%)"

    def missing_by_file(self) -> dict[str, list[Operation]]:
        grouped: dict[str, list[Operation]] = {}
        for op in self.missing:
            grouped.setdefault(op.file, []).append(op)
        return grouped

    def markdown(self) -> str:
        """``IMPLEMENTATION_COVERAGE.md``: the summary, a table per file, then each file's operations
        with a box ticked for those served (the layout of moto's coverage file)."""
        files: dict[str, list[tuple[Operation, bool]]] = {}
        for op in self.served:
            files.setdefault(op.file, []).append((op, True))
        for op in self.missing:
            files.setdefault(op.file, []).append((op, False))
        lines = [
            "# Implementation coverage",
            "",
            "Which operations of Zoho CRM's v8 OpenAPI files (github.com/zoho/crm-oas, `v8.0`) the emulator",
            "serves: an endpoint with the operation's method and path shape. Written by",
            "`scripts/oas-coverage --write IMPLEMENTATION_COVERAGE.md`; the test suite fails when it is stale.",
            "",
            f"**{self.summary()}**",
            "",
            "| file | served | operations |",
            "|---|---:|---:|",
        ]
        for file, ops in sorted(files.items()):
            lines.append(f"| {file} | {sum(served for _, served in ops)} | {len(ops)} |")
        for file, ops in sorted(files.items()):
            lines += ["", f"## {file}", ""]
            lines += [f"- [{'x' if served else ' '}] {op}" for op, served in sorted(ops)]
        return "\n".join(lines) + "\n"


def coverage(
    operations: Iterable[Operation], endpoints: Sequence[Served], modules: frozenset[str] = frozenset()
) -> Coverage:
    served: list[Operation] = []
    missing: list[Operation] = []
    for op in operations:
        (served if any(covers(op, endpoint, modules) for endpoint in endpoints) else missing).append(op)
    return Coverage(served, missing)
