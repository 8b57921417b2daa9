"""SQL for automation tasks: one row per task template, its wire object in ``data``."""

from __future__ import annotations

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import automation_tasks

TASKS = documents.SettingsDocuments(automation_tasks)
