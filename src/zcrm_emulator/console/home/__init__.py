"""The console's home page: the org, the emulator clock (advance it), the credits used in the
rolling 24 hours, reset, and snapshots (save, restore, delete)."""
