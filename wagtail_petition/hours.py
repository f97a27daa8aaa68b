"""Office hours: whether an office is open at a moment, and when it opens next.
Pure functions, no Django."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta


@dataclass(frozen=True)
class Period:
    """Opening hours on some days of the week (0 is Monday)."""

    days: frozenset[int]
    opens: time
    closes: time


@dataclass(frozen=True)
class OfficeStatus:
    is_open: bool
    #: When an open office closes, or when a closed one opens next (None: never).
    change_at: datetime | None


def office_status(now: datetime, periods: Iterable[Period]) -> OfficeStatus:
    """The status at ``now``, an aware datetime in the office's own time zone."""
    periods = list(periods)
    closing = [
        p.closes for p in periods if now.weekday() in p.days and p.opens <= now.time() < p.closes
    ]
    if closing:
        return OfficeStatus(True, _at(now, now.date(), max(closing)))
    for offset in range(8):
        day = now.date() + timedelta(days=offset)
        openings = [
            p.opens
            for p in periods
            if day.weekday() in p.days and (offset or p.opens > now.time())
        ]
        if openings:
            return OfficeStatus(False, _at(now, day, min(openings)))
    return OfficeStatus(False, None)


def _at(now, day, wall_time):
    return datetime.combine(day, wall_time, tzinfo=now.tzinfo)
