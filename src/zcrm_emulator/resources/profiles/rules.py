"""What the profile list shows (REFERENCE §3.4): each profile without the heavy keys only GET one
carries, lite profiles only when asked for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DETAIL_ONLY = ("permissions_details", "sections")


def listed(profiles: Iterable[dict[str, Any]], *, include_lite: bool) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in profile.items() if k not in DETAIL_ONLY}
        for profile in profiles
        if include_lite or profile.get("type") != "lite_profile"
    ]
