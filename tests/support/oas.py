"""Validate a response against Zoho's own OpenAPI 3.0 files for v8 (github.com/zoho/crm-oas, v8.0).

    from tests.support.oas import validate_response
    validate_response(response, "modules.json", "/crm/v8/settings/modules/{api_name}", "GET")

The files are read at test time, never copied into the project: from ``$ZCRM_OAS_DIR``, else from
``zoho-oas/v8.0`` in the folder shared beside the checkout. When neither exists the calling test is
skipped with that reason (``require_oas_dir``).

How the files are read:

* every schema is checked with ``openapi_schema_validator.OAS30ReadValidator`` (OAS 3.0 ``nullable``,
  ``readOnly``/``writeOnly``, draft-4 ``$ref`` semantics), or, in the files written in OpenAPI 3.1
  (webhooks, workflow rules …), with ``OAS31Validator`` (JSON Schema 2020-12);
* the files ``$ref`` each other by their ``raw.githubusercontent.com`` URLs; a ``referencing``
  registry answers those URLs from the local folder, so nothing is fetched from the network;
* the status code must be one the operation documents, unless the caller names it in
  ``undocumented_ok`` (e.g. 304, which Zoho's files never list); a status documented without content
  (204, 304) must come with an empty body;
* the ``Content-Type`` media type (parameters such as ``;charset=UTF-8`` aside) must be one the
  response documents;
* ``null`` passes a ``nullable`` schema that also has an ``enum`` (OAS 3.0.3: nullable adds null to
  the allowed values), and a value valid under several ``oneOf`` alternatives passes (the files write
  ``oneOf`` where ``anyOf`` is meant, with overlapping alternatives);
* the files are machine-written and in places stricter than Zoho's own API (keys marked required that
  Zoho's examples never send, ``nullable`` forgotten, enums and patterns taken from one sample value).
  Each such place a test tolerates is an ``Allowance`` naming the path, the rule and the Zoho source
  that shows the real behavior, so the list of deviations is explicit and reviewable:

      NULLABLE = Allowance("$.roles.*.reporting_to", "null", "the top role reports to no one (OASx getRoles)")
      validate_response(response, "roles.json", "/crm/v8/settings/roles", allow=[NULLABLE])
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30ReadValidator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

OAS_ENV = "ZCRM_OAS_DIR"
# The URL prefix Zoho's files use to point at each other.
REMOTE_BASE = "https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/"
_NEAR_CHECKOUT = Path(__file__).resolve().parents[3] / "shared" / "zoho-oas" / "v8.0"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def oas_dir() -> Path | None:
    """The folder holding Zoho's v8.0 OAS files, or None when it is not on this machine."""
    configured = os.environ.get(OAS_ENV)
    folder = Path(configured) if configured else _NEAR_CHECKOUT
    return folder if (folder / "common.json").is_file() else None


def require_oas_dir() -> Path:
    folder = oas_dir()
    if folder is None:
        pytest.skip(
            f"Zoho's v8.0 OpenAPI files are not available: set {OAS_ENV} to a folder holding them "
            "(the v8.0 folder of github.com/zoho/crm-oas)"
        )
    return folder


@cache
def load(file: str) -> dict[str, Any]:
    """One OAS file as a dict (cached: the files are read-only)."""
    return json.loads((require_oas_dir() / file).read_text(encoding="utf-8"))


def is_openapi_31(file: str) -> bool:
    """Some of Zoho's files (webhooks, workflow rules …) are OpenAPI 3.1: JSON Schema 2020-12 with
    ``type: [..., "null"]`` instead of ``nullable``."""
    return str(load(file).get("openapi", "")).startswith("3.1")


def _retrieve(uri: str) -> Resource[Any]:
    if not uri.startswith(REMOTE_BASE):
        raise LookupError(f"only Zoho's v8.0 OAS files can be referenced, not {uri}")
    file = uri.removeprefix(REMOTE_BASE)
    return Resource.from_contents(load(file), default_specification=DRAFT202012 if is_openapi_31(file) else DRAFT4)


@cache
def _registry() -> Registry[Any]:
    return Registry(retrieve=_retrieve)  # type: ignore[call-arg]


def _pointer_escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _follow(file: str, node: Mapping[str, Any], pointer: str) -> tuple[str, Mapping[str, Any], str]:
    """Follow an OAS (non-schema) ``$ref`` chain, e.g. a response object: (file, object, pointer)."""
    while "$ref" in node:
        target = str(node["$ref"])
        where, _, fragment = target.partition("#")
        if where:
            file = where.removeprefix(REMOTE_BASE)
        node = load(file)
        for token in fragment.lstrip("/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        pointer = fragment
    return file, node, pointer


def operation(file: str, path: str, method: str) -> dict[str, Any]:
    paths = load(file)["paths"]
    if path not in paths:
        raise AssertionError(f"{file} has no path {path!r}; it has {sorted(paths)}")
    operations = paths[path]
    if method.lower() not in operations:
        documented = sorted(m.upper() for m in operations if m in METHODS)
        raise AssertionError(f"{file} documents no {method.upper()} {path}; only {documented}")
    return operations[method.lower()]


@dataclass(frozen=True)
class Allowance:
    """One known way an OAS file disagrees with what Zoho's API actually sends, tolerated on purpose.

    ``at`` is the JSON path of the value (``*`` = any array index or key), e.g. ``$.users.*.time_zone``.
    ``rule`` is what the file gets wrong there: ``null`` (the value may be null but the file omits
    ``nullable``), ``required`` (``key`` may be absent; ``*`` = any key), or a JSON Schema keyword
    (``enum``, ``pattern``, ``type`` …). ``why`` says which Zoho source shows the real behavior.
    """

    at: str
    rule: str
    why: str
    key: str | None = None

    def covers(self, path: tuple[str, ...], rule: str, key: str | None) -> bool:
        pattern = tuple(self.at.removeprefix("$").strip(".").split(".")) if self.at != "$" else ()
        return (
            self.rule == rule
            and len(pattern) == len(path)
            and all(p in ("*", seg) for p, seg in zip(pattern, path, strict=True))
            and (rule != "required" or self.key in ("*", key))
        )


def _leaves(
    error: ValidationError, counts: Callable[[ValidationError], bool] = lambda leaf: True
) -> list[ValidationError]:
    """The concrete failures under an error. For ``oneOf``/``anyOf`` the failures of the alternative
    that came closest (fewest failures that ``counts``: those no allowance excuses, in
    ``schema_errors``), so a message names the key at fault, not the whole body."""
    if not error.context:
        return [error]
    by_alternative: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        by_alternative.setdefault(sub.schema_path[0] if sub.schema_path else None, []).append(sub)
    closest = min(
        by_alternative.values(), key=lambda subs: sum(1 for s in subs for leaf in _leaves(s, counts) if counts(leaf))
    )
    return [leaf for sub in closest for leaf in _leaves(sub, counts)]


_MISSING_KEY = re.compile(r"^'(.+)' is a required property$")


def _classify(error: ValidationError) -> tuple[str, str | None] | None:
    """(rule, key) of a leaf failure; None for failures that are not failures in OAS 3.0.3 terms."""
    if error.instance is None and error.validator in ("nullable", "type"):
        return "null", None
    if error.instance is None and error.validator == "enum" and error.schema.get("nullable") is True:
        return None  # OAS 3.0.3: "nullable: true" adds null to the allowed values, enum or not
    if error.validator == "oneOf" and not error.context:
        # Valid under several alternatives: Zoho's files say oneOf where anyOf is meant (e.g. the
        # profile section categories Category_Module and Category_Others overlap).
        return None
    if error.validator == "required":
        match = _MISSING_KEY.match(error.message)
        return "required", match.group(1) if match else None
    return str(error.validator), None


def schema_errors(
    instance: Any, file: str, pointer: str, allow: Iterable[Allowance] = (), used: set[Allowance] | None = None
) -> list[str]:
    """Every way ``instance`` breaks the schema at ``file#pointer`` that no allowance covers; the
    allowances that excused something are added to ``used``."""
    validator_class = OAS31Validator if is_openapi_31(file) else OAS30ReadValidator
    validator = validator_class({"$ref": f"{REMOTE_BASE}{file}#{pointer}"}, registry=_registry())
    allowances = list(allow)
    used = used if used is not None else set()
    found: set[str] = set()

    def path_of(leaf: ValidationError) -> tuple[str, ...]:
        return tuple("*" if isinstance(p, int) else str(p) for p in leaf.absolute_path)

    def unexcused(leaf: ValidationError) -> bool:
        kind = _classify(leaf)
        return kind is not None and not any(a.covers(path_of(leaf), *kind) for a in allowances)

    for error in validator.iter_errors(instance):
        for leaf in _leaves(error, unexcused):
            kind = _classify(leaf)
            if kind is None:
                continue
            path = path_of(leaf)
            excusing = [a for a in allowances if a.covers(path, *kind)]
            if excusing:
                used.update(excusing)
                continue
            found.add(f"at $.{'.'.join(map(str, leaf.absolute_path))}: {leaf.message[:300]}")
    return sorted(found)


# What the test command's closing summary reports (tests/conftest.py): the tests that checked at
# least one response against Zoho's files, and how many responses they checked.
CHECKED_TESTS: set[str] = set()
CHECKED_RESPONSES = [0]


def _count_check() -> None:
    CHECKED_TESTS.add(os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" ", 1)[0])
    CHECKED_RESPONSES[0] += 1


def validate_response(
    response: httpx.Response,
    file: str,
    path: str,
    method: str = "GET",
    *,
    undocumented_ok: Iterable[int] = (),
    allow: Iterable[Allowance] = (),
) -> set[Allowance]:
    """Assert that ``response`` is what ``file`` documents for ``method path`` (raises AssertionError).
    Returns the allowances that excused a failure, so a test can prove none of them is dead weight."""
    op = operation(file, path, method)
    _count_check()
    status = str(response.status_code)
    responses = op.get("responses", {})
    base_pointer = f"/paths/{_pointer_escape(path)}/{method.lower()}/responses"
    if status in responses:
        key = status
    elif response.status_code in set(undocumented_ok):
        assert not response.content, f"{status} (not documented) came with a body: {response.text[:200]}"
        return set()
    elif "default" in responses:
        key = "default"
    else:
        raise AssertionError(f"{method.upper()} {path} in {file} documents {sorted(responses)}, not {status}")
    owner, documented, pointer = _follow(file, responses[key], f"{base_pointer}/{_pointer_escape(key)}")
    content = documented.get("content") or {}
    if not content:
        assert not response.content, f"{status} is documented without a body, got {response.text[:200]}"
        return set()
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    assert media_type in content, f"Content-Type {media_type!r} is not among {sorted(content)}"
    schema_pointer = f"{pointer}/content/{_pointer_escape(media_type)}/schema"
    used: set[Allowance] = set()
    errors = schema_errors(response.json(), owner, schema_pointer, allow, used)
    assert not errors, f"{method.upper()} {path} {status} breaks {file}:\n  " + "\n  ".join(errors[:40])
    return used


__all__ = ["Allowance", "load", "oas_dir", "operation", "require_oas_dir", "schema_errors", "validate_response"]


def record_schema_pointer(path: str, method: str) -> str:
    """The JSON pointer of an operation's 200 schema in record.json (every record answer is checked
    against it, whatever its status: the file documents nothing else)."""
    return (
        f"/paths/{path.replace('~', '~0').replace('/', '~1')}/{method}/responses/200/content/application~1json/schema"
    )
