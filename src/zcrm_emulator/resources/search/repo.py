"""SQL of record search: the word index, and bound criteria compiled to SQLAlchemy Core filters over
the ``records`` table (SQLite and PostgreSQL alike).

A bound criteria (``rules.Bound``) compiles to ``Compiled(where, exact)``:

* ``exact``: ``where`` selects exactly the records ``rules.matches`` accepts, so pages and
  counts run wholly in SQL through the records repo's hooks (``list_records(..., *where)``,
  ``count_records(..., *where)``). Numbers, dates, date-times, booleans, references, ASCII picklist
  values and everything on word-indexed fields (email) compile exactly; the word index makes
  ``Email:equals:…`` and ``email=…`` index lookups at any table size.
* not ``exact``: ``where`` is a *superset* (an indexed or cheap SQL prefilter, or None for "every
  live record") and each candidate is then checked in Python with ``matches`` — the documented
  two-step for what SQL cannot say the way Zoho's search index does: word matching on text fields
  that are not word-indexed, phone digits, multi-select elements, non-ASCII picklist values
  (SQLite's ``lower`` only folds ASCII). Candidates stream in page order, so a page stops reading
  once it is full.

Stored forms are the records repo's (``repo.py``): values in ``data`` by api_name, datetimes as
UTC ``yyyy-MM-ddTHH:mm:ss+00:00`` strings, bigints as digit strings, lookups as ids; system fields
in columns.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, partial
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    and_,
    bindparam,
    cast,
    false,
    func,
    or_,
    select,
)

from zcrm_emulator.record_model import (
    SORT_COLUMNS,
    PageQuery,
    RecordRow,
    converted,
    count_records,
    list_records,
    page_select,
    record_row,
    word_indexed_fields,
)
from zcrm_emulator.resources.search import rules
from zcrm_emulator.resources.search.rules import Bound, Combined, Term
from zcrm_emulator.resources.tags import repo as tags_repo
from zcrm_emulator.store.prepared import Prepared
from zcrm_emulator.store.schema import record_words, records

_CHUNK = 500


def _phrase_clause(
    prefix: str,
    length: int,
    starts: bool,
    negate: bool,
    field_count: int | None = None,
    values: Mapping[str, Any] | None = None,
) -> ColumnElement[bool]:
    """``records.id IN (…)``: records whose word-indexed fields hold a phrase of ``length`` words as
    consecutive words (``starts``: as their first words, the last one possibly cut short). Parameters:
    ``{prefix}m`` module id, ``{prefix}f`` fields (expanding), ``{prefix}w<i>`` the words (the last one
    a LIKE pattern escaped with ``/`` when ``starts``). ``negate``: the records that do not.
    ``field_count``: the fields as ``{prefix}f0``, ``{prefix}f1`` … instead (a prepared statement).
    ``values``: the parameters' values, bound into the clause (a search's filter); without them the
    clause is a template whose values come with each execution (the prepared statement)."""

    def param(name: str, *, expanding: bool = False) -> Any:
        if values is None:
            return bindparam(f"{prefix}{name}", expanding=expanding)
        return bindparam(f"{prefix}{name}", values[name], expanding=expanding)

    words = [record_words.alias(f"w{i}") for i in range(length)]
    first = words[0]
    query = select(first.c.record_id).select_from(first)
    for i, word in enumerate(words[1:], start=1):
        query = query.join(
            word,
            and_(
                word.c.record_id == first.c.record_id,
                word.c.field == first.c.field,
                word.c.position == first.c.position + i,
            ),
        )
    if field_count is None:
        fields = first.c.field.in_(param("f", expanding=True))
    else:
        fields = first.c.field.in_([param(f"f{i}") for i in range(field_count)])
    tests = [word.c.word == param(f"w{i}") for i, word in enumerate(words)]
    if starts:
        tests[-1] = words[-1].c.word.like(param(f"w{length - 1}"), escape="/")
        tests.append(first.c.position == 0)
    query = query.where(first.c.module_id == param("m"), fields, *tests)
    return records.c.id.not_in(query) if negate else records.c.id.in_(query)


def _like_prefix(word: str) -> str:
    return word.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def phrase_filter(
    ctx: Context, fields: Sequence[str], phrase: tuple[str, ...], *, starts: bool = False, negate: bool = False
) -> ColumnElement[bool]:
    """The filter "the record's word-indexed ``fields`` hold ``phrase``" (see ``_phrase_clause``)."""
    prefix = f"p{next(ctx.names)}_"
    words = [*phrase[:-1], _like_prefix(phrase[-1]) if starts else phrase[-1]]
    values: dict[str, Any] = {"m": ctx.module_id, "f": list(fields)}
    values.update((f"w{i}", word) for i, word in enumerate(words))
    return _phrase_clause(prefix, len(phrase), starts, negate, values=values)


# --- compiling criteria ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """One phrase on word-indexed fields: the commonest search (``email=``, ``Email:equals:``)."""

    fields: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Compiled:
    where: ColumnElement[bool] | None  # None: no narrowing (every live record of the module)
    exact: bool
    phrase: Phrase | None = None  # set when ``where`` is exactly this one phrase (``find``'s prepared path)


@dataclass(frozen=True)
class Context:
    """What compiling needs beyond the criteria: the module, its word-indexed fields, id length, and
    a counter naming the parameters of each word-index filter (from 0 in every compile, so equal
    criteria give equal SQL and SQLAlchemy's statement cache serves them)."""

    module_id: str
    word_indexed: frozenset[str]
    id_length: int
    names: Iterator[int] = field(default_factory=itertools.count, compare=False)


# System fields whose values are row columns (render.SYSTEM_VALUES shows them the same way).
USER_COLUMNS = {"Owner": records.c.owner_id, "Created_By": records.c.created_by, "Modified_By": records.c.modified_by}
TIME_COLUMNS = {
    "Created_Time": records.c.created_ms,
    "Modified_Time": records.c.modified_ms,
    "Last_Activity_Time": records.c.modified_ms,
    "Change_Log_Time__s": records.c.modified_ms,
}
_ROW_TIMES: dict[str, Callable[[RecordRow], int]] = {
    "Created_Time": lambda row: row.created_ms,
    "Modified_Time": lambda row: row.modified_ms,
    "Last_Activity_Time": lambda row: row.modified_ms,
    "Change_Log_Time__s": lambda row: row.modified_ms,
}
_ROW_USERS: dict[str, Callable[[RecordRow], str]] = {
    "Owner": lambda row: row.owner_id,
    "Created_By": lambda row: row.created_by,
    "Modified_By": lambda row: row.modified_by,
}


def stored_value(row: RecordRow, name: str) -> Any:
    """A field's stored value as ``rules.matches`` reads it (system fields from columns)."""
    if name == "id":
        return row.id
    if name in _ROW_USERS:
        return _ROW_USERS[name](row)
    if name in _ROW_TIMES:
        return utc_text(_ROW_TIMES[name](row))
    return row.data.get(name)


def utc_text(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms // 1000, tz=UTC).isoformat()


def compile_bound(bound: Bound, ctx: Context) -> Compiled:
    if isinstance(bound, Term):
        return compile_term(bound, ctx)
    if bound.joiner == "or":
        merged = _merge_indexed_or(bound, ctx)
        if merged is not None:
            return merged
    parts = [compile_bound(part, ctx) for part in bound.parts]
    exact = all(part.exact for part in parts)
    if bound.joiner == "and":
        wheres = [part.where for part in parts if part.where is not None]
        return Compiled(and_(*wheres) if wheres else None, exact)
    if any(part.where is None for part in parts):
        return Compiled(None, exact)
    return Compiled(or_(*(part.where for part in parts if part.where is not None)), exact)


def _merge_indexed_or(bound: Combined, ctx: Context) -> Compiled | None:
    """``email=…`` is the same ``equals`` on every email field: one index lookup over all of them."""
    parts = bound.parts
    if not all(isinstance(p, Term) for p in parts):
        return None
    terms = [p for p in parts if isinstance(p, Term)]
    first = terms[0]
    same = all(
        t.kind == "words" and t.field in ctx.word_indexed and (t.operator, t.values) == (first.operator, first.values)
        for t in terms
    )
    if not same or first.operator not in ("equals", "in"):
        return None
    fields = [t.field for t in terms]
    return Compiled(_any_phrase(ctx, fields, first.values, starts=False), True, _single_phrase(fields, first.values))


def _single_phrase(fields: Sequence[str], phrases: Sequence[tuple[str, ...]]) -> Phrase | None:
    return Phrase(tuple(fields), tuple(phrases[0])) if len(phrases) == 1 and phrases[0] else None


def _any_phrase(
    ctx: Context, fields: Sequence[str], phrases: Sequence[tuple[str, ...]], *, starts: bool, negate: bool = False
) -> ColumnElement[bool]:
    """Any of the phrases (``negate``: none of them)."""
    filters = [phrase_filter(ctx, fields, phrase, starts=starts, negate=negate) for phrase in phrases]
    return and_(*filters) if negate else or_(*filters)


def compile_term(term: Term, ctx: Context) -> Compiled:
    return TERM_COMPILERS[term.kind](term, ctx)


def _value(term: Term) -> Any:
    return records.c.data[term.field]


def _not_equal(column: Any, wanted: Sequence[Any]) -> ColumnElement[bool]:
    """``not_equal`` includes empty values (the complement of ``equals``)."""
    return or_(column.is_(None), column.not_in(list(wanted)))


def _is_ascii(text: str) -> bool:
    return text.isascii()


def _like_any(column: Any, patterns: Sequence[str]) -> ColumnElement[bool] | None:
    return or_(*(column.like(p, escape="\\") for p in patterns)) if patterns else None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# words ---------------------------------------------------------------------------------------
def _words(term: Term, ctx: Context) -> Compiled:
    if term.field in ctx.word_indexed:
        starts, negate = term.operator == "starts_with", term.operator == "not_equal"
        phrase = None if starts or negate else _single_phrase([term.field], term.values)
        return Compiled(_any_phrase(ctx, [term.field], term.values, starts=starts, negate=negate), True, phrase)
    if term.operator == "not_equal":
        return Compiled(None, False)
    text = func.lower(_value(term).as_string())
    alternatives: list[ColumnElement[bool]] = []
    for phrase in term.values:
        ascii_words = [w for w in phrase if _is_ascii(w)]
        if not ascii_words:
            return Compiled(_value(term).as_string().is_not(None), False)
        alternatives.append(and_(*(text.like(f"%{_escape_like(w)}%", escape="\\") for w in ascii_words)))
    return Compiled(or_(*alternatives), False)


# digits (phone) ---------------------------------------------------------------------------------
def _digits(term: Term, ctx: Context) -> Compiled:
    if term.operator == "not_equal":
        return Compiled(None, False)
    patterns = ["%" + "%".join(number) + "%" for number in term.values]
    return Compiled(_like_any(_value(term).as_string(), patterns), False)


# exact (picklist, autonumber) -------------------------------------------------------------------
def _exact(term: Term, ctx: Context) -> Compiled:
    text = _value(term).as_string()
    if not all(_is_ascii(v) for v in term.values):
        return Compiled(None if term.operator == "not_equal" else text.is_not(None), False)
    lowered = func.lower(text)
    if term.operator == "not_equal":
        return Compiled(_not_equal(lowered, term.values), True)
    return Compiled(lowered.in_(list(term.values)), True)


# multi (multi-select picklist) --------------------------------------------------------------------
def _multi(term: Term, ctx: Context) -> Compiled:
    if term.operator == "not_equal":
        return Compiled(None, False)
    listed = func.lower(_value(term).as_string())  # the JSON array's text
    closing = "" if term.operator == "starts_with" else '"'
    patterns = []
    for value in term.values:
        if not _is_ascii(value) or '"' in value or "\\" in value:
            return Compiled(listed.is_not(None), False)
        patterns.append(f'%"{_escape_like(value)}{closing}%')
    return Compiled(_like_any(listed, patterns), False)


# ordered values: numbers, dates, date-times ---------------------------------------------------------
def _ordered(column: ColumnElement[Any], term: Term, values: Sequence[Any]) -> ColumnElement[bool]:
    operator = term.operator
    if operator in ("equals", "in"):
        return column.in_(list(values))
    if operator == "not_equal":
        return _not_equal(column, values)
    if operator == "between":
        return and_(column >= values[0], column <= values[1])
    comparisons: dict[str, ColumnElement[bool]] = {
        "greater_than": column > values[0],
        "greater_equal": column >= values[0],
        "less_than": column < values[0],
        "less_equal": column <= values[0],
    }
    return comparisons[operator]


def _number(term: Term, ctx: Context) -> Compiled:
    if term.field == "id":
        return Compiled(_record_id(term, ctx), True)
    if term.data_type in ("bigint", "long"):
        column = cast(_value(term).as_string(), BigInteger)
        return Compiled(_ordered(column, term, [int(v) for v in term.values]), True)
    return Compiled(_ordered(_value(term).as_float(), term, [float(v) for v in term.values]), True)


def _record_id(term: Term, ctx: Context) -> ColumnElement[bool]:
    """Ids are digit strings of one length per org, so string order is number order; a searched
    number of another length is below or above every id."""
    column = records.c.id

    def place(number: Any) -> str:
        text = str(int(number))
        if text.startswith("-") or len(text) < ctx.id_length:
            return ""  # below every id
        if len(text) > ctx.id_length:
            return "~"  # above every id ("~" sorts after digits)
        return text

    if term.operator in ("equals", "in", "not_equal"):
        exact_ids = [str(int(v)) for v in term.values]
        return column.not_in(exact_ids) if term.operator == "not_equal" else column.in_(exact_ids)
    return _ordered(column, term, [place(v) for v in term.values])


def _date(term: Term, ctx: Context) -> Compiled:
    return Compiled(_ordered(_value(term).as_string(), term, term.values), True)


def _datetime(term: Term, ctx: Context) -> Compiled:
    moments_ms = [int(v.timestamp()) * 1000 for v in term.values]
    column = TIME_COLUMNS.get(term.field)
    if column is None:
        stored = [utc_text(ms) for ms in moments_ms]
        return Compiled(_ordered(_value(term).as_string(), term, stored), True)
    return Compiled(_whole_seconds(column, term.operator, moments_ms), True)


def _whole_seconds(column: Any, operator: str, moments: Sequence[int]) -> ColumnElement[bool]:
    """Epoch-ms columns compared at second precision, as the wire shows them."""

    def within(ms: int) -> ColumnElement[bool]:
        return and_(column >= ms, column < ms + 1000)

    if operator in ("equals", "in"):
        return or_(*(within(ms) for ms in moments))
    if operator == "not_equal":
        return ~or_(*(within(ms) for ms in moments))
    if operator == "between":
        return and_(column >= moments[0], column < moments[1] + 1000)
    comparisons: dict[str, ColumnElement[bool]] = {
        "greater_than": column >= moments[0] + 1000,
        "greater_equal": column >= moments[0],
        "less_than": column < moments[0],
        "less_equal": column < moments[0] + 1000,
    }
    return comparisons[operator]


def _boolean(term: Term, ctx: Context) -> Compiled:
    column = _value(term).as_boolean()
    wanted = term.values[0]
    if term.operator == "not_equal":
        return Compiled(or_(column.is_(None), column == (not wanted)), True)
    return Compiled(column == wanted, True)


def _reference(term: Term, ctx: Context) -> Compiled:
    column = USER_COLUMNS.get(term.field)
    if column is None:
        column = _value(term).as_string()
    if term.operator == "not_equal":
        return Compiled(_not_equal(column, term.values), True)
    return Compiled(column.in_(list(term.values)), True)


# tags (the ``Tag`` list) ---------------------------------------------------------------------------
def _tag(term: Term, ctx: Context) -> Compiled:
    """Tag ids are digit strings of one length, so the list's JSON text holding ``"<id>"`` is a close
    superset; each candidate is then checked on its ids. No id (no tag has the name): ``equals`` and
    ``in`` find nothing, ``not_equal`` every record."""
    if not term.values:
        return Compiled(false(), True) if term.operator != "not_equal" else Compiled(None, True)
    if term.operator == "not_equal":
        return Compiled(None, False)
    listed = _value(term).as_string()
    return Compiled(_like_any(listed, [f'%"{tag_id}"%' for tag_id in term.values]), False)


def tag_ids(conn: Connection, module_id: str, names: Iterable[str]) -> dict[str, str]:
    """The ids of the module's tags by case-folded name, for the names a criteria searches."""
    return {key: str(tag["id"]) for key, tag in tags_repo.by_name_keys(conn, module_id, names).items()}


TERM_COMPILERS: dict[str, Callable[[Term, Context], Compiled]] = {
    "words": _words,
    "digits": _digits,
    "exact": _exact,
    "multi": _multi,
    "number": _number,
    "date": _date,
    "datetime": _datetime,
    "boolean": _boolean,
    "reference": _reference,
    "tag": _tag,
}


def context(module_id: str, org_id: str, fields: rules.FieldsByName) -> Context:
    return Context(module_id, frozenset(word_indexed_fields(fields)), len(org_id))


# --- running a search ----------------------------------------------------------------------------
_ROW_COLUMNS = [records.c[name] for name in RecordRow.__dataclass_fields__]


def _candidates(
    conn: Connection, module_id: str, page: PageQuery, wheres: Sequence[ColumnElement[bool]]
) -> Iterator[RecordRow]:
    """Live records passing the SQL part, in the page's order, read lazily."""
    column = SORT_COLUMNS[page.sort]
    order = (column, records.c.id) if page.sort != "id" else (records.c.id,)
    query = (
        select(*_ROW_COLUMNS)
        .where(records.c.module_id == module_id, records.c.deleted_ms.is_(None), *wheres)
        .order_by(*(c.desc() if page.descending else c.asc() for c in order))
    )
    # Streamed in batches (a server-side cursor on PostgreSQL), never the whole module in memory.
    for row in conn.execute(query.execution_options(yield_per=500)):
        yield RecordRow(*row)


@dataclass(frozen=True)
class Filters:
    """The record filters of the search params, as data: the Leads conversion state (None: either)
    and whether the approval params leave no record at all."""

    converted: bool | None = None
    nothing: bool = False

    def where(self) -> list[ColumnElement[bool]]:
        where = [] if self.converted is None else [converted(self.converted)]
        return [*where, false()] if self.nothing else where


NO_FILTERS = Filters()


def find(
    conn: Connection,
    module_id: str,
    bound: Bound,
    compiled: Compiled,
    page: PageQuery,
    filters: Filters = NO_FILTERS,
) -> list[RecordRow]:
    """``page.limit`` matching records from ``page.offset`` on, in the page's order."""
    if compiled.phrase is not None and page.after_id is None and not filters.nothing:
        return _phrase_page(conn, module_id, compiled.phrase, page, filters.converted)
    extra = filters.where()
    wheres = [w for w in (compiled.where, *extra) if w is not None]
    if compiled.exact:
        return list_records(conn, module_id, page, *wheres)
    found: list[RecordRow] = []
    skip = page.offset
    for row in _candidates(conn, module_id, page, wheres):
        if not rules.matches(bound, partial(stored_value, row)):
            continue
        if skip:
            skip -= 1
            continue
        found.append(row)
        if len(found) >= page.limit:
            break
    return found


# --- the commonest search, prepared -----------------------------------------------------------------
# A one-phrase search (``email=``, ``Email:equals:``) with at most the Leads conversion filter: the
# same statement as ``list_records`` with that phrase, prepared once per shape (store/prepared.py),
# since building and keying it through Core cost more than SQLite's index lookups.


@cache
def _phrase_statement(length: int, field_count: int, conversion: bool | None, sort: str, descending: bool) -> Prepared:
    phrase = _phrase_clause("p_", length, False, False, field_count)
    where = [phrase] if conversion is None else [phrase, converted(conversion)]
    page = PageQuery(sort=sort, descending=descending)
    statement = page_select(bindparam("module_id"), page, bindparam("limit"), bindparam("offset"), *where)
    return Prepared(statement, name="search: one-phrase page")


def _phrase_page(
    conn: Connection, module_id: str, phrase: Phrase, page: PageQuery, conversion: bool | None
) -> list[RecordRow]:
    statement = _phrase_statement(len(phrase.words), len(phrase.fields), conversion, page.sort, page.descending)
    values: dict[str, Any] = {"module_id": module_id, "p_m": module_id, "limit": page.limit, "offset": page.offset}
    values.update((f"p_f{i}", name) for i, name in enumerate(phrase.fields))
    values.update((f"p_w{i}", word) for i, word in enumerate(phrase.words))
    return [record_row(row) for row in statement.rows(conn, values)]


def row_matches(bound: Bound, row: RecordRow) -> bool:
    """Does this stored record meet the criteria (what SQL could not say exactly)?"""
    return rules.matches(bound, partial(stored_value, row))


def count(conn: Connection, module_id: str, bound: Bound, compiled: Compiled, filters: Filters = NO_FILTERS) -> int:
    """How many live records match (the count endpoint)."""
    wheres = [w for w in (compiled.where, *filters.where()) if w is not None]
    if compiled.exact:
        return count_records(conn, module_id, *wheres)
    everything = PageQuery(sort="id", descending=True, limit=0)
    return sum(
        1
        for row in _candidates(conn, module_id, everything, wheres)
        if rules.matches(bound, partial(stored_value, row))
    )
