"""The ``/_emulator`` control plane: for tests and operators, never part of Zoho's API."""
