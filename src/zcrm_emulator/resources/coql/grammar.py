"""The COQL grammar: a ``select_query`` string parsed to a tree (Zoho doc pages "COQL Overview",
"Get Records through a COQL Query", "COQL Limitations", v8; OAS ``coql.json``).

Pure text work: no field metadata, no SQL. What the names and values *mean* is ``rules.py``.

Grammar (keywords in any case)::

    query     := SELECT item ("," item)* FROM module WHERE expr
                 [GROUP BY column ("," column)*] [ORDER BY order ("," order)*]
                 [LIMIT number [("," | OFFSET) number]] [OFFSET number]
    item      := column [AS alias] | function "(" column ")" [AS alias]
    column    := name ("." name)*  |  'quoted name'      (quotes let a reserved word be a column)
    expr      := operand [(AND | OR) operand]
    operand   := "(" expr ")" | condition
    condition := column (= | != | > | >= | < | <=) value
               | column [NOT] IN "(" value ("," value)* ")"
               | column [NOT] LIKE 'text'
               | column [NOT] BETWEEN value AND value
               | column IS [NOT] NULL
    value     := 'text' | "text" | number | TRUE | FALSE

* One level joins at most two operands: ``A and B and C`` is a syntax error, written
  ``(A and B) and C`` (Zoho's rule: "enclose the criteria within brackets properly").
* ``LIMIT a, b`` is offset ``a`` and count ``b`` (the SQL form Zoho accepts); ``''`` inside a quoted
  value is one quote.
* A syntax error is SYNTAX_ERROR "error occured while parsing the query" (Zoho's spelling) with the
  offending token's ``line``, ``column`` (1-based) and text in ``near``; a missing clause is
  SYNTAX_ERROR "missing clause" naming it (OAS ``Clause_Details``); a statement other than SELECT
  "given coql query not supported" and ``not`` before a criterion "operator not supported" (the
  OASx examples' shapes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from zcrm_emulator.errors import Message, ZohoError

KEYWORDS = frozenset(
    {
        "select",
        "from",
        "where",
        "and",
        "or",
        "not",
        "in",
        "like",
        "between",
        "is",
        "null",
        "group",
        "order",
        "by",
        "asc",
        "desc",
        "limit",
        "offset",
        "as",
        "true",
        "false",
    }
)
COMPARISONS = frozenset({"=", "!=", ">", ">=", "<", "<="})
# Statements other than SELECT: "given coql query not supported" (only SELECT is COQL).
OTHER_STATEMENTS = frozenset({"insert", "update", "delete", "upsert", "merge", "create", "alter", "drop", "truncate"})
# Deeper nesting than this is refused as a syntax error: 25 conditions never need more, and the
# parser recurses once per level.
MAX_NESTING = 32

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>'(?:[^']|'')*'|"(?:[^"]|"")*")
  | (?P<number>-?\d+(?:\.\d+)?(?![\w$]))
  | (?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)
  | (?P<symbol>>=|<=|!=|[=<>(),*])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # "string" | "number" | "name" | "keyword" | "symbol" | "end"
    text: str  # as written
    value: str  # keywords lower-cased, strings unquoted
    line: int
    column: int


@dataclass(frozen=True)
class Column:
    """A field path as written: ``Last_Name``, ``Account_Name.Parent_Account.Account_Name``."""

    path: tuple[str, ...]

    @property
    def text(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Aggregate:
    function: str  # upper case: COUNT, SUM, MAX, MIN, AVG
    column: Column

    @property
    def text(self) -> str:
        return f"{self.function}({self.column.text})"


@dataclass(frozen=True)
class Item:
    expr: Column | Aggregate
    alias: str | None


@dataclass(frozen=True)
class Literal:
    kind: str  # "string" | "number" | "boolean"
    value: str | Decimal | bool
    text: str  # as written


@dataclass(frozen=True)
class Condition:
    column: Column
    operator: str  # "=", "!=", ">", ">=", "<", "<=", "in", "not in", "like", "not like",
    # "between", "not between", "is null", "is not null"
    values: tuple[Literal, ...]


@dataclass(frozen=True)
class Group:
    joiner: str  # "and" | "or"
    parts: tuple[Node, Node]


Node = Condition | Group


@dataclass(frozen=True)
class Order:
    column: Column
    descending: bool


@dataclass(frozen=True)
class Query:
    items: tuple[Item, ...]
    module: str
    where: Node
    group_by: tuple[Column, ...]
    order_by: tuple[Order, ...]
    limit: str | None  # the token's text as written (rules read it as a number)
    offset: str | None


_T = TypeVar("_T")
AGGREGATES = ("COUNT", "SUM", "MAX", "MIN", "AVG")


def parse_error(token: Token) -> ZohoError:
    details = {"line": token.line, "column": token.column, "near": token.text}
    return ZohoError("SYNTAX_ERROR", details, Message.COQL_PARSE_ERROR)


def missing_clause(clause: str) -> ZohoError:
    return ZohoError("SYNTAX_ERROR", {"clause": clause}, Message.COQL_MISSING_CLAUSE)


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    position, line, line_start = 0, 1, 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        column = position - line_start + 1
        if match is None:
            raise parse_error(Token("symbol", text[position], text[position], line, column))
        kind = match.lastgroup or "symbol"
        raw = match.group()
        if kind == "space":
            newlines = raw.count("\n")
            if newlines:
                line += newlines
                line_start = position + raw.rindex("\n") + 1
        elif kind == "string":
            quote = raw[0]
            found.append(Token("string", raw, raw[1:-1].replace(quote * 2, quote), line, column))
        elif kind == "name" and raw.lower() in KEYWORDS:
            found.append(Token("keyword", raw, raw.lower(), line, column))
        else:
            found.append(Token(kind, raw, raw, line, column))
        position = match.end()
    found.append(Token("end", "", "", line, len(text) - line_start + 1))
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokens(text)
        self.at = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        if token.kind != "end":
            self.at += 1
        return token

    def is_keyword(self, *words: str) -> bool:
        return self.token.kind == "keyword" and self.token.value in words

    def is_symbol(self, symbol: str) -> bool:
        return self.token.kind == "symbol" and self.token.value == symbol

    def keyword(self, word: str) -> None:
        if not self.is_keyword(word):
            raise parse_error(self.token)
        self.take()

    def symbol(self, symbol: str) -> None:
        if not self.is_symbol(symbol):
            raise parse_error(self.token)
        self.take()

    # --- query ------------------------------------------------------------------------------
    def query(self) -> Query:
        if self.token.kind == "name" and self.token.value.lower() in OTHER_STATEMENTS:
            raise ZohoError("SYNTAX_ERROR", {}, Message.COQL_NOT_SUPPORTED)
        self.keyword("select")
        items = self.listed(self.item)
        if self.token.kind == "end":
            raise missing_clause("from")
        self.keyword("from")
        if self.token.kind not in ("name", "string"):
            raise parse_error(self.token)
        module = self.take().value
        if self.token.kind == "end" or self.is_keyword("group", "order", "limit", "offset"):
            raise missing_clause("where")
        self.keyword("where")
        where = self.expr(0)
        group_by: tuple[Column, ...] = ()
        order_by: tuple[Order, ...] = ()
        if self.is_keyword("group"):
            self.take()
            self.keyword("by")
            group_by = self.listed(self.column)
        if self.is_keyword("order"):
            self.take()
            self.keyword("by")
            order_by = self.listed(self.order)
        limit, offset = self.paging()
        if self.token.kind != "end":
            raise parse_error(self.token)
        return Query(items, module, where, group_by, order_by, limit, offset)

    def listed(self, parse: Callable[[], _T]) -> tuple[_T, ...]:
        found = [parse()]
        while self.is_symbol(","):
            self.take()
            found.append(parse())
        return tuple(found)

    def paging(self) -> tuple[str | None, str | None]:
        limit = offset = None
        if self.is_keyword("limit"):
            self.take()
            limit = self.paging_value()
            if self.is_symbol(","):  # LIMIT offset, count
                self.take()
                offset, limit = limit, self.paging_value()
        if self.is_keyword("offset"):
            self.take()
            offset = self.paging_value()
        return limit, offset

    def paging_value(self) -> str:
        # Any one token: rules say whether it is a number (INVALID_QUERY "limit given seems to be invalid").
        if self.token.kind in ("end", "symbol") or self.is_keyword("offset"):
            raise parse_error(self.token)
        return self.take().value

    # --- select items --------------------------------------------------------------------------
    def item(self) -> Item:
        expr: Column | Aggregate
        following = self.tokens[self.at + 1] if self.token.kind == "name" else None
        if following is not None and following.kind == "symbol" and following.value == "(":
            function_token = self.take()
            self.take()
            column = self.column()
            self.symbol(")")
            function = function_token.value.upper()
            if function not in AGGREGATES:
                written = f"{function_token.value}({column.text})"
                raise ZohoError("INVALID_DATA", {"reason": "unsupported aggregate function", "column": written})
            expr = Aggregate(function, column)
        else:
            expr = self.column()
        alias = None
        if self.is_keyword("as"):
            self.take()
            if self.token.kind not in ("name", "string"):
                raise parse_error(self.token)
            alias = self.take().value
        return Item(expr, alias)

    def column(self) -> Column:
        token = self.token
        if token.kind == "name" or (token.kind == "string" and token.value):
            self.take()
            return Column(tuple(token.value.split(".")) if token.kind == "name" else (token.value,))
        raise parse_error(token)

    def order(self) -> Order:
        column = self.column()
        descending = False
        if self.is_keyword("asc", "desc"):
            descending = self.take().value == "desc"
        return Order(column, descending)

    # --- criteria ------------------------------------------------------------------------------
    def expr(self, depth: int) -> Node:
        if depth > MAX_NESTING:
            raise parse_error(self.token)
        left = self.operand(depth)
        if not self.is_keyword("and", "or"):
            return left
        joiner = self.take().value
        right = self.operand(depth)
        if self.is_keyword("and", "or"):  # a third operand needs brackets
            raise parse_error(self.token)
        return Group(joiner, (left, right))

    def operand(self, depth: int) -> Node:
        if self.is_keyword("not"):  # no negation of a whole criterion
            raise ZohoError("SYNTAX_ERROR", {"operator": "not"}, Message.COQL_OPERATOR_NOT_SUPPORTED)
        if self.is_symbol("("):
            self.take()
            node = self.expr(depth + 1)
            self.symbol(")")
            return node
        return self.condition()

    def condition(self) -> Condition:
        column = self.column()
        token = self.token
        if token.kind == "symbol" and token.value in COMPARISONS:
            self.take()
            return Condition(column, token.value, (self.value(),))
        if self.is_keyword("is"):
            self.take()
            negated = self.is_keyword("not")
            if negated:
                self.take()
            self.keyword("null")
            return Condition(column, "is not null" if negated else "is null", ())
        negated = self.is_keyword("not")
        if negated:
            self.take()
        prefix = "not " if negated else ""
        if self.is_keyword("in"):
            self.take()
            self.symbol("(")
            values = self.listed(self.value)
            self.symbol(")")
            return Condition(column, prefix + "in", values)
        if self.is_keyword("like"):
            self.take()
            if self.token.kind != "string":
                raise parse_error(self.token)
            return Condition(column, prefix + "like", (self.value(),))
        if self.is_keyword("between"):
            self.take()
            low = self.value()
            self.keyword("and")
            return Condition(column, prefix + "between", (low, self.value()))
        raise parse_error(self.token)

    def value(self) -> Literal:
        token = self.token
        if token.kind == "string":
            self.take()
            return Literal("string", token.value, token.text)
        if token.kind == "number":
            self.take()
            return Literal("number", Decimal(token.value), token.text)
        if self.is_keyword("true", "false"):
            self.take()
            return Literal("boolean", token.value == "true", token.text)
        raise parse_error(token)


def parse(text: str) -> Query:
    """A ``select_query`` string as a tree, or Zoho's SYNTAX_ERROR (or INVALID_DATA for a function
    that is no aggregate)."""
    return _Parser(text).query()


def conditions(node: Node) -> list[Condition]:
    if isinstance(node, Condition):
        return [node]
    return [found for part in node.parts for found in conditions(part)]
