"""The one storage layer: SQLAlchemy Core over embedded SQLite (default) or PostgreSQL."""

from zcrm_emulator.store.engine import Store

__all__ = ["Store"]
