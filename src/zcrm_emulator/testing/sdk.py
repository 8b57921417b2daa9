"""The official Python SDK (``zohocrmsdk8-0``, installed by the project under test) initialised
against an emulator, over a loopback URL or in-process (``route_requests``, requests_adapter.py):
the SDK's environment, accounts URL and token endpoint all point at the emulator, so nothing it
sends can reach a real Zoho host."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def initialize_sdk(
    base_url: str,
    workdir: Path,
    *,
    access_token: str | None = None,
    grant: dict[str, str] | None = None,
) -> Any:
    """Initialise the SDK against ``base_url`` with an access token, or with a grant code (``grant``:
    ``client_id``, ``client_secret``, ``code``, as the Self Client gives them), which the SDK
    exchanges for tokens itself on its first call. Its token file and field cache go in ``workdir``.
    No log file: the SDK adds a handler to its global logger for each one it is given, which would
    outlive ``workdir``; it logs through ``logging`` (logger ``SDKLogger``) all the same.
    Returns the SDK's ``OAuthToken``."""
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken  # type: ignore[import-untyped]
    from zohocrmsdk.src.com.zoho.api.authenticator.store import FileStore  # type: ignore[import-untyped]
    from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter  # type: ignore[import-untyped]
    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer  # type: ignore[import-untyped]
    from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig  # type: ignore[import-untyped]

    if (access_token is None) == (grant is None):
        raise ValueError("give either an access token or a grant code")
    if grant is not None:
        token = OAuthToken(
            client_id=grant["client_id"], client_secret=grant["client_secret"], grant_token=grant["code"]
        )
    else:
        token = OAuthToken(access_token=access_token)
    base = base_url.rstrip("/")
    workdir.mkdir(parents=True, exist_ok=True)
    Initializer.initialize(
        environment=DataCenter.Environment(base, f"{base}/oauth/v2/token", base),
        token=token,
        store=FileStore(str(workdir / "sdk_tokens.csv")),
        sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False),
        resource_path=str(workdir),
    )
    return token
