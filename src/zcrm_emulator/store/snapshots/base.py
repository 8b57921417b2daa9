"""What both stores' snapshots share: the name rule, the errors, a listing entry and the interface."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
NAME_RULE = "1-40 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit"


class SnapshotError(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class BadName(SnapshotError):
    """The name breaks ``NAME_RULE`` (it becomes a file or schema name)."""


class NotFound(SnapshotError):
    pass


class AlreadyExists(SnapshotError):
    pass


class OtherSchema(SnapshotError):
    """The snapshot was saved at other schema revisions than the code's (before a migration)."""

    def __init__(self, name: str, saved_at: frozenset[str]) -> None:
        super().__init__(name)
        self.saved_at = saved_at


class NotSupported(SnapshotError):
    """The store keeps no files to hold snapshots (in-memory SQLite)."""


@dataclass(frozen=True)
class SnapshotInfo:
    name: str
    created_ms: int  # the machine's clock when it was saved, not emulator time
    size_bytes: int


def checked_name(name: object) -> str:
    if not isinstance(name, str) or NAME_PATTERN.fullmatch(name) is None:
        raise BadName(str(name))
    return name


class Snapshots(Protocol):
    def save(self, name: str, *, replace: bool = False) -> SnapshotInfo: ...

    def restore(self, name: str) -> None: ...

    def list(self) -> list[SnapshotInfo]: ...

    def delete(self, name: str) -> None: ...
