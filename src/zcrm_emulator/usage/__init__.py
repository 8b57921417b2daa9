"""API credits (REFERENCE §6.1-§6.2): every CRM call debits its org's rolling 24-hour balance.

``weights.py`` holds Zoho's credit weights as data and the helpers endpoints declare their cost
with; ``credits.py`` is the debit the gateway makes after the permission check (429 past the
limit); ``repo.py`` the per-minute usage buckets (the only SQL); ``control.py`` serves
``GET /_emulator/usage``, the balance and the window's usage per endpoint.
"""
