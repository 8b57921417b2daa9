"""Requests the emulator sends out — webhooks, watch callbacks, connection tests — stored before any
attempt and sent after the deciding transaction commits (engine.py), under one policy (rules.py),
every attempt logged (repo.py; ``GET /_emulator/deliveries``)."""

from __future__ import annotations

from zcrm_emulator.delivery.engine import Deliveries, Outbound, Sent
from zcrm_emulator.delivery.rules import MODES, OUTBOUND_POLICIES, DeliveryPolicy, is_private_host, refused_by

__all__ = [
    "MODES",
    "OUTBOUND_POLICIES",
    "Deliveries",
    "DeliveryPolicy",
    "Outbound",
    "Sent",
    "is_private_host",
    "refused_by",
]
