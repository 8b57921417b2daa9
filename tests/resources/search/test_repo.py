"""Compiled criteria against the matching rule, on SQLite and PostgreSQL: for every criteria the SQL
(exact, or prefilter + check) finds exactly the records ``search_rules.matches`` accepts, and the
ones claimed exact are answered by SQL alone. Email search is an index lookup."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select, text

from tests.support.records import insert_as
from zcrm_emulator import record_model
from zcrm_emulator.emulator import Emulator
from zcrm_emulator.record_model.meta import ModuleMeta
from zcrm_emulator.record_model.repo import PageQuery, RecordRow
from zcrm_emulator.resources.search import repo as search_repo
from zcrm_emulator.resources.search import rules as search_rules
from zcrm_emulator.resources.search.repo import Filters
from zcrm_emulator.resources.search.rules import matches, parse_criteria
from zcrm_emulator.seeding import seed_module
from zcrm_emulator.store.schema import records

pytestmark = pytest.mark.usefixtures("both_backends")

# Hand-made records at the edges seeded data does not reach.
EDGES: list[dict[str, Any]] = [
    {"Last_Name": "Müller", "Company": "Straße & Söhne", "Email": "MÜLLER@Example.org", "Lead_Status": "Contacted"},
    {"Last_Name": "O'Brien", "Company": "ABC Inc.", "Email": "sales_team@zoho.com", "No_of_Employees": 0},
    {"Last_Name": "Plain", "Company": "abc", "Phone": "555-0100", "Annual_Revenue": 0.5, "Email_Opt_Out": False},
    {"Last_Name": "100%_sure", "Company": "50% off_sale", "Email": "a.b@c.de"},
]


@pytest.fixture
def seeded(emulator: Emulator) -> Iterator[tuple[Emulator, ModuleMeta]]:
    seed_module(emulator, "Leads", 300, seed=11, progress=False)
    with emulator.store.tx() as conn:
        meta = record_model.load_module(conn, emulator.default_org_id, "Leads", emulator.clock.now_ms())
        admin = next(iter(record_model.caller(conn, emulator.default_org_id, "-").users))
    results = insert_as(emulator, admin, "Leads", EDGES)
    assert all(r["status"] == "success" for r in results), results
    yield emulator, meta


def all_rows(emulator: Emulator, meta: ModuleMeta) -> list[RecordRow]:
    columns = [records.c[name] for name in RecordRow.__dataclass_fields__]
    with emulator.store.tx() as conn:
        return [RecordRow(*row) for row in conn.execute(select(*columns).where(records.c.module_id == meta.id))]


# (criteria, answered by SQL alone)
CRITERIA = [
    ("(Email:equals:sales-team@zoho.com)", True),
    ("(Email:equals:example.org)", True),
    ("(Email:equals:müller@example.org)", True),
    ("(Email:starts_with:a.b)", True),
    ("(Email:in:a.b@c.de,nobody@x.y)", True),
    ("(Email:not_equal:a.b@c.de)", True),
    ("(Secondary_Email:equals:example.org)", True),
    ("(Company:equals:abc)", False),
    ("(Company:equals:ABC Inc)", False),
    ("(Company:starts_with:Str)", False),
    ("(Company:equals:straße)", False),
    ("(Company:equals:50% off_sale)", False),
    ("(Company:not_equal:abc)", False),
    ("(Last_Name:equals:o'brien)", False),
    ("(Last_Name:in:Plain,Müller)", False),
    ("(Phone:equals:555)", False),
    ("(Lead_Status:equals:contacted)", True),
    ("(Lead_Status:in:Contacted,Junk Lead)", True),
    ("(Lead_Status:not_equal:Contacted)", True),
    ("(Industry:equals:ERP \\(Enterprise Resource Planning\\))", True),
    ("(Salutation:equals:Mr.)", True),
    ("(No_of_Employees:greater_than:500000)", True),
    ("(No_of_Employees:between:0,1000)", True),
    ("(No_of_Employees:in:0,7)", True),
    ("(No_of_Employees:not_equal:0)", True),
    ("(Annual_Revenue:less_equal:0.5)", True),
    ("(Annual_Revenue:greater_equal:1000000)", True),
    ("(Email_Opt_Out:equals:true)", True),
    ("(Email_Opt_Out:not_equal:true)", True),
    ("(Created_Time:greater_than:2000-01-01T00:00:00+00:00)", True),
    ("(Created_Time:less_than:2000-01-01T00:00:00Z)", True),
    ("(Modified_Time:between:2000-01-01T00:00:00+05:30,2100-01-01T00:00:00+05:30)", True),
    ("(id:greater_than:1)", True),
    ("(id:less_than:9223372036854775807)", True),  # the largest Java long
    ("((Lead_Status:equals:Contacted)and(No_of_Employees:greater_than:1000))", True),
    ("((Lead_Status:equals:Contacted)or(Company:equals:abc))", False),
    ("((Email:equals:zoho.com)and(Company:equals:abc))", False),
    ("((Email:equals:zoho.com)or(Email_Opt_Out:equals:true))", True),
    ("((Email:equals:sales team zoho.com)or(Secondary_Email:starts_with:a))", True),  # two word-index subqueries
    ("((Email:equals:example.org)and(Email:not_equal:müller@example.org))", True),
]


def test_sql_finds_exactly_what_the_matching_rule_accepts(seeded: tuple[Emulator, ModuleMeta]) -> None:
    """One database for the whole table (building one per criteria costs more than the checks)."""
    emulator, meta = seeded
    rows = all_rows(emulator, meta)
    context = search_repo.context(meta.id, emulator.default_org_id, meta.by_name)
    problems = []
    for criteria, exact in CRITERIA:
        bound = parse_criteria(criteria, meta.by_name)
        compiled = search_repo.compile_bound(bound, context)
        expected = sorted(
            row.id for row in rows if matches(bound, lambda name, row=row: search_repo.stored_value(row, name))
        )
        with emulator.store.tx() as conn:
            found = sorted(row.id for row in search_repo.find(conn, meta.id, bound, compiled, PageQuery(limit=10_000)))
            counted = search_repo.count(conn, meta.id, bound, compiled)
        if (compiled.exact, found, counted) != (exact, expected, len(expected)):
            problems.append(
                f"{criteria}: exact {compiled.exact}, found {len(found)}, counted {counted}, rule {len(expected)}"
            )
    assert not problems, "\n".join(problems)


def test_the_criteria_table_selects_some_and_not_all_records(seeded: tuple[Emulator, ModuleMeta]) -> None:
    """Agreement on empty (or full) results would prove nothing: most criteria split the records."""
    emulator, meta = seeded
    rows = all_rows(emulator, meta)
    splitting = 0
    for criteria, _ in CRITERIA:
        bound = parse_criteria(criteria, meta.by_name)
        hits = sum(1 for row in rows if matches(bound, lambda name, row=row: search_repo.stored_value(row, name)))
        splitting += 0 < hits < len(rows)
    assert splitting >= len(CRITERIA) * 3 // 4


def test_edge_records_are_found_the_way_the_rule_says(seeded: tuple[Emulator, ModuleMeta]) -> None:
    """The agreement above must not be agreement on nothing."""
    emulator, meta = seeded
    context = search_repo.context(meta.id, emulator.default_org_id, meta.by_name)

    def hits(criteria: str) -> list[str]:
        bound = parse_criteria(criteria, meta.by_name)
        with emulator.store.tx() as conn:
            rows = search_repo.find(
                conn, meta.id, bound, search_repo.compile_bound(bound, context), PageQuery(limit=10_000)
            )
        return sorted(row.data["Last_Name"] for row in rows)

    assert hits("(Email:equals:sales-team@zoho.com)") == ["O'Brien"]
    assert hits("(Email:equals:müller@example.org)") == ["Müller"]
    assert hits("(Company:equals:abc)") == ["O'Brien", "Plain"]
    assert hits("(Company:equals:straße)") == ["Müller"]
    assert hits("(Company:equals:50% off_sale)") == ["100%_sure"]
    assert hits("(Phone:equals:5550100)") == ["Plain"]


def test_email_equality_is_an_index_lookup(seeded: tuple[Emulator, ModuleMeta], both_backends: str) -> None:
    if both_backends != "sqlite":
        pytest.skip("query plans are checked on SQLite, the default store")
    emulator, meta = seeded
    bound = parse_criteria("(Email:equals:a.b@c.de)", meta.by_name)
    compiled = search_repo.compile_bound(bound, search_repo.context(meta.id, emulator.default_org_id, meta.by_name))
    assert compiled.where is not None
    query = select(records.c.id).where(records.c.module_id == meta.id, records.c.deleted_ms.is_(None), compiled.where)
    with emulator.store.tx() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " | ".join(str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_record_words_lookup" in plan, plan


ONE_PHRASE = ["(Email:equals:sales-team@zoho.com)", "(Email:equals:example.org)", "(Secondary_Email:equals:a.b)"]
PAGES = [PageQuery(limit=10_000), PageQuery(sort="created_ms", descending=False, limit=2, offset=1)]


def test_a_one_phrase_search_runs_prepared_and_finds_what_core_finds(seeded: tuple[Emulator, ModuleMeta]) -> None:
    emulator, meta = seeded
    context = search_repo.context(meta.id, emulator.default_org_id, meta.by_name)
    email_param = search_rules.email_search("a.b@c.de", meta.by_name)
    assert email_param is not None
    bounds = [parse_criteria(criteria, meta.by_name) for criteria in ONE_PHRASE] + [email_param]
    compared = 0
    for bound in bounds:
        compiled = search_repo.compile_bound(bound, context)
        assert compiled.phrase is not None
        through_core = replace(compiled, phrase=None)
        for filters in (Filters(), Filters(converted=False), Filters(converted=True), Filters(nothing=True)):
            for page in PAGES:
                with emulator.store.tx() as conn:
                    prepared = search_repo.find(conn, meta.id, bound, compiled, page, filters)
                    expected = search_repo.find(conn, meta.id, bound, through_core, page, filters)
                assert prepared == expected
                compared += bool(expected)
    assert compared >= 6  # not agreement on nothing (no lead is converted, so that filter finds none)
