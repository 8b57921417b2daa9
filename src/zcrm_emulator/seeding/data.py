"""Realistic fake records for any module, driven by its field metadata (the ``seed`` command).

``RecordMaker(fields, seed).make(index)`` returns one insert item: a value for every field a client
may set on create whose data type it knows, valid for that type (lengths, digits, decimals,
picklist values, email/website shapes), unique where the field is unique. Faker builds pools of
names, companies, places and phrases once per maker; records are then drawn from the pools with
one seeded ``random.Random``, so the same seed gives the same records and a million of them take
seconds, not Faker's minutes. Lookups and user fields are left out (Owner defaults to the caller).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from faker import Faker

FieldMeta = Mapping[str, Any]
POOL_SIZE = 2000
_NOT_LOCAL_PART = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Pools:
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    companies: tuple[str, ...]
    jobs: tuple[str, ...]
    cities: tuple[str, ...]
    states: tuple[str, ...]
    countries: tuple[str, ...]
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    domains: tuple[str, ...]
    words: tuple[str, ...]
    sentences: tuple[str, ...]


def build_pools(seed: int | None) -> Pools:
    fake = Faker("en_US")
    fake.seed_instance(seed)

    def pool(make: Callable[[], str], size: int = POOL_SIZE) -> tuple[str, ...]:
        return tuple(make() for _ in range(size))

    return Pools(
        first_names=pool(fake.first_name),
        last_names=pool(fake.last_name),
        companies=pool(fake.company),
        jobs=pool(fake.job, 500),
        cities=pool(fake.city, 500),
        states=pool(fake.state, 60),
        countries=pool(fake.country, 200),
        streets=pool(fake.street_address),
        postcodes=pool(fake.postcode, 500),
        domains=pool(fake.domain_name, 300),
        words=pool(fake.word, 500),
        sentences=pool(fake.sentence, 500),
    )


# How often a maker that may give nothing (long text, secondary emails) is asked again for a
# mandatory field.
MANDATORY_TRIES = 20


class RecordMaker:
    """Fake insert items for one module's fields (metadata objects as the fields API shows them)."""

    def __init__(
        self,
        fields: Sequence[FieldMeta],
        seed: int | None = None,
        references: Mapping[str, Sequence[Any]] | None = None,
    ) -> None:
        """``references``: field -> the values its records pick from (users and lookup targets,
        which values cannot be made up)."""
        self.rng = random.Random(seed)
        self.pools = build_pools(seed)
        self.references = {name: list(values) for name, values in (references or {}).items() if values}
        makers = [(f, value_maker(f)) for f in fields if settable(f) and f["api_name"] not in self.references]
        self.makers: list[tuple[FieldMeta, Maker]] = [(f, m) for f, m in makers if m is not None]
        self.epoch = datetime(2025, 1, 1, tzinfo=UTC)

    def make(self, index: int) -> dict[str, Any]:
        """Record number ``index`` (used to make unique values unique)."""
        person = Person(self.rng.choice(self.pools.first_names), self.rng.choice(self.pools.last_names), index)
        item: dict[str, Any] = {}
        for field, maker in self.makers:
            value = maker(self, field, person)
            for _ in range(MANDATORY_TRIES):  # a mandatory field is never left empty
                if value is not None or not field.get("system_mandatory"):
                    break
                value = maker(self, field, person)
            if value is None:
                continue
            if field.get("unique") and isinstance(value, str):
                value = unique_text(value, index, field)
            item[field["api_name"]] = value
        for name, values in self.references.items():
            item[name] = self.rng.choice(values)
        return item

    # shared helpers ------------------------------------------------------------------------------
    def pick(self, pool: tuple[str, ...]) -> str:
        return self.rng.choice(pool)

    def moment(self) -> datetime:
        return self.epoch - timedelta(seconds=self.rng.randrange(3 * 365 * 24 * 3600))


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    index: int

    def email(self, domain: str) -> str:
        local = _NOT_LOCAL_PART.sub(".", f"{self.first}.{self.last}".lower()).strip(".")
        return f"{local}{self.index}@{domain}"


def settable(field: FieldMeta) -> bool:
    """Fields a client may set on create (the same test the records rules apply)."""
    if field.get("read_only") or field.get("field_read_only"):
        return False
    return bool((field.get("operation_type") or {}).get("api_create", True))


def fit(text: str, field: FieldMeta) -> str:
    length = field.get("length")
    return text[:length].rstrip() if isinstance(length, int) and length > 0 else text


def unique_text(text: str, index: int, field: FieldMeta) -> str:
    suffix = f"-{index}"
    if "@" in text:
        return text  # emails already carry the record number
    declared = field.get("length")
    length = declared if isinstance(declared, int) else 255
    return text[: max(1, length - len(suffix))] + suffix


Maker = Callable[[RecordMaker, FieldMeta, Person], Any]


# --- text by what the field holds (api_name hints), then by data type ------------------------------
def _text_hint(name: str) -> Maker | None:
    hints: list[tuple[tuple[str, ...], Maker]] = [
        (("First_Name",), lambda m, f, p: fit(p.first, f)),
        (("Last_Name",), lambda m, f, p: fit(p.last, f)),
        (("Company", "Account_Name", "Vendor_Name"), lambda m, f, p: fit(m.pick(m.pools.companies), f)),
        (("Designation", "Title"), lambda m, f, p: fit(m.pick(m.pools.jobs), f)),
        (("City",), lambda m, f, p: fit(m.pick(m.pools.cities), f)),
        (("State",), lambda m, f, p: fit(m.pick(m.pools.states), f)),
        (("Country",), lambda m, f, p: fit(m.pick(m.pools.countries), f)),
        (("Street",), lambda m, f, p: fit(m.pick(m.pools.streets), f)),
        (("Zip", "Code"), lambda m, f, p: fit(m.pick(m.pools.postcodes), f)),
        (("Skype", "Twitter"), lambda m, f, p: fit(f"{p.first}{p.last}{p.index}".lower(), f)),
        (("Fax",), lambda m, f, p: fit(_phone(m), f)),
    ]
    for keys, maker in hints:
        if any(key in name for key in keys):
            return maker
    return None


def _phone(m: RecordMaker) -> str:
    return f"+1 {m.rng.randrange(200, 999)}-{m.rng.randrange(200, 999)}-{m.rng.randrange(10000):04d}"


def _words(m: RecordMaker, f: FieldMeta, p: Person) -> str:
    return fit(" ".join(m.rng.sample(m.pools.words, 3)).capitalize(), f)


def _paragraph(m: RecordMaker, f: FieldMeta, p: Person) -> str | None:
    if m.rng.random() < 0.5:
        return None  # long text is often empty
    return fit(" ".join(m.rng.sample(m.pools.sentences, 3)), f)


def _email(m: RecordMaker, f: FieldMeta, p: Person) -> str | None:
    if "Secondary" in f["api_name"] and m.rng.random() < 0.8:
        return None
    return fit(p.email(m.pick(m.pools.domains)), f)


def _website(m: RecordMaker, f: FieldMeta, p: Person) -> str:
    return fit(f"https://www.{m.pick(m.pools.domains)}", f)


def _choices(f: FieldMeta) -> list[str]:
    values = [v.get("actual_value") for v in f.get("pick_list_values") or []]
    return [v for v in values if isinstance(v, str) and v and v != "-None-"]


def _picklist(m: RecordMaker, f: FieldMeta, p: Person) -> str | None:
    choices = _choices(f)
    return m.rng.choice(choices) if choices else None


def _multiselect(m: RecordMaker, f: FieldMeta, p: Person) -> list[str] | None:
    choices = _choices(f)
    return m.rng.sample(choices, m.rng.randint(1, min(3, len(choices)))) if choices else None


def _digits_allowed(f: FieldMeta, default: int) -> int:
    length, decimals = f.get("length"), f.get("decimal_place") or 0
    if not isinstance(length, int) or length <= 0:
        return default
    return max(1, length - decimals if decimals and length > decimals else length)


def _integer(m: RecordMaker, f: FieldMeta, p: Person) -> int:
    top = min(10 ** min(_digits_allowed(f, 9), 6) - 1, 2**31 - 1)
    return m.rng.randint(1, top)


def _bigint(m: RecordMaker, f: FieldMeta, p: Person) -> str:
    return str(m.rng.randint(1, 10**12))


def _decimal(m: RecordMaker, f: FieldMeta, p: Person) -> float:
    places = f.get("decimal_place") if isinstance(f.get("decimal_place"), int) else 2
    top = 10 ** min(_digits_allowed(f, 9), 7) - 1
    return round(m.rng.uniform(0, top), places)


def _percent(m: RecordMaker, f: FieldMeta, p: Person) -> float:
    return round(m.rng.uniform(0, 100), 2)


def _boolean(m: RecordMaker, f: FieldMeta, p: Person) -> bool:
    return m.rng.random() < 0.3


def _date(m: RecordMaker, f: FieldMeta, p: Person) -> str:
    day: date = m.moment().date()
    return day.isoformat()


def _datetime(m: RecordMaker, f: FieldMeta, p: Person) -> str:
    return m.moment().isoformat()


# Data type -> how its values are made; types not listed (lookups, users, subforms, files …) are
# left out of seeded records.
BY_TYPE: dict[str, Maker] = {
    "text": _words,
    "textarea": _paragraph,
    "email": _email,
    "phone": lambda m, f, p: fit(_phone(m), f),
    "website": _website,
    "picklist": _picklist,
    "multiselectpicklist": _multiselect,
    "integer": _integer,
    "bigint": _bigint,
    "double": _decimal,
    "currency": _decimal,
    "percent": _percent,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
}


def value_maker(field: FieldMeta) -> Maker | None:
    """How values of this field are made: by what a text field holds, else by data type."""
    if field.get("json_type") not in (None, "string", "integer", "double", "boolean", "jsonarray"):
        return None
    if field.get("json_type") == "jsonarray" and field.get("data_type") != "multiselectpicklist":
        return None  # Tag and other list-valued fields
    if field.get("data_type") == "text":
        return _text_hint(str(field["api_name"])) or _words
    return BY_TYPE.get(str(field.get("data_type")))
