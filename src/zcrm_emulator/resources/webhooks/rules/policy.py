"""The webhook limits as named policies, chosen per server like the token policies
(``serve --webhook-policy``, ``Settings.webhook_policy``; accounts/policy.py).

``current`` follows Zoho's v8 Webhooks API (AUTOMATION.md §2.2, §8 #3): names up to 250 characters,
URLs up to 2,000, POST, GET, PUT and DELETE, 25 module and 10 custom parameters per collection, one
webhook per workflow rule (the ``workflow_configurations`` example). ``seed`` carries the figures of
the seed guide the issue came from (AUTOMATION.md §9 #1-#4): names of letters and digits up to 50,
URLs up to 200 on ports 80 or 443, POST or GET only, 10 fields, 6 webhooks per rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_POLICY = "current"


@dataclass(frozen=True)
class WebhookPolicy:
    name: str
    name_max: int
    # Characters a name may hold beyond the rules every policy keeps (None: any but those).
    name_pattern: re.Pattern[str] | None
    url_max: int
    methods: tuple[str, ...]
    module_parameters_max: int  # per collection (headers, URL parameters, form data)
    custom_parameters_max: int
    ports: tuple[int, ...] | None  # None: any port
    webhooks_per_rule: int  # read by the workflow rules that associate webhooks


CURRENT = WebhookPolicy(
    name="current",
    name_max=250,
    name_pattern=None,
    url_max=2000,
    methods=("POST", "GET", "PUT", "DELETE"),
    module_parameters_max=25,
    custom_parameters_max=10,
    ports=None,
    webhooks_per_rule=1,
)

# "Letters and numbers only": spaces are kept, as names of several words are the norm in Zoho's UI.
SEED = WebhookPolicy(
    name="seed",
    name_max=50,
    name_pattern=re.compile(r"[A-Za-z0-9 ]+"),
    url_max=200,
    methods=("POST", "GET"),
    module_parameters_max=10,
    custom_parameters_max=10,
    ports=(80, 443),
    webhooks_per_rule=6,
)

POLICIES: dict[str, WebhookPolicy] = {policy.name: policy for policy in (CURRENT, SEED)}


def resolve(name: str = DEFAULT_POLICY) -> WebhookPolicy:
    """The named policy; ValueError names the known ones."""
    try:
        return POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown webhook policy {name!r} (known: {', '.join(POLICIES)})") from None
