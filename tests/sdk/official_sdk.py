"""The official Python SDK (zohocrmsdk8-0) pointed at a live emulator with an access token only."""

from __future__ import annotations

from pathlib import Path

import httpx
from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store import FileStore
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig


def initialize_sdk(base_url: str, workdir: Path, scopes: list[str] | None = None) -> None:
    """An admin access token from the control plane (the control plane's default scopes unless
    ``scopes``), and the SDK initialised against ``base_url`` (its token file and field cache in
    ``workdir``)."""
    wanted = {} if scopes is None else {"scopes": scopes}
    token = httpx.post(f"{base_url}/_emulator/tokens", json=wanted).json()["access_token"]
    environment = DataCenter.Environment(base_url, f"{base_url}/oauth/v2/token", base_url)
    Initializer.initialize(
        environment=environment,
        token=OAuthToken(access_token=token),
        store=FileStore(str(workdir / "sdk_tokens.csv")),
        sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False),
        resource_path=str(workdir),
    )
