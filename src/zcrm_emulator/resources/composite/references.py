"""References between sub-requests: ``@{<sub_request_id>:<JSONPath>}`` in a sub-request's uri, params,
headers or body stands for a value of an earlier sub-request's response body (Zoho's composite API
notes: ``@{1:$.data[0].details.id}``).

The JSONPath is the plain kind the examples use: ``$`` followed by ``.name``, ``['name']`` and
``[index]`` steps. A string that is one reference and nothing else becomes the referred value itself
(a number stays a number in a body); a reference inside longer text is replaced by the value's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# "@{" opens a reference; what follows up to the first "}" must be "<id>:<path>".
_OPENER = "@{"
_REFERENCE = re.compile(r"@\{([^{}:]*):([^{}]*)\}")
_ID = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_]*")
_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\['([^']*)'\]|\[\"([^\"]*)\"\]")

Step = str | int


class BadReference(Exception):
    """Text that opens a reference but is not one."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Reference:
    text: str  # as written, "@{1:$.data[0].details.id}"
    target: str  # the referred sub-request's id
    steps: tuple[Step, ...]


def parse_path(path: str) -> tuple[Step, ...] | None:
    """``$.data[0].details.id`` -> ("data", 0, "details", "id"); None when it is no such path."""
    if not path.startswith("$"):
        return None
    steps: list[Step] = []
    position = 1
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None:
            return None
        name, index, quoted, double_quoted = match.groups()
        if index is not None:
            steps.append(int(index))
        else:
            steps.append(next(part for part in (name, quoted, double_quoted) if part is not None))
        position = match.end()
    return tuple(steps)


def in_text(text: str) -> list[Reference]:
    """The references in ``text``, in order; BadReference when some "@{" opens none."""
    found: list[Reference] = []
    position = 0
    while (start := text.find(_OPENER, position)) != -1:
        match = _REFERENCE.match(text, start)
        if match is None:
            end = text.find("}", start)
            raise BadReference(text[start : end + 1] if end != -1 else text[start:])
        target, path = match.group(1).strip(), match.group(2).strip()
        steps = parse_path(path)
        if not _ID.fullmatch(target) or steps is None:
            raise BadReference(match.group(0))
        found.append(Reference(match.group(0), target, steps))
        position = match.end()
    return found


@dataclass(frozen=True)
class Place:
    """Where a string with references sits in a sub-request: the key that holds it and its path."""

    api_name: str
    json_path: str
    text: str


def strings(value: Any, api_name: str, json_path: str) -> Iterator[Place]:
    """Every string in ``value`` (nested objects and arrays included) that opens a reference."""
    if isinstance(value, str):
        if _OPENER in value:
            yield Place(api_name, json_path, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, str(key), f"{json_path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, api_name, f"{json_path}[{index}]")


class Unresolved(Exception):
    """A reference whose response has no value at its path."""

    def __init__(self, reference: Reference) -> None:
        super().__init__(reference.text)
        self.reference = reference


_MISSING = object()


def lookup(body: Any, reference: Reference) -> Any:
    """The value at the reference's path in ``body``; Unresolved when there is none (or it is null)."""
    value = body
    for step in reference.steps:
        if isinstance(step, int) and isinstance(value, list) and step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict):
            value = value.get(step, _MISSING)
        else:
            value = _MISSING
        if value is _MISSING:
            raise Unresolved(reference)
    if value is None:
        raise Unresolved(reference)
    return value


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def substitute(value: Any, bodies: dict[str, Any], *, keep_types: bool) -> Any:
    """``value`` with every reference replaced from ``bodies`` (response bodies by sub-request id).
    ``keep_types``: a string that is one whole reference takes the referred value as it is (bodies);
    otherwise every value becomes text (uri, params, headers). Raises Unresolved."""
    if isinstance(value, str):
        if _OPENER not in value:
            return value
        references = in_text(value)
        if keep_types and len(references) == 1 and references[0].text == value.strip():
            return lookup(bodies.get(references[0].target), references[0])
        for reference in references:
            value = value.replace(reference.text, as_text(lookup(bodies.get(reference.target), reference)), 1)
        return value
    if isinstance(value, dict):
        return {key: substitute(item, bodies, keep_types=keep_types) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, bodies, keep_types=keep_types) for item in value]
    return value
