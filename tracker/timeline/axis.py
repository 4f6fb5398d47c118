"""A time axis in SVG user units: dates to x positions and the month ticks in between."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date

WIDTH = 1000  # the viewBox width; the SVG scales to the width of its container
LABEL_WIDTH = 190  # the row labels on the left
RIGHT_MARGIN = 16
MAX_TICKS = 12


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Axis:
    start: date
    end: date

    @classmethod
    def around(cls, dates: list[date], today: date) -> Axis:
        """From a week before the earliest date to a week after the latest; today always included."""
        known = [*dates, today]
        start, end = min(known) - timedelta(days=7), max(known) + timedelta(days=7)
        return cls(start, end)

    @property
    def days(self) -> int:
        return max(1, (self.end - self.start).days)

    def x(self, day: date) -> float:
        """The x position of the start of ``day``, clamped to the plot."""
        share = min(1.0, max(0.0, (day - self.start).days / self.days))
        return round(LABEL_WIDTH + share * (WIDTH - LABEL_WIDTH - RIGHT_MARGIN), 1)

    def span(self, first: date, last: date) -> tuple[float, float]:
        """The x and width of the days ``first`` up to and including ``last`` (at least 2 units wide)."""
        x = self.x(first)
        return x, max(2.0, round(self.x(last + timedelta(days=1)) - x, 1))

    def ticks(self) -> list[Tick]:
        """The first of each month on the axis, thinned out to at most ``MAX_TICKS`` labels."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        step = max(1, -(-months // MAX_TICKS))
        ticks = []
        year, month = self.start.year, self.start.month
        for i in range(months + 1):
            first = date(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1, 1)
            if self.start <= first <= self.end and i % step == 0:
                ticks.append(Tick(self.x(first), format_date(first, "MMM yy")))
        return ticks
