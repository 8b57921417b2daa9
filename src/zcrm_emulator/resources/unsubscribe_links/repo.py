"""SQL for unsubscribe links (one row per link, its wire object in ``data``, names unique per org)."""

from __future__ import annotations

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import unsubscribe_links

LINKS = documents.SettingsDocuments(unsubscribe_links)
