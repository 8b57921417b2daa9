"""SQL for records of every module (the only code here that speaks SQL).

Storage layout (tables in ``store/schema.py``):

``records`` — one row per record of any module, standard or custom:
    id            the record id (org-prefixed 18-19 digit string; one org's ids have one length,
                  so string order is id order)
    org_id        owning org (CASCADE)
    module_id     the module row (CASCADE: removing a custom module removes its records)
    owner_id, created_by, modified_by      user ids (rendered as ``{name, id, email}`` when read)
    created_ms, modified_ms                epoch ms (rendered in the reader's time zone)
    deleted_ms, deleted_by                 NULL while live; set when the record went to the
                                           recycle bin (older than the retention: "permanent")
    data          JSON object of every other field value, keyed by field api_name, in normalized
                  form: text/picklist/email/phone/website/date as strings, multiselect as a list of
                  strings, integer/double/currency/percent as JSON numbers, bigint as a digit
                  string, boolean as JSON booleans, datetime as a UTC string
                  ``yyyy-MM-ddTHH:mm:ss+00:00`` (so string order is time order), lookups,
                  user lookups and ``Layout`` as the target id only, ``Tag`` as ``[{"name"}]``,
                  subform rows with their ids and stamps (subforms.py), other JSON-typed
                  fields (line taxes …) as sent. Absent key = null.
    Indexes: (module_id, deleted_ms, id), (module_id, deleted_ms, created_ms, id),
    (module_id, deleted_ms, modified_ms, id): live-record pages in every sort order, and keyset
    paging for page tokens, are index range scans.

``record_keys`` — (record_id, field) -> ``value``: the trimmed, lower-cased text (≤ 255 chars) of
    the record's *key fields*: every email and phone field, every unique field and the module's
    default duplicate-check fields (``ModuleMeta.key_fields``). Index (module_id, field, value): equality
    search on email/phone, unique checks and upsert matching are index lookups at any size. Keys of
    recycled records stay but are filtered out by joining live records.

``autonumber_counters`` — next value per autonumber field. ``record_page_tokens`` — page_token
    positions (after which sort value and id the next page starts, how many records were served).

Writes are ``executemany`` batches inside the caller's one transaction per request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Select,
    UnaryExpression,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)

from zcrm_emulator.record_model import word_index
from zcrm_emulator.store import uniques
from zcrm_emulator.store.engine import json_text
from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import (
    autonumber_counters,
    profiles,
    record_keys,
    record_page_tokens,
    record_words,
    records,
    users,
)

# SQLite's default limit of host parameters per statement is 32,766; stay far below it.
_CHUNK = 500
SORT_COLUMNS = {"id": records.c.id, "created_ms": records.c.created_ms, "modified_ms": records.c.modified_ms}


@dataclass(frozen=True)
class RecordRow:
    id: str
    module_id: str
    owner_id: str
    created_by: str
    modified_by: str
    created_ms: int
    modified_ms: int
    deleted_ms: int | None
    deleted_by: str | None
    data: dict[str, Any]


def record_row(row: Any) -> RecordRow:
    """A record from a ``select(records)`` row (Core's, or a prepared statement's)."""
    return RecordRow(
        row.id,
        row.module_id,
        row.owner_id,
        row.created_by,
        row.modified_by,
        row.created_ms,
        row.modified_ms,
        row.deleted_ms,
        row.deleted_by,
        row.data,
    )


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


# --- writes --------------------------------------------------------------------------------------


# Bulk inserts of every records write (store/prepared.py: Core's per-row processing cost more than SQLite's work).
_INSERT_RECORDS = Prepared(insert(records), name="records: insert")
_INSERT_KEYS = Prepared(insert(record_keys), name="records: insert keys")

# The parameters of insert_records' tuples, in their order (Prepared.run_tuples).
_RECORD_COLUMNS = (
    "id",
    "org_id",
    "module_id",
    "owner_id",
    "created_by",
    "modified_by",
    "created_ms",
    "modified_ms",
    "deleted_ms",
    "deleted_by",
    "data",
)


def insert_records(conn: Connection, org_id: str, rows: Sequence[RecordRow]) -> None:
    _INSERT_RECORDS.run_tuples(
        conn,
        _RECORD_COLUMNS,
        [
            (
                r.id,
                org_id,
                r.module_id,
                r.owner_id,
                r.created_by,
                r.modified_by,
                r.created_ms,
                r.modified_ms,
                None,
                None,
                json_text(r.data),
            )
            for r in rows
        ],
    )


def update_records(conn: Connection, rows: Sequence[RecordRow]) -> None:
    """Write back the changed columns of records read earlier in the same transaction."""
    if not rows:
        return
    statement = (
        update(records)
        .where(records.c.id == bindparam("b_id"))
        .values(
            owner_id=bindparam("b_owner"),
            modified_by=bindparam("b_modified_by"),
            modified_ms=bindparam("b_modified_ms"),
            data=bindparam("b_data", type_=records.c.data.type),
        )
    )
    conn.execute(
        statement,
        [
            {
                "b_id": r.id,
                "b_owner": r.owner_id,
                "b_modified_by": r.modified_by,
                "b_modified_ms": r.modified_ms,
                "b_data": r.data,
            }
            for r in rows
        ],
    )


def replace_keys(conn: Connection, module_id: str, keys: dict[str, dict[str, str]], *, fresh: bool = False) -> None:
    """Set the key values of records: ``{record_id: {field: normalized value}}``. ``fresh``: the
    records are new (nothing to remove first)."""
    ids = list(keys)
    if not fresh:
        for chunk in _chunks(ids):
            conn.execute(delete(record_keys).where(record_keys.c.record_id.in_(chunk)))
    rows = [
        (record_id, field, module_id, value) for record_id, values in keys.items() for field, value in values.items()
    ]
    _INSERT_KEYS.run_tuples(conn, ("record_id", "field", "module_id", "value"), rows)


def forget_field(conn: Connection, module_id: str, api_name: str) -> None:
    """A deleted field leaves no trace in the module's records (values, unique keys, search words), so
    a later field given the same api name starts empty."""
    conn.execute(delete(record_keys).where(record_keys.c.module_id == module_id, record_keys.c.field == api_name))
    conn.execute(delete(record_words).where(record_words.c.module_id == module_id, record_words.c.field == api_name))
    held: ColumnElement[Any]
    removed: ColumnElement[Any]
    if conn.dialect.name == "postgresql":  # jsonb: ? tests a key, - removes it
        held, removed = records.c.data.op("?")(api_name), records.c.data.op("-")(api_name)
    else:  # api names are letters, digits and underscores: a quoted path names one key
        path = f'$."{api_name}"'
        held, removed = func.json_type(records.c.data, path).is_not(None), func.json_remove(records.c.data, path)
    conn.execute(update(records).where(records.c.module_id == module_id, held).values(data=removed))


def move_to_recycle_bin(conn: Connection, module_id: str, ids: Sequence[str], user_id: str, now_ms: int) -> None:
    for chunk in _chunks(ids):
        conn.execute(
            update(records)
            .where(records.c.module_id == module_id, records.c.id.in_(chunk), records.c.deleted_ms.is_(None))
            .values(deleted_ms=now_ms, deleted_by=user_id)
        )


def restore_from_recycle_bin(conn: Connection, module_id: str, ids: Sequence[str]) -> None:
    for chunk in _chunks(ids):
        conn.execute(
            update(records)
            .where(records.c.module_id == module_id, records.c.id.in_(chunk), records.c.deleted_ms.is_not(None))
            .values(deleted_ms=None, deleted_by=None)
        )


def next_autonumbers(conn: Connection, org_id: str, field_id: str, start: int, count: int) -> list[int]:
    """Reserve ``count`` consecutive numbers of an autonumber field (first use starts at ``start``).
    One upsert: workers numbering a field's first records at once take turns on its counter row."""
    first = uniques.insert(conn, autonumber_counters).values(field_id=field_id, org_id=org_id, next_value=start + count)
    statement = first.on_conflict_do_update(
        index_elements=[autonumber_counters.c.field_id], set_={"next_value": autonumber_counters.c.next_value + count}
    ).returning(autonumber_counters.c.next_value)
    end = conn.execute(statement).scalar_one()
    return list(range(end - count, end))


# --- reads ---------------------------------------------------------------------------------------


# Reading one record by id is the commonest call of all: prepared once (store/prepared.py).
_ONE = {
    live: Prepared(
        select(records).where(
            records.c.module_id == bindparam("module_id"),
            records.c.id == bindparam("id"),
            *([records.c.deleted_ms.is_(None)] if live else []),
        ),
        name="records: one by id",
    )
    for live in (True, False)
}


def get_records(conn: Connection, module_id: str, ids: Sequence[str], *, live: bool = True) -> dict[str, RecordRow]:
    """The module's records with these ids (live ones only unless ``live`` is False)."""
    if len(ids) == 1:
        return {row.id: record_row(row) for row in _ONE[live].rows(conn, {"module_id": module_id, "id": ids[0]})}
    found: dict[str, RecordRow] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        query = select(records).where(records.c.module_id == module_id, records.c.id.in_(chunk))
        if live:
            query = query.where(records.c.deleted_ms.is_(None))
        found.update((row.id, record_row(row)) for row in conn.execute(query))
    return found


def find_any(conn: Connection, org_id: str, ids: Sequence[str]) -> dict[str, RecordRow]:
    """Live records of any module of the org with these ids (lookup targets)."""
    found: dict[str, RecordRow] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        query = select(records).where(
            records.c.org_id == org_id, records.c.id.in_(chunk), records.c.deleted_ms.is_(None)
        )
        found.update((row.id, record_row(row)) for row in conn.execute(query))
    return found


@dataclass(frozen=True)
class Match:
    """A live record holding a key value: for duplicate details and upsert matching."""

    record_id: str
    owner_id: str


def find_by_keys(
    conn: Connection, module_id: str, field: str, values: Sequence[str], *, indexed: bool
) -> dict[str, list[Match]]:
    """Live records whose ``field`` equals one of the normalized ``values`` (oldest first).

    Key fields use the ``record_keys`` index; other fields fall back to comparing the JSON value
    (a scan, as Zoho's duplicate check on an arbitrary field is rare)."""
    matches: dict[str, list[Match]] = {}
    for chunk in _chunks(list(dict.fromkeys(values))):
        if indexed:
            query = (
                select(record_keys.c.value, records.c.id, records.c.owner_id)
                .join(records, records.c.id == record_keys.c.record_id)
                .where(
                    record_keys.c.module_id == module_id,
                    record_keys.c.field == field,
                    record_keys.c.value.in_(chunk),
                    records.c.deleted_ms.is_(None),
                )
            )
        else:
            value = func.lower(func.trim(records.c.data[field].as_string()))
            query = select(value.label("value"), records.c.id, records.c.owner_id).where(
                records.c.module_id == module_id, records.c.deleted_ms.is_(None), value.in_(chunk)
            )
        for row in conn.execute(query.order_by(records.c.id)):
            matches.setdefault(row.value, []).append(Match(row.id, row.owner_id))
    return matches


@dataclass(frozen=True)
class PageQuery:
    """One page of live records: sort column (``id``/``created_ms``/``modified_ms``), direction,
    and either an offset or a keyset position (after this sort value and id)."""

    sort: str = "id"
    descending: bool = True
    limit: int = 200
    offset: int = 0
    after_sort: int | None = None
    after_id: str | None = None


def list_records(conn: Connection, module_id: str, page: PageQuery, *where: ColumnElement[bool]) -> list[RecordRow]:
    """Live records of the module in the page's order; ``where`` adds filters (e.g. a compiled
    search criteria). Fetch ``limit + 1`` to learn whether more records follow."""
    plain = _PLAIN_FILTERS.get(tuple(id(clause) for clause in where), _NOT_PLAIN)
    if plain is not _NOT_PLAIN:
        keyset = page.after_id is not None
        statement = _plain_page_statement(page.sort, page.descending, keyset, plain)
        values: dict[str, Any] = {"module_id": module_id, "limit": page.limit, "offset": page.offset}
        if keyset:
            values.update(after_id=page.after_id, after_sort=page.after_sort)
        return [record_row(row) for row in statement.rows(conn, values)]
    query = page_select(module_id, page, page.limit, page.offset, *where)
    if page.after_id is not None:
        query = query.where(_after(SORT_COLUMNS[page.sort], page))
    return [record_row(row) for row in conn.execute(query)]


def page_select(module_id: Any, page: PageQuery, limit: Any, offset: Any, *where: ColumnElement[bool]) -> Select[Any]:
    """The statement of ``list_records`` without the keyset position: values, or bind parameters for
    a statement prepared once (``search_repo``)."""
    column = SORT_COLUMNS[page.sort]
    query = select(records).where(records.c.module_id == module_id, records.c.deleted_ms.is_(None), *where)
    order: tuple[UnaryExpression[Any], ...]
    if page.sort == "id":
        order = (records.c.id.desc(),) if page.descending else (records.c.id.asc(),)
    elif page.descending:
        order = (column.desc(), records.c.id.desc())
    else:
        order = (column.asc(), records.c.id.asc())
    return query.order_by(*order).limit(limit).offset(offset)


# --- the commonest list, prepared ------------------------------------------------------------------
# A module's page with no filter but the Leads conversion one (``GET /{module}``, with or without a
# page token): prepared once per shape (store/prepared.py), since building and keying the statement
# through Core cost more than SQLite's page read.
_NOT_PLAIN = object()


def _plain_filters() -> dict[tuple[int, ...], bool | None]:
    return {(): None, **{(id(clause),): flag for flag, clause in _CONVERTED.items()}}


@cache
def _plain_page_statement(sort: str, descending: bool, keyset: bool, conversion: bool | None) -> Prepared:
    where = [] if conversion is None else [_CONVERTED[conversion]]
    page = PageQuery(sort=sort, descending=descending)
    statement = page_select(bindparam("module_id"), page, bindparam("limit"), bindparam("offset"), *where)
    if keyset:
        column = SORT_COLUMNS[sort]
        if sort == "id":
            after = column < bindparam("after_id") if descending else column > bindparam("after_id")
        else:
            position, mark = tuple_(column, records.c.id), tuple_(bindparam("after_sort"), bindparam("after_id"))
            after = position < mark if descending else position > mark
        statement = statement.where(after)
    return Prepared(statement, name="records: list page")


def _after(column: Any, page: PageQuery) -> ColumnElement[bool]:
    """Rows after the keyset position; SQLite (3.15+) and PostgreSQL both compare row values."""
    if page.sort == "id":
        return records.c.id < page.after_id if page.descending else records.c.id > page.after_id
    position, mark = tuple_(column, records.c.id), tuple_(page.after_sort, page.after_id)
    return position < mark if page.descending else position > mark


def count_records(conn: Connection, module_id: str, *where: ColumnElement[bool]) -> int:
    """Live records of the module matching ``where`` (the hook search criteria compile into)."""
    query = (
        select(func.count())
        .select_from(records)
        .where(records.c.module_id == module_id, records.c.deleted_ms.is_(None), *where)
    )
    return int(conn.execute(query).scalar_one())


def list_deleted(
    conn: Connection,
    module_id: str,
    *,
    recycled_after_ms: int | None,
    recycled_before_ms: int | None,
    offset: int,
    limit: int,
) -> list[RecordRow]:
    """Records in the recycle bin deleted in (after, before], newest deletion first: the bounds
    pick recycle/permanent entries and ``If-Modified-Since``."""
    query = select(records).where(records.c.module_id == module_id, records.c.deleted_ms.is_not(None))
    if recycled_after_ms is not None:
        query = query.where(records.c.deleted_ms > recycled_after_ms)
    if recycled_before_ms is not None:
        query = query.where(records.c.deleted_ms <= recycled_before_ms)
    query = query.order_by(records.c.deleted_ms.desc(), records.c.id.desc()).limit(limit).offset(offset)
    return [record_row(row) for row in conn.execute(query)]


# --- page tokens ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageToken:
    token: str
    org_id: str
    user_id: str
    module_id: str
    binding: str
    after_sort: int | None
    after_id: str
    served: int
    page: int
    previous_token: str | None
    created_ms: int
    expires_ms: int


# Every list call with a next page writes one: prepared once (store/prepared.py).
_SAVE_PAGE_TOKEN = Prepared(insert(record_page_tokens), name="records: save page token")


def save_page_token(conn: Connection, token: PageToken) -> None:
    _SAVE_PAGE_TOKEN.run(conn, token.__dict__)


def get_page_token(conn: Connection, value: str) -> PageToken | None:
    row = conn.execute(select(record_page_tokens).where(record_page_tokens.c.token == value)).first()
    return PageToken(**row._mapping) if row is not None else None


def drop_expired_page_tokens(conn: Connection, org_id: str, now_ms: int, grace_ms: int) -> None:
    """Forget tokens long past expiry (kept ``grace_ms`` longer so they still answer EXPIRED_VALUE)."""
    conn.execute(
        delete(record_page_tokens).where(
            record_page_tokens.c.org_id == org_id, record_page_tokens.c.expires_ms < now_ms - grace_ms
        )
    )


# --- filters for list_records / count_records ----------------------------------------------------


def with_ids(record_ids: Sequence[str]) -> ColumnElement[bool]:
    return records.c.id.in_(list(record_ids))


def modified_after(epoch_ms: int) -> ColumnElement[bool]:
    return records.c.modified_ms > epoch_ms


def _conversion_filters() -> dict[bool, ColumnElement[bool]]:
    value = records.c.data["Converted__s"].as_boolean()
    return {True: value.is_(True), False: or_(value.is_(None), value.is_(False))}


# Built once: every Leads list and search adds one, and building a JSON-path expression costs more
# than SQLite's whole lookup (Core expressions are immutable, so sharing them is safe).
_CONVERTED = _conversion_filters()
_PLAIN_FILTERS = _plain_filters()


def converted(flag: bool) -> ColumnElement[bool]:
    """Lead conversion state (``Converted__s``; an absent value means not converted)."""
    return _CONVERTED[flag]


def people_stamp(conn: Connection, org_id: str) -> tuple[int, int, int]:
    """(user count, latest user change, latest profile change): the stamp of the caller data
    (the org's users and the caller's profile) that write and read calls keep between requests."""
    count, latest_user, latest_profile = _PEOPLE_STAMP.rows(conn, {"org_id": org_id})[0]
    return int(count or 0), int(latest_user or 0), int(latest_profile or 0)


_ORG_ID: BindParameter[str] = bindparam("org_id")
_PEOPLE_STAMP = Prepared(
    select(
        select(func.count()).select_from(users).where(users.c.org_id == _ORG_ID).scalar_subquery(),
        select(func.max(users.c.modified_ms)).where(users.c.org_id == _ORG_ID).scalar_subquery(),
        select(func.max(profiles.c.modified_ms)).where(profiles.c.org_id == _ORG_ID).scalar_subquery(),
    ),
    name="records: people stamp",
)


# --- the word index (words.py) ---------------------------------------------------------------


# Runs for each email on every insert of records: Core's per-row parameter processing cost more than
# the insert itself (store/prepared.py).
_INSERT_WORDS = Prepared(insert(record_words), name="records: insert words")


def replace_words(
    conn: Connection,
    module_id: str,
    words_by_record: Mapping[str, Mapping[str, Sequence[str]]],
    *,
    fresh: bool = False,
) -> None:
    """Set the indexed words of records: ``{record_id: {field: words}}`` (``fresh``: new records,
    nothing to remove first)."""
    ids = list(words_by_record)
    if not fresh:
        for start in range(0, len(ids), _CHUNK):
            conn.execute(delete(record_words).where(record_words.c.record_id.in_(ids[start : start + _CHUNK])))
    _INSERT_WORDS.run_tuples(
        conn,
        ("record_id", "field", "position", "module_id", "word"),
        [
            (record_id, name, n, module_id, word)
            for record_id, by_field in words_by_record.items()
            for name, found in by_field.items()
            for n, word in enumerate(found)
        ],
    )


def index_rows(
    conn: Connection, module_id: str, names: Sequence[str], rows: Iterable[RecordRow], *, fresh: bool
) -> None:
    """Index the word-indexed fields ``names`` of records just written (every write batch's flush,
    in the same transaction)."""
    if names:
        replace_words(conn, module_id, {row.id: word_index.indexed_words(names, row.data) for row in rows}, fresh=fresh)
