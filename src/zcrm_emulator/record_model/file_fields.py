"""File-upload and image-upload record fields (REFERENCE §3.2; OAS record.json ``FileDetails``,
``Image_Upload``; files.json; field_attachments.json).

A client first keeps a file in the org's file store (``POST /files``) and then names its encrypted
id in the field: ``[{"file_id": "…"}]`` (``File_Id__s`` and ``Encrypted_Id`` name it too). An update
adds the files it names to those the field holds; ``{"id": "…", "_delete": null}`` takes one out
(``attachment_Id`` names it as well), and entries it does not mention stay (docs/decisions.md
"File and image upload fields"). Each entry of the field is stored with its own row id and
attachment id, the file it shows and who added it when; the bytes stay in the file store, so
``download_fields_attachment`` reads them through the file's row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection

from zcrm_emulator import ids
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.resources.files import repo as files_repo
from zcrm_emulator.validation import Invalid, at

FILE_UPLOAD = "fileupload"
IMAGE_UPLOAD = "imageupload"
FILE_TYPES = frozenset({FILE_UPLOAD, IMAGE_UPLOAD})
# Entries one field may hold (docs/decisions.md "File and image upload fields").
MAX_ENTRIES = {FILE_UPLOAD: 5, IMAGE_UPLOAD: 10}
FILE_ID_KEYS = ("file_id", "File_Id__s", "Encrypted_Id")
ENTRY_ID_KEYS = ("id", "attachment_Id")
DELETE = "_delete"


@dataclass(frozen=True)
class Sent:
    """One entry as a write names it: a file to add, or an entry the field holds (kept or deleted)."""

    file_id: str | None = None
    entry_id: str | None = None
    delete: bool = False


def _text_id(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def sent_entries(value: Any) -> list[Sent]:
    """The field's value as a write sends it (the record field type's converter): an array of
    objects, each naming a file to add or an entry the field holds; anything else is Invalid."""
    if not isinstance(value, list):
        raise Invalid
    sent: list[Sent] = []
    for entry in value:
        if not isinstance(entry, dict):
            raise Invalid
        entry_id = next((i for k in ENTRY_ID_KEYS if (i := _text_id(entry.get(k))) is not None), None)
        file_id = next((i for k in FILE_ID_KEYS if (i := _text_id(entry.get(k))) is not None), None)
        if entry_id is not None:
            sent.append(Sent(entry_id=entry_id, delete=DELETE in entry))
        elif file_id is not None and DELETE not in entry:
            sent.append(Sent(file_id=file_id))
        else:
            raise Invalid
    return sent


def file_fields(types: Mapping[str, Any]) -> dict[str, str]:
    """Field api name -> its data type, for a module's file and image upload fields."""
    return {name: kind.name for name, kind in types.items() if kind.name in FILE_TYPES}


@dataclass(frozen=True)
class EntryWrite:
    """Who writes the record's file entries, and when."""

    conn: Connection
    org_id: str
    user_id: str
    now_ms: int


def write_all(
    types: Mapping[str, Any],
    data: dict[str, Any],
    clean: Mapping[str, Any],
    stored: Mapping[str, Any],
    path: str,
    how: EntryWrite,
) -> None:
    """Turn each file field a write names into the entries the record holds, in ``data``."""
    for name, kind in file_fields(types).items():
        sent = clean.get(name)
        if name not in clean or sent is None:
            continue
        entries = _apply(kind, name, list(stored.get(name) or []), sent, path, how)
        if entries:
            data[name] = entries
        else:
            data.pop(name, None)


def _apply(
    kind: str, name: str, held: list[dict[str, Any]], sent: list[Sent], path: str, how: EntryWrite
) -> list[dict[str, Any]]:
    known = {key: entry for entry in held for key in (entry["id"], entry["attachment_Id"])}
    dropped: set[str] = set()
    added: list[dict[str, Any]] = []
    for one in sent:
        if one.entry_id is not None:
            entry = known.get(one.entry_id)
            if entry is None:
                raise ZohoError("INVALID_DATA", at(path, name), Message.UNKNOWN_ID)
            if one.delete:
                dropped.add(entry["id"])
            continue
        assert one.file_id is not None
        added.append(_new_entry(kind, name, one.file_id, path, how))
    entries = [entry for entry in held if entry["id"] not in dropped] + added
    if len(entries) > MAX_ENTRIES[kind]:
        raise ZohoError("LIMIT_EXCEEDED", at(path, name, limit=MAX_ENTRIES[kind]))
    if kind == IMAGE_UPLOAD:
        entries = [{**entry, "sequence": n} for n, entry in enumerate(entries, 1)]
    return entries


def _new_entry(kind: str, name: str, file_id: str, path: str, how: EntryWrite) -> dict[str, Any]:
    """A stored file becomes an entry of the field (INVALID_DATA when the org keeps no such file,
    or, for an image field, when it is no image)."""
    found = files_repo.get(how.conn, how.org_id, file_id)
    if found is None:
        raise ZohoError("INVALID_DATA", at(path, name), Message.UNKNOWN_ID)
    if kind == IMAGE_UPLOAD and not found.content_type.lower().startswith("image/"):
        raise ZohoError("INVALID_DATA", at(path, name), Message.INVALID_FILE_TYPE)
    entry_id, attachment_id = ids.allocate(how.conn, how.org_id, 2)
    return {
        "id": entry_id,
        "attachment_Id": attachment_id,
        "file_id": found.id,
        "name": found.name,
        "size": found.size,
        "by": how.user_id,
        "at": how.now_ms,
    }


def find_entry(types: Mapping[str, Any], data: Mapping[str, Any], attachment_id: str) -> dict[str, Any] | None:
    """The entry of any file or image field of a record whose attachment id (or row id) is given."""
    for name in file_fields(types):
        for entry in data.get(name) or []:
            if attachment_id in (entry["attachment_Id"], entry["id"]):
                return dict(entry)
    return None


class Shows(Protocol):
    """What rendering an entry needs of the reader (record_model.render.Reader)."""

    def user(self, user_id: str | None) -> dict[str, Any] | None: ...

    def time(self, epoch_ms: int | None) -> str | None: ...


def shown(kind: str, entries: list[dict[str, Any]], reader: Shows) -> list[dict[str, Any]]:
    """The entries as Zoho shows them (OAS record.json ``FileDetails`` / ``Image_Upload``)."""
    rendered = []
    for entry in entries:
        when, user = reader.time(entry["at"]), reader.user(entry["by"])
        item: dict[str, Any] = {
            "File_Name__s": entry["name"],
            "Size__s": str(entry["size"]),
            "File_Id__s": entry["file_id"],
            "id": entry["id"],
            "attachment_Id": entry["attachment_Id"],
            "Created_Time__s": when,
            "Modified_Time__s": when,
            "Created_By__s": user,
            "Modified_By__s": dict(user) if user else None,
            "Owner__s": dict(user) if user else None,
        }
        if kind == IMAGE_UPLOAD:
            item.update(Preview_Id__s=entry["file_id"], Sequence_Number__s=entry.get("sequence", 1))
        rendered.append(item)
    return rendered
