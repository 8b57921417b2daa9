"""The search criteria grammar: ``(field:operator:value)`` and its ``and``/``or`` groups, parsed to a tree.

Zoho doc page "Search Records" (v8), parameter ``criteria``; OAS ``module_search.json`` operation
"Search module" (REFERENCE §4.9). Pure text work: no field metadata, no SQL. What the parts *mean*
(operators per data type, value types, matching) is ``search_rules``; turning it into SQL is
``search_repo``.

Grammar, as Zoho writes it::

    criteria  := group
    group     := "(" condition ")" | "(" group (joiner group)* ")"
    joiner    := "and" | "or"            (any case, spaces around allowed)
    condition := field ":" operator ":" value ("," value)*

* The value is everything after the second ``:`` (datetimes carry more colons).
* Inside a value, ``\\(``, ``\\)``, ``\\,`` and ``\\\\`` stand for the character itself (Zoho's
  "escape, then URL-encode" rule; the URL decoding is done by the HTTP layer). Any other backslash is
  literal. An unescaped ``,`` separates values (``in``, ``between``); an unescaped ``(`` is an error.
* Mixing ``and`` and ``or`` in one group follows the usual precedence: ``and`` binds tighter
  (docs/decisions.md).

Every syntax error is ``INVALID_QUERY`` "Invalid query formed" with empty details, the shape Zoho's
OAS gives for a malformed query. So is a group nested more than ``MAX_NESTING`` deep: Zoho names no
depth, and ten conditions never need more, while the parser (and everything that walks the tree)
recurses once per level (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from zcrm_emulator.errors import Message, ZohoError

JOINERS = ("and", "or")
MAX_NESTING = 32
ESCAPABLE = frozenset("(),\\")


@dataclass(frozen=True)
class Condition:
    """One ``(field:operator:value)``: names as written, values unescaped and stripped."""

    field: str
    operator: str
    values: tuple[str, ...]
    raw_value: str  # the value text as written (escapes kept), for error details


@dataclass(frozen=True)
class Group:
    joiner: str  # "and" | "or"
    parts: tuple[Node, ...]


Node = Condition | Group


def malformed() -> ZohoError:
    return ZohoError("INVALID_QUERY", {}, Message.INVALID_QUERY)


def parse(criteria: str) -> Node:
    """The criteria string (already URL-decoded) as a tree; INVALID_QUERY when it is not well formed."""
    parser = _Parser(criteria.strip())
    node = parser.group()
    parser.skip_spaces()
    if not parser.at_end():
        raise malformed()
    return node


def conditions(node: Node) -> Iterator[Condition]:
    """Every condition of the tree, left to right (what the criteria limit counts)."""
    if isinstance(node, Condition):
        yield node
        return
    for part in node.parts:
        yield from conditions(part)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_spaces(self) -> None:
        while self.peek().isspace():
            self.pos += 1

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise malformed()
        self.pos += 1

    def group(self) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise malformed()
        node = self._group()
        self.depth -= 1
        return node

    def _group(self) -> Node:
        self.skip_spaces()
        self.expect("(")
        self.skip_spaces()
        if self.peek() != "(":
            node = self.condition()
            self.expect(")")
            return node
        operands: list[Node] = [self.group()]
        joiners: list[str] = []
        while True:
            self.skip_spaces()
            if self.peek() == ")":
                self.pos += 1
                return _combine(operands, joiners)
            joiners.append(self.joiner())
            operands.append(self.group())

    def joiner(self) -> str:
        start = self.pos
        while self.peek().isalpha():
            self.pos += 1
        word = self.text[start : self.pos].lower()
        if word not in JOINERS:
            raise malformed()
        return word

    def condition(self) -> Condition:
        """Reads up to the unescaped ``)`` that closes the condition (not consumed)."""
        start = self.pos
        while not self.at_end():
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text) and self.text[self.pos + 1] in ESCAPABLE:
                self.pos += 2
                continue
            if char == ")":
                break
            if char == "(":
                raise malformed()
            self.pos += 1
        return _condition(self.text[start : self.pos])


def _condition(text: str) -> Condition:
    field, sep1, rest = text.partition(":")
    operator, sep2, raw_value = rest.partition(":")
    field, operator = field.strip(), operator.strip().lower()
    if not (sep1 and sep2 and field and operator) or any(c.isspace() for c in field + operator):
        raise malformed()
    return Condition(field, operator, split_values(raw_value), raw_value)


def split_values(raw: str) -> tuple[str, ...]:
    """Values separated by unescaped commas, each unescaped and stripped."""
    values, current, i = [], [], 0
    while i < len(raw):
        char = raw[i]
        if char == "\\" and i + 1 < len(raw) and raw[i + 1] in ESCAPABLE:
            current.append(raw[i + 1])
            i += 2
            continue
        if char == ",":
            values.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    values.append("".join(current).strip())
    return tuple(values)


def _combine(operands: list[Node], joiners: list[str]) -> Node:
    """``a and b or c`` -> ``(a and b) or c``; one operand stays itself."""
    runs: list[list[Node]] = [[operands[0]]]
    for joiner, operand in zip(joiners, operands[1:], strict=True):
        if joiner == "and":
            runs[-1].append(operand)
        else:
            runs.append([operand])
    terms = [run[0] if len(run) == 1 else Group("and", tuple(run)) for run in runs]
    return terms[0] if len(terms) == 1 else Group("or", tuple(terms))
