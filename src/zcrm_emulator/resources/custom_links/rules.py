"""Custom links: input rules, merge fields, and resolving a link for a record.

Sources: seed "Create Custom Links" (v8), REFERENCE §3.8 ("Get / Update / Delete Custom Links"
v8 pages). A link's URL may carry merge fields, ``{<module>.<field>}``, naming the link's module by
api name (``{Leads.Last_Name}``) or by label (``{Lead.Full_Name}``, the doc examples' form) and a
field of that module by api name, any case (``{Account.ID}``). Plain functions: no HTTP, no SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from zcrm_emulator.errors import Message, ZohoError
from zcrm_emulator.validation import Key, Spec, at

NAME_MAX = 100
URL_MAX = 3000
PROFILES_MAX = 200
USER_TYPES_MAX = 200
IDS_MAX = 100  # DELETE ?ids=

# ``url_encoding`` values (seed) and the character set each one percent-encodes merge values in.
URL_ENCODINGS: dict[str, str] = {
    "UTF-8": "utf-8",
    "UTF-16": "utf-16-be",  # with a byte-order mark, as Java's "UTF-16" encoder writes (decisions.md)
    "ISO-8859-1": "latin-1",
    "ISO-8859-9": "iso8859_9",
    "GB2312": "gb2312",
    "Big5": "big5",
    "Shift_JIS": "shift_jis",
}
BYTE_ORDER_MARKS = {"UTF-16": b"\xfe\xff"}

CREATED = "custom link added successfully"
UPDATED = "custom link updated successfully"
DELETED = "custom link deleted successfully"
UNKNOWN_ID = Message.UNKNOWN_ID

MERGE_FIELD = re.compile(r"\{([^{}.]+)\.([^{}]+)\}")


def _references(reference: str, limit: int, *, mandatory: bool) -> Key:
    """An array of ``{"id"}`` objects naming existing ``reference`` things (profiles, user types)."""
    return Key(
        reference,
        type="array",
        mandatory=mandatory,
        nullable=not mandatory,
        min_items=1 if mandatory else None,
        max_items=limit,
        items=Spec(keys=(Key("id", type="id", mandatory=True, reference=reference),)),
    )


# ``name`` is mandatory: the seed's error list names it so (docs/decisions.md, §9 #18).
CREATE = Spec(
    keys=(
        Key("name", mandatory=True, min_length=1, max_length=NAME_MAX, unique=True),
        Key("url", type="url", mandatory=True, max_length=URL_MAX),
        Key("url_encoding", mandatory=True, choices=tuple(URL_ENCODINGS)),
        _references("profiles", PROFILES_MAX, mandatory=True),
        _references("user_types", USER_TYPES_MAX, mandatory=False),
        Key("description", nullable=True),
    )
)
# Updates check the same keys with ``partial=True``: every key but ``id`` optional.
UPDATE = CREATE
LINK_ID = Spec(keys=(Key("id", type="id", mandatory=True, message=UNKNOWN_ID),))


@dataclass(frozen=True)
class ModuleNames:
    """How a module may be named in a merge field, and its fields by case-folded api name."""

    names: frozenset[str]  # case-folded api name, singular and plural labels
    fields: Mapping[str, str]  # case-folded api name -> api name

    @classmethod
    def of(cls, module: Mapping[str, Any], fields: Iterable[Mapping[str, Any]]) -> ModuleNames:
        names = {module[k].casefold() for k in ("api_name", "singular_label", "plural_label") if module.get(k)}
        return cls(frozenset(names), {f["api_name"].casefold(): f["api_name"] for f in fields})

    def field_of(self, module_part: str, field_part: str) -> str | None:
        """The api name a merge field refers to, or None when it names no field of this module."""
        if module_part.strip().casefold() not in self.names:
            return None
        return self.fields.get(field_part.strip().casefold())


def merge_fields(url: str) -> Iterator[re.Match[str]]:
    return MERGE_FIELD.finditer(url)


def check_merge_fields(url: str, module: ModuleNames, json_path: str) -> None:
    """INVALID_DATA on ``url`` for the first merge field that names no field of the link's module."""
    for match in merge_fields(url):
        if module.field_of(match.group(1), match.group(2)) is None:
            raise ZohoError(
                "INVALID_DATA", at(json_path, "url"), Message.MERGE_FIELD_INVALID, merge_field=match.group(0)
            )


def resolve_url(url: str, url_encoding: str, record: Mapping[str, Any], module: ModuleNames) -> str:
    """The link's URL for one record (a plain dict of field api name -> value): each merge field is
    replaced by the record's value, percent-encoded in the link's ``url_encoding``. Merge fields that
    name no field of the module are left as written (a create or update never stores them)."""
    values = {key.casefold(): value for key, value in record.items()}

    def fill(match: re.Match[str]) -> str:
        api_name = module.field_of(match.group(1), match.group(2))
        if api_name is None:
            return match.group(0)
        return encode_value(merge_text(values.get(api_name.casefold())), url_encoding)

    return MERGE_FIELD.sub(fill, url)


def merge_text(value: Any) -> str:
    """A field value as text in a URL: lookups by their name, lists comma-separated, no value empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("id") or "")
    if isinstance(value, list):
        return ",".join(merge_text(v) for v in value)
    return str(value)


def encode_value(text: str, url_encoding: str) -> str:
    """Percent-encode ``text`` in the character set; characters it lacks become ``&#NNNN;`` first,
    as browsers submit them."""
    raw = BYTE_ORDER_MARKS.get(url_encoding, b"") + text.encode(URL_ENCODINGS[url_encoding], "xmlcharrefreplace")
    return quote(raw, safe="")


def minified(ids: Iterable[str], names: Mapping[str, str]) -> list[dict[str, str]]:
    """``[{"id", "name"}]`` for the given ids, in order, without repeats."""
    return [{"id": i, "name": names[i]} for i in dict.fromkeys(ids)]


def apply_changes(
    link: Mapping[str, Any],
    clean: Mapping[str, Any],
    *,
    profiles: Mapping[str, str],
    user_types: Mapping[str, str],
) -> dict[str, Any]:
    """The link's wire object with the validated keys of a create or update applied."""
    data = dict(link)
    for key in ("name", "url", "url_encoding", "description"):
        if key in clean:
            value = clean[key]
            data[key] = value.strip() if key == "name" else value
    if "profiles" in clean:
        data["profiles"] = minified((p["id"] for p in clean["profiles"]), profiles)
    if "user_types" in clean:
        given = clean["user_types"] or []
        data["user_types"] = minified((t["id"] for t in given), user_types) or None
    return data


def new_link(link_id: str) -> dict[str, Any]:
    """A link's wire object before its keys are set (keys in the order Zoho shows them)."""
    return {
        "id": link_id,
        "name": None,
        "description": None,
        "url": None,
        "url_encoding": None,
        "profiles": [],
        "user_types": None,
        "modified_time": None,
        "modified_by": None,
    }
