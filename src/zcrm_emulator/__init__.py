"""zcrm-emulator: a local, stateful, wire-compatible Zoho CRM API and accounts server."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zcrm_emulator.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    # The app is imported on first use, not with the package: pytest loads the testing kit's plugin
    # (zcrm_emulator.testing.plugin) in every run, and most runs never make an app.
    if name == "create_app":
        from zcrm_emulator.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
