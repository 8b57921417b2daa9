"""zcrm-emulator: a local, stateful, wire-compatible Zoho CRM API and accounts server."""

from zcrm_emulator.app import create_app

__all__ = ["create_app"]
