"""SQL for shift hours: one row per shift, names unique per org regardless of case."""

from __future__ import annotations

from zcrm_emulator.store.documents import SettingsDocuments
from zcrm_emulator.store.schema import shift_hours

SHIFTS = SettingsDocuments(shift_hours)
