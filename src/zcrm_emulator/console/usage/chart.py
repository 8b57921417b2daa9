"""The geometry of the usage chart: one bar per hour, scaled to a round maximum, with a few
labelled gridlines and hour ticks. Plain numbers; the template draws them as SVG."""

from __future__ import annotations

from dataclasses import dataclass

from zcrm_emulator.clock import iso
from zcrm_emulator.usage.history import HourBar

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 10, 24  # room for the axis labels
# Gridline intervals by the top's leading digit (1, 2 or 5 × 10ⁿ): whole steps of 1, 2 or 5 × 10ᵐ.
INTERVALS = {1: 5, 2: 4, 5: 5}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    credits: int
    label: str  # "2026-01-31 14:00 UTC: 12 credits", the bar's tooltip


@dataclass(frozen=True)
class Tick:
    position: float  # x for hour ticks, y for gridlines
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bottom: float  # the y of the axis
    right: float
    bars: list[Bar]
    gridlines: list[Tick]
    hours: list[Tick]
    total: int


def round_up(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (at least 1): the chart's top."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if step * top >= value:
                return step * top
        top *= 10


def intervals(top: int) -> int:
    """How many gridline intervals split ``top`` (from ``round_up``) into whole, round steps."""
    return min(top, INTERVALS[int(str(top)[0])])


def chart(bars: list[HourBar]) -> Chart:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    axis_y = TOP + plot_h
    top = round_up(max((bar.credits for bar in bars), default=0))
    slot = plot_w / max(len(bars), 1)
    drawn = []
    for i, bar in enumerate(bars):
        height = plot_h * bar.credits / top
        hour = iso(bar.start_ms)[:13].replace("T", " ") + ":00 UTC"
        drawn.append(
            Bar(
                LEFT + i * slot + 1,
                axis_y - height,
                max(slot - 2, 1),
                height,
                bar.credits,
                f"{hour}: {bar.credits} credits",
            )
        )
    steps = intervals(top)
    gridlines = [Tick(axis_y - plot_h * n / steps, str(top * n // steps)) for n in range(steps + 1)]
    hours = [
        Tick(LEFT + i * slot + slot / 2, iso(bar.start_ms)[11:13] + "h") for i, bar in enumerate(bars) if i % 3 == 0
    ]
    return Chart(WIDTH, HEIGHT, LEFT, axis_y, WIDTH - RIGHT, drawn, gridlines, hours, sum(b.credits for b in bars))
