"""SQL for field updates: one row per field update, its wire object in ``data``, names unique in the org."""

from __future__ import annotations

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import field_updates

FIELD_UPDATES = documents.SettingsDocuments(field_updates)
