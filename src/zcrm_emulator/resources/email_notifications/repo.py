"""SQL for email notifications: one row per notification, its object in ``data``."""

from __future__ import annotations

from zcrm_emulator.store import documents
from zcrm_emulator.store.schema import email_notifications

NOTIFICATIONS = documents.SettingsDocuments(email_notifications)
