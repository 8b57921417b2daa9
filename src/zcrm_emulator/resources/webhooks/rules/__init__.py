"""Webhooks' rules as plain data and functions (no HTTP, no SQL): the named policies (policy.py),
the checks of a webhook's keys (webhook.py, parameters.py, checks.py), merge tokens (merge.py),
date formats (formats.py), the request a webhook sends (request.py), the shapes Zoho shows
(shapes.py) and the failure log and usage report (reports.py)."""
