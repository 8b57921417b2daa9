"""``/settings/automation/webhooks``: webhooks, their failure log and usage report, and firing a
webhook for a record (``service.fire``), which workflow rules do (AUTOMATION.md §2)."""
