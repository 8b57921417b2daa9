"""API credits (REFERENCE §6.1-§6.2): every CRM call debits its org's rolling 24-hour balance.

``weights.py`` holds Zoho's credit weights as data and the helpers endpoints declare their cost
with; ``credits.py`` is the check the gateway makes after the permission check (429 past the
limit) and the debit it returns; ``pending.py`` holds committed calls' debits until they are
written together; ``repo.py`` the per-minute usage buckets (the only SQL); ``control.py`` serves
``GET /_emulator/usage``, the balance and the window's usage per endpoint.
"""
