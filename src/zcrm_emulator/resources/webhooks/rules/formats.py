"""The date and datetime formats of a webhook's ``date_time_format`` (AUTOMATION.md §2.2).

Zoho's one example (``dd-mmmm-yyyy``, ``dd-mm-yyyy H:M:S``) reads as a mask language where lower-case
``m`` is the month and upper-case ``M`` the minute; Zoho lists no others, so the emulator takes that
language (docs/decisions.md "Automation"):

    d dd          day of the month (1, 01)       ddd dddd   weekday (Mon, Monday)
    m mm          month (1, 01)                  mmm mmmm   month name (Jan, January)
    yy yyyy       year (25, 2025)
    H HH / h hh   hour, 24-hour / 12-hour        TT tt      AM/PM, am/pm
    M MM          minute                          S SS s ss  second

Between them: spaces and ``- / . , : T``. A date format holds day, month and year masks only.
"""

from __future__ import annotations

from datetime import date, datetime

DATE_MASKS = ("dddd", "ddd", "dd", "d", "mmmm", "mmm", "mm", "m", "yyyy", "yy")
TIME_MASKS = ("HH", "H", "hh", "h", "MM", "M", "SS", "S", "ss", "s", "TT", "tt")
SEPARATORS = frozenset(" -/.,:T")
_MASKS = sorted((*DATE_MASKS, *TIME_MASKS), key=len, reverse=True)  # longest first

Part = tuple[bool, str]  # (is a mask, text)


def parse(fmt: str) -> list[Part] | None:
    """The format as masks and separators, or None when it holds anything else."""
    parts: list[Part] = []
    position = 0
    while position < len(fmt):
        mask = next((m for m in _MASKS if fmt.startswith(m, position)), None)
        if mask is not None:
            parts.append((True, mask))
            position += len(mask)
        elif fmt[position] in SEPARATORS:
            parts.append((False, fmt[position]))
            position += 1
        else:
            return None
    return parts


def valid_date_format(fmt: str) -> bool:
    parts = parse(fmt)
    masks = [text for is_mask, text in parts or () if is_mask]
    return bool(masks) and all(mask in DATE_MASKS for mask in masks)


def valid_datetime_format(fmt: str) -> bool:
    parts = parse(fmt)
    return parts is not None and any(is_mask for is_mask, _ in parts)


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _hour12(hour: int) -> int:
    return hour % 12 or 12


def _mask_value(mask: str, at: datetime) -> str:
    """One mask's text for ``at`` (English names, whatever the process locale)."""
    kind, width = mask[0], len(mask)
    if kind == "d":
        return WEEKDAYS[at.weekday()][: 3 if width == 3 else None] if width > 2 else f"{at.day:0{width}d}"
    if kind == "m":
        return MONTHS[at.month - 1][: 3 if width == 3 else None] if width > 2 else f"{at.month:0{width}d}"
    if kind == "y":
        return f"{at.year:04d}" if width == 4 else f"{at.year % 100:02d}"
    if kind in "Hh":
        hour = at.hour if kind == "H" else _hour12(at.hour)
        return f"{hour:0{width}d}"
    if kind == "M":
        return f"{at.minute:0{width}d}"
    if kind in "Ss":
        return f"{at.second:0{width}d}"
    marker = "AM" if at.hour < 12 else "PM"
    return marker if kind == "T" else marker.lower()


def render(fmt: str, moment: date) -> str:
    """``moment`` written in ``fmt`` (a format that ``parse`` accepts; English month and day names)."""
    parts = parse(fmt)
    if parts is None:
        raise ValueError(f"not a webhook date format: {fmt!r}")
    at = moment if isinstance(moment, datetime) else datetime(moment.year, moment.month, moment.day)
    return "".join(_mask_value(text, at) if is_mask else text for is_mask, text in parts)
