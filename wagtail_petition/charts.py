"""Bar chart geometry for the admin's SVG charts: pure functions, no Django."""

from dataclasses import dataclass
from datetime import date
from itertools import count
from math import ceil


@dataclass(frozen=True)
class Bar:
    day: date
    value: int
    x: float
    y: float
    width: float
    height: float
    labelled: bool  # whether the day is written under the axis

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    """A bar chart laid out in an SVG viewBox of ``width`` x ``height``; the
    plot area runs from ``left`` to ``right`` and from ``top`` down to ``bottom``
    (the baseline)."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bars: list[Bar]
    ticks: list[Tick]

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def peak(self) -> Bar:
        """The busiest day (the latest of equals)."""
        return max(reversed(self.bars), key=lambda bar: bar.value)


def axis_ticks(peak: int, max_steps: int = 4) -> list[int]:
    """Values for the axis, from 0 up to at least ``peak``, in round steps
    (1, 2 or 5 times a power of ten), with at most ``max_steps`` steps."""
    steps = (m * 10**e for e in count() for m in (1, 2, 5))
    step = next(s for s in steps if ceil(peak / s) <= max_steps)
    return [n * step for n in range(max(1, ceil(peak / step)) + 1)]


def layout_chart(
    days: list[tuple[date, int]],
    *,
    width: int = 640,
    height: int = 240,
    margins: tuple[int, int, int, int] = (12, 40, 28, 48),
    max_labels: int = 7,
    gap: float = 0.2,
) -> Chart:
    """Lay out one bar per ``(day, value)`` (at least one): ``margins`` (top, right, bottom,
    left) leave room for the labels, ``gap`` is the share of each day's slot
    left empty between bars, and at most ``max_labels`` days are written under
    the axis, counting back from the last one."""
    top, right, bottom, left = margins[0], width - margins[1], height - margins[2], margins[3]
    ticks = axis_ticks(max(value for _, value in days))
    scale = (bottom - top) / ticks[-1]
    slot = (right - left) / len(days)
    label_every = ceil(len(days) / max_labels)
    bars = [
        Bar(
            day=day,
            value=value,
            x=round(left + i * slot + slot * gap / 2, 2),
            y=round(bottom - value * scale, 2),
            width=round(slot * (1 - gap), 2),
            height=round(value * scale, 2),
            labelled=(len(days) - 1 - i) % label_every == 0,
        )
        for i, (day, value) in enumerate(days)
    ]
    return Chart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        bars=bars,
        ticks=[Tick(value, round(bottom - value * scale, 2)) for value in ticks],
    )


@dataclass(frozen=True)
class Row:
    """A horizontal bar: ``label`` written left of it, ``value`` right of its end."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float

    @property
    def middle(self) -> float:
        return round(self.y + self.height / 2, 2)

    @property
    def end(self) -> float:
        return round(self.x + self.width, 2)


@dataclass(frozen=True)
class RowChart:
    """A horizontal bar chart in an SVG viewBox of ``width`` x ``height``; bars
    start at ``left`` and the longest ends at ``right``."""

    width: int
    height: int
    left: float
    right: float
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(row.value for row in self.rows)


def layout_rows(
    values: list[tuple[str, int]],
    *,
    width: int = 640,
    row_height: int = 24,
    margins: tuple[int, int, int, int] = (4, 56, 4, 112),
    gap: float = 0.25,
) -> RowChart:
    """Lay out one horizontal bar per ``(label, value)`` (at least one, values
    not all 0), top to bottom in the order given: ``margins`` (top, right,
    bottom, left) leave room for the labels and the values, ``gap`` is the
    share of each row left empty between bars."""
    top, right, left = margins[0], width - margins[1], margins[3]
    scale = (right - left) / max(value for _, value in values)
    rows = [
        Row(
            label=label,
            value=value,
            x=left,
            y=round(top + i * row_height + row_height * gap / 2, 2),
            width=round(value * scale, 2),
            height=round(row_height * (1 - gap), 2),
        )
        for i, (label, value) in enumerate(values)
    ]
    height = top + len(values) * row_height + margins[2]
    return RowChart(width=width, height=height, left=left, right=right, rows=rows)
