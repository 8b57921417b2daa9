"""SQL for business hours: the org's one object in ``org_settings``."""

from __future__ import annotations

from zcrm_emulator.store.documents import OrgSetting
from zcrm_emulator.store.schema import org_settings

BUSINESS_HOURS = OrgSetting(org_settings, "business_hours")
