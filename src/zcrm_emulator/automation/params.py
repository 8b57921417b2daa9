"""Query params and path ids as every ``/settings/automation/*`` endpoint reads them
(AUTOMATION.md §1; OASx getWorkflowRules, deleteWorkflowRules, getFieldUpdates)."""

from __future__ import annotations

from zcrm_emulator import params
from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.ids import normalize_id
from zcrm_emulator.routing import Call

IDS_MAX = 10  # DELETE ?ids=
# index 3 is the id in settings/automation/<resource>/{id}, counting from 0 after /crm/v8/ (§9 #20)
PATH_ID_INDEX = 3


def invalid_param(name: str) -> ZohoError:
    return ZohoError("INVALID_DATA", {"param_name": name}, Message.PARAM_INVALID)


def choice(call: Call, name: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
    """A closed-list param: bare INVALID_DATA "The value provided to the param is Invalid" otherwise."""
    value = call.query(name)
    if value is None or value == "":
        return default
    if value not in allowed:
        raise invalid_param(name)
    return value


def boolean(call: Call, name: str) -> bool | None:
    value = choice(call, name, ("true", "false"))
    return None if value is None else value == "true"


def sort_order(call: Call, default: str = "desc") -> str:
    return choice(call, "sort_order", ("asc", "desc"), default) or default


def ids(call: Call) -> list[str]:
    """``?ids=a,b``: REQUIRED_PARAM_MISSING without it, bare INVALID_DATA past ten; each raw value
    kept as sent (an id that names nothing is that item's error)."""
    wanted = list(dict.fromkeys(params.csv(call, "ids")))
    if not wanted:
        raise ZohoError("REQUIRED_PARAM_MISSING", {"param_name": "ids"}, Message.EXPECTED_PARAM_MISSING)
    if len(wanted) > IDS_MAX:
        raise ZohoError("INVALID_DATA", {"maximum_length": IDS_MAX, "param_name": "ids"}, Message.IDS_TOO_MANY)
    return wanted


def path_id_error() -> ZohoError:
    return ZohoError("INVALID_DATA", {"resource_path_index": PATH_ID_INDEX}, Message.UNKNOWN_ID)


def path_id(call: Call, name: str = "id") -> str:
    """The id in the path: bare INVALID_DATA ``{resource_path_index: 3}`` when it is no id."""
    found = normalize_id(call.params[name])
    if found is None:
        raise path_id_error()
    return found
