"""The operations of Zoho's v8 OAS files and which of them the emulator serves (``scripts/oas-coverage``).

An operation is a method and a path as a file writes it. Two conventions meet in the folder: the
older files' server is the bare host and their paths start with ``/crm/v8`` (or ``/crm/bulk/v8``,
``/crm/email/v8`` …); the newer ones (webhooks, workflow rules …) have a server URL ending in
``/crm/{version}`` and paths without it. ``url_path`` puts both in one form.

The emulator serves an operation when an endpoint of ``zcrm_emulator.endpoints.ENDPOINTS`` (paths
under ``/crm/{version}``) has its method and its shape: the same literal segments, a parameter
wherever the file has one (the names may differ).

Counted: every operation whose URL path starts with ``/crm/``. Not counted: ``/{download_url}``
(a URL an API hands out, listed in some files as if it were a path) and ``common.json``'s ``/``, which
only carries shared schemas.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

PREFIX = "/crm/v8"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class Served(Protocol):
    """What the matching reads of an emulator endpoint (``routing.Endpoint``)."""

    @property
    def method(self) -> str: ...

    @property
    def path(self) -> str: ...


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


def covers(op: Operation, endpoint: Served) -> bool:
    """True when ``endpoint`` (a path under /crm/{version}) answers ``op``'s method and path shape."""
    if op.method != endpoint.method or not op.url_path.startswith(f"{PREFIX}/"):
        return False
    return segments(op.url_path.removeprefix(PREFIX)) == segments(endpoint.path)


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


def coverage(operations: Iterable[Operation], endpoints: Sequence[Served]) -> Coverage:
    served: list[Operation] = []
    missing: list[Operation] = []
    for op in operations:
        (served if any(covers(op, endpoint) for endpoint in endpoints) else missing).append(op)
    return Coverage(served, missing)
