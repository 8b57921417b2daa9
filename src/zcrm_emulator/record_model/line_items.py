"""Line items of the inventory modules (Quotes, Sales_Orders, Purchase_Orders, Invoices): the
amounts Zoho computes per row and for the record (no HTTP, no SQL; docs/decisions.md "Subforms and line items").

Per row: ``Quantity`` (1 when not given), ``List_Price`` (the product's ``Unit_Price`` when not
given), ``Discount`` (an amount, 0 when not given), ``Line_Tax`` (``[{"name", "percentage"}]``), then

    Total = Quantity × List_Price
    Total_After_Discount = Total − Discount
    Tax = Total_After_Discount × Σ Line_Tax percentages / 100   (each tax gets its ``value``)
    Net_Total = Total_After_Discount + Tax

with the product's ``Unit_Price`` and ``Qty_in_Stock`` copied in, and ``Sequence_Number`` the row's
position. For the record (its ``Discount`` and ``Adjustment`` 0 when not given):

    Sub_Total = Σ Net_Total
    Grand_Total = Sub_Total − Discount + Tax + Adjustment

where the record's ``Tax`` (record-level taxes, which the emulator does not model) is 0. The
computed fields are not settable through the API (their ``operation_type`` says so), so values
sent for them are dropped on the way in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from zcrm_emulator.errors import ZohoError
from zcrm_emulator.record_model.meta import ModuleMeta
from zcrm_emulator.record_model.subforms import subform_module_name
from zcrm_emulator.validation import Invalid, finite_number

# The subform modules that hold line items (their parent module's line-item field has one of them).
LINE_ITEM_MODULES = frozenset({"Quoted_Items", "Ordered_Items", "Purchase_Items", "Invoiced_Items"})
PRODUCT = "Product_Name"
TAXES = "Line_Tax"
SEQUENCE = "Sequence_Number"  # the row's position, from 1
PLACES = 2  # currency precision of the amounts (field metadata: currency.precision 2)

Product = Callable[[str], Mapping[str, Any] | None]  # product id -> its stored data


def line_item_field(meta: ModuleMeta) -> str | None:
    """The module's line-item subform field (Quoted_Items of Quotes …), when it has one."""
    for name in meta.subforms:
        if subform_module_name(meta.by_name.get(name) or {}) in LINE_ITEM_MODULES:
            return name
    return None


def compute(meta: ModuleMeta, data: dict[str, Any], product: Product, path: str) -> None:
    """Fill the computed amounts of every row and of the record, in ``data`` in place."""
    name = line_item_field(meta)
    if name is None:
        return
    # Copies: an update that leaves the rows alone shares them with the stored record.
    rows = [_copied(row) for row in data.get(name) or []]
    if name in data:
        data[name] = rows
    for index, row in enumerate(rows):
        _check_taxes(row, f"{path}.{name}[{index}]")
        _row_amounts(row, product(row[PRODUCT]) if isinstance(row.get(PRODUCT), str) else None)
        row[SEQUENCE] = index + 1
    sub_total = _money(sum(_number(row.get("Net_Total")) for row in rows))
    for amount in ("Discount", "Adjustment"):
        data.setdefault(amount, 0)
    discount, adjustment = _number(data["Discount"]), _number(data["Adjustment"])
    tax = 0.0
    data["Sub_Total"] = sub_total
    data["Tax"] = tax
    data["Grand_Total"] = _money(sub_total - discount + tax + adjustment)


def _copied(row: Mapping[str, Any]) -> dict[str, Any]:
    taxes = row.get(TAXES)
    copy = dict(row)
    if isinstance(taxes, list):
        copy[TAXES] = [dict(tax) if isinstance(tax, dict) else tax for tax in taxes]
    return copy


def _row_amounts(row: dict[str, Any], product: Mapping[str, Any] | None) -> None:
    unit_price = (product or {}).get("Unit_Price")
    row.setdefault("Quantity", 1)
    row.setdefault("Discount", 0)
    row.setdefault(TAXES, [])
    if row.get("List_Price") is None:
        row["List_Price"] = unit_price if unit_price is not None else 0
    if unit_price is not None:
        row["Unit_Price"] = unit_price
    if product is not None and product.get("Qty_in_Stock") is not None:
        row["Quantity_in_Stock"] = product["Qty_in_Stock"]
    total = _money(_number(row["Quantity"]) * _number(row["List_Price"]))
    after = _money(total - _number(row.get("Discount")))
    taxes = row.get(TAXES)
    percent = 0.0
    for tax in taxes if isinstance(taxes, list) else ():
        if isinstance(tax, dict):
            share = _number(tax.get("percentage"))
            tax["value"] = _money(after * share / 100)
            percent += share
    tax_amount = _money(after * percent / 100)
    row.update(Total=total, Total_After_Discount=after, Tax=tax_amount, Net_Total=_money(after + tax_amount))


def _check_taxes(row: Mapping[str, Any], row_path: str) -> None:
    """``Line_Tax``: a list of ``{"name": text, "percentage": 0-100}``."""
    for index, tax in enumerate(row.get(TAXES) or []):
        tax_path = f"{row_path}.{TAXES}[{index}]"
        if not isinstance(tax, dict):
            raise ZohoError(
                "INVALID_DATA", {"api_name": TAXES, "json_path": tax_path, "expected_data_type": "jsonobject"}
            )
        if not isinstance(tax.get("name"), str) or not tax["name"].strip():
            raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "name", "json_path": f"{tax_path}.name"})
        try:
            share = finite_number(tax.get("percentage"))
        except Invalid:
            share = -1
        if not 0 <= share <= 100:
            raise ZohoError(
                "INVALID_DATA",
                {"api_name": "percentage", "json_path": f"{tax_path}.percentage", "expected_data_type": "double"},
            )


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _money(value: float) -> float:
    return round(value, PLACES)
