"""Zoho's record limits that the record model itself keeps (REFERENCE §4.2-§4.3, §4.6): how far
pages reach, how long page tokens and the recycle bin keep, how long an indexed key is."""

from __future__ import annotations

MAX_PER_PAGE = 200
DISCRETE_PAGINATION_LIMIT = 2_000  # page/per_page reach only this far
TOKEN_PAGINATION_LIMIT = 100_000  # page_token paging stops here
PAGE_TOKEN_LIFETIME_MS = 24 * 3600 * 1000
RECYCLE_BIN_RETENTION_MS = 60 * 24 * 3600 * 1000  # then a deleted record counts as "permanent"
KEY_VALUE_MAX = 255  # record_keys.value
