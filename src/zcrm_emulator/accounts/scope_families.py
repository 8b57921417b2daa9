"""Which scopes the accounts server grants, and how the consent page says them in plain words.

The table is REFERENCE §2.7 ("scope family … used by"): a scope is granted when it is well formed
(``scopes.split``: ``<Service>.<name>[.<sub>].<OPERATION>``) and its service, name, sub-name and
operation appear in a family row. Names compare case-insensitively like the coverage rule does.
Open lists in the reference (settings areas, module names: "…") accept any identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zcrm_emulator import scopes

ANY = "*"  # any identifier as the sub-name
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_OPS = frozenset({"ALL", "READ", "CREATE", "UPDATE", "DELETE"})


@dataclass(frozen=True)
class Family:
    service: str
    name: str
    operations: frozenset[str]  # for ``Service.name.OP``; empty: the bare form is not a scope
    plain: str  # what ``Service.name.OP`` lets the app touch
    subs: str | tuple[str, ...] | None = None  # sub-names allowed (ANY, a list, or none)
    sub_operations: frozenset[str] = frozenset()
    plain_sub: str = "{sub}"  # what ``Service.name.<sub>.OP`` lets the app touch


FAMILIES: tuple[Family, ...] = (
    Family("ZohoCRM", "users", _OPS, "the users of your organization"),
    Family("ZohoCRM", "org", frozenset({"ALL", "READ", "CREATE", "UPDATE"}), "the details of your organization"),
    Family("ZohoCRM", "settings", _OPS, "every CRM setting", ANY, _OPS, "the {sub} settings"),
    Family("ZohoCRM", "modules", _OPS, "the records of every module", ANY, _OPS, "{sub} records"),
    Family("ZohoCRM", "coql", frozenset({"READ"}), "records through COQL queries"),
    Family("ZohoCRM", "bulk", frozenset({"ALL", "READ", "CREATE"}), "bulk read and write jobs"),
    Family(
        "ZohoCRM",
        "mass_convert",
        frozenset(),
        "",
        ("leads",),
        frozenset({"READ", "CREATE"}),
        "mass conversion of {sub}",
    ),
    Family(
        "ZohoCRM",
        "mass_update",
        frozenset({"ALL", "READ", "UPDATE"}),
        "mass updates of the records of every module",
        ANY,
        frozenset({"ALL", "READ", "UPDATE"}),
        "mass updates of {sub}",
    ),
    Family("ZohoCRM", "notifications", _OPS | {"WRITE"}, "notification channels (watch)"),
    Family("ZohoCRM", "files", frozenset({"READ", "CREATE"}), "files"),
    Family("ZohoCRM", "send_mail", frozenset(), "", ("all",), frozenset({"CREATE"}), "sending emails"),
    Family("ZohoCRM", "share", _OPS, "record sharing"),
    Family("ZohoCRM", "composite_requests", frozenset({"CUSTOM"}), "several API calls in one request"),
    Family("ZohoFiles", "files", frozenset({"ALL"}), "the files you upload for bulk write jobs"),
    Family("ZohoSearch", "securesearch", frozenset({"ALL", "READ"}), "search results"),
)

_BY_NAME = {(f.service.lower(), f.name.lower()): f for f in FAMILIES}

OPERATION_WORDS = {
    "ALL": "Full access to",
    "READ": "View",
    "CREATE": "Create",
    "UPDATE": "Edit",
    "DELETE": "Delete",
    "WRITE": "Create, edit and delete",
    "CUSTOM": "Make",
}


def family_of(scope: str) -> tuple[Family, str | None, str] | None:
    """(family, sub-name or None, operation) of a grantable scope; None when it is not one."""
    parsed = scopes.split(scope)
    if parsed is None:
        return None
    path, operation = parsed
    if len(path) not in (2, 3):
        return None
    family = _BY_NAME.get((path[0], path[1]))
    if family is None:
        return None
    if len(path) == 2:
        return (family, None, operation) if operation in family.operations else None
    sub = path[2]
    if family.subs == ANY:
        allowed = _IDENTIFIER.fullmatch(sub) is not None
    else:
        allowed = isinstance(family.subs, tuple) and sub in family.subs
    if not allowed or operation not in family.sub_operations:
        return None
    return family, sub, operation


def parse(raw: str | None) -> list[str]:
    """The scopes of a request (comma- or space-separated), each once, in order.

    Raises ValueError naming the first scope that is not grantable (or saying none was given).
    """
    wanted = scopes.parse_list(raw or "")
    if not wanted:
        raise ValueError("no scope was given")
    for scope in wanted:
        if family_of(scope) is None:
            raise ValueError(f"{scope} is not a valid Zoho CRM scope")
    return list(dict.fromkeys(wanted))


def describe(scope: str) -> str:
    """The scope in plain words, e.g. ``View Leads records`` for ``ZohoCRM.modules.leads.READ``."""
    found = family_of(scope)
    if found is None:
        return scope
    family, sub, operation = found
    if sub is None:
        subject = family.plain
    else:
        label = "custom module" if family.name == "modules" and sub == "custom" else sub.replace("_", " ")
        if family.name == "modules" and sub != "custom":
            label = label.title()
        subject = family.plain_sub.format(sub=label)
    return f"{OPERATION_WORDS[operation]} {subject}"
