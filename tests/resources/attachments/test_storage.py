"""Where the bytes of attachments, files and photos live (store/blobs.py), on both stores: beside an
SQLite file or in PostgreSQL, kept through a restart, once per content, and consistent with the rows
after a snapshot is restored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.support.records import insert_one
from zcrm_emulator.app import create_app
from zcrm_emulator.config import Settings
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.store import blobs
from zcrm_emulator.store.schema import blobs as blobs_table

pytestmark = pytest.mark.usefixtures("both_backends")


def attach(api: TestClient, record_id: str, name: str, data: bytes) -> str:
    response = api.post(f"/crm/v8/Leads/{record_id}/Attachments", files={"file": (name, data)})
    assert response.status_code == 200, response.text
    return str(response.json()["data"][0]["details"]["id"])


def download(api: TestClient, record_id: str, attachment_id: str) -> bytes | None:
    response = api.get(f"/crm/v8/Leads/{record_id}/Attachments/{attachment_id}")
    return response.content if response.status_code == 200 else None


@pytest.fixture
def second_server(settings: Settings, api: TestClient) -> Iterator[TestClient]:
    """Another emulator on the same database (a restarted server), with the same token."""
    other = Emulator(Settings(db_url=settings.db_url, public_url="http://testserver"))
    try:
        with TestClient(create_app(emulator=other), base_url="http://testserver") as client:
            client.headers.update(api.headers)
            yield client
    finally:
        other.close()


def test_bytes_are_kept_through_a_restart(api: TestClient, second_server: TestClient) -> None:
    lead = insert_one(api, "Leads", {"Last_Name": "Kept"})
    data = bytes(range(256)) * 64
    attachment_id = attach(api, lead, "kept.bin", data)
    photo = b"GIF89a\x02\x00\x02\x00" + b"\x00" * 10
    assert api.post(f"/crm/v8/Leads/{lead}/photo", files={"file": ("p.gif", photo)}).status_code == 200
    assert download(second_server, lead, attachment_id) == data
    assert second_server.get(f"/crm/v8/Leads/{lead}/photo").content == photo


def test_sqlite_keeps_bytes_in_files_beside_the_database_and_postgresql_in_a_table(
    api: TestClient, emulator: Emulator, both_backends: str
) -> None:
    lead = insert_one(api, "Leads", {"Last_Name": "Where"})
    attach(api, lead, "where.txt", b"where are my bytes")
    digest = blobs.digest_of(b"where are my bytes")
    with emulator.store.tx() as conn:
        stored = conn.execute(select(blobs_table.c.data).where(blobs_table.c.digest == digest)).scalar_one()
    root = blobs.folder(emulator.store)
    if both_backends == "sqlite":
        assert stored is None and root is not None
        [path] = root.rglob(digest)
        assert path.read_bytes() == b"where are my bytes"
        assert path.stat().st_mode & 0o777 == 0o600
        assert root.parent == Path(str(emulator.store.path)).parent
    else:
        assert root is None and bytes(stored) == b"where are my bytes"


def test_the_same_content_is_kept_once_and_its_row_goes_with_its_last_user(api: TestClient, emulator: Emulator) -> None:
    lead = insert_one(api, "Leads", {"Last_Name": "Twice"})
    first, second = attach(api, lead, "a.txt", b"same bytes"), attach(api, lead, "b.txt", b"same bytes")
    digest = blobs.digest_of(b"same bytes")

    def rows() -> int:
        with emulator.store.tx() as conn:
            return len(conn.execute(select(blobs_table.c.digest).where(blobs_table.c.digest == digest)).all())

    assert rows() == 1
    api.delete(f"/crm/v8/Leads/{lead}/Attachments/{first}")
    assert rows() == 1 and download(api, lead, second) == b"same bytes"
    api.delete(f"/crm/v8/Leads/{lead}/Attachments/{second}")
    assert rows() == 0


def test_a_restored_snapshot_has_its_attachments_with_their_bytes(api: TestClient, emulator: Emulator) -> None:
    lead = insert_one(api, "Leads", {"Last_Name": "Snap"})
    before = attach(api, lead, "before.txt", b"in the snapshot")
    emulator.snapshot("with-attachment")
    assert api.delete(f"/crm/v8/Leads/{lead}/Attachments/{before}").status_code == 200
    after = attach(api, lead, "after.txt", b"after the snapshot")
    emulator.restore("with-attachment")
    assert download(api, lead, before) == b"in the snapshot"
    assert download(api, lead, after) is None
    again = attach(api, lead, "after.txt", b"after the snapshot")
    assert download(api, lead, again) == b"after the snapshot"
