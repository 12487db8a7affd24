"""A server-rendered SVG timeline of facts (no JavaScript: works under a strict CSP).

Each fact is a dot on a time axis, one lane per event type, linking to its event page.
Dates have day, month or year precision (xsd:date, gYearMonth, gYear); a coarser date is
placed at the middle of its period. Undated facts are counted, not drawn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 900
LEFT = 170
RIGHT = 20
LANE = 28
TOP = 30

_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def fractional_year(value: str | None) -> float | None:
    """2020-12-10 -> 2020.94; 2021-08 -> 2021.62 (mid-month); 2022 -> 2022.5 (mid-year)."""
    if not value:
        return None
    m = _DATE.match(value)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2) is None:
        return year + 0.5
    month = int(m.group(2))
    if m.group(3) is None:
        return year + (month - 0.5) / 12
    day = int(m.group(3))
    return year + (month - 1) / 12 + (day - 0.5) / 366


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    href: str
    title: str
    css: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Lane:
    y: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    axis_y: float
    dots: tuple[Dot, ...]
    ticks: tuple[Tick, ...]
    lanes: tuple[Lane, ...]
    undated: int


@dataclass(frozen=True)
class Point:
    """What the timeline needs from a fact."""

    date: str | None
    lane: str
    href: str
    title: str
    css: str = ""


def build(points: Sequence[Point]) -> Timeline | None:
    """Lay out ``points``; None when no point has a date."""
    dated = [(fractional_year(p.date), p) for p in points]
    placed = [(t, p) for t, p in dated if t is not None]
    undated = len(points) - len(placed)
    if not placed:
        return None
    lanes = sorted({p.lane for _, p in placed})
    lane_y = {name: TOP + i * LANE for i, name in enumerate(lanes)}
    t_min = min(t for t, _ in placed)
    t_max = max(t for t, _ in placed)
    start, end = int(t_min), int(t_max) + 1
    span = end - start
    inner = WIDTH - LEFT - RIGHT

    def x_of(t: float) -> float:
        return round(LEFT + (t - start) / span * inner, 1)

    dots = tuple(
        Dot(x_of(t), lane_y[p.lane], p.href, p.title, p.css)
        for t, p in sorted(placed, key=lambda tp: tp[0])
    )
    step = max(1, span // 10)
    ticks = tuple(Tick(x_of(year), str(year)) for year in range(start, end + 1, step))
    axis_y = TOP + len(lanes) * LANE - LANE / 2
    height = int(axis_y + 30)
    return Timeline(
        width=WIDTH,
        height=height,
        axis_y=axis_y,
        dots=dots,
        ticks=ticks,
        lanes=tuple(Lane(y, name) for name, y in lane_y.items()),
        undated=undated,
    )
