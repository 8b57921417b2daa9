"""SQL for the fiscal year: the org's one object in ``org_settings`` (a fresh org has none stored and
reads the defaults)."""

from __future__ import annotations

from zcrm_emulator.store.documents import OrgSetting
from zcrm_emulator.store.schema import org_settings

FISCAL_YEAR = OrgSetting(org_settings, "fiscal_year")
