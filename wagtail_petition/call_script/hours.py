"""Office hours: whether an office is open at a moment, when it opens next,
and the line a call script shows about it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _


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


def office_hours_context(office_hours) -> dict:
    """The office hours line for the current moment in the office's time zone:
    "Open now, until 5 p.m. CST" or "Closed now. Opens Monday 9 a.m. CST"
    (``office_status``), and ``office_open``. Empty without opening hours."""
    office_hours = office_hours or {}
    periods = [
        Period(frozenset(int(day) for day in p["days"]), p["opens"], p["closes"])
        for p in office_hours.get("periods", [])
    ]
    if not periods:
        return {}
    now = timezone.now().astimezone(ZoneInfo(office_hours.get("time_zone") or settings.TIME_ZONE))
    status = office_status(now, periods)
    if status.change_at is None:
        return {}
    moment = {
        "time": formats.time_format(status.change_at.time(), "TIME_FORMAT"),
        "zone": status.change_at.strftime("%Z"),
    }
    if status.is_open:
        text = _("Open now, until %(time)s %(zone)s") % moment
    else:
        day = _day_name(status.change_at, now)
        text = _("Closed now. Opens %(day)s %(time)s %(zone)s") % {"day": day, **moment}
    return {"office_open": status.is_open, "office_status": text}


def _day_name(moment, now):
    days_ahead = (moment.date() - now.date()).days
    if days_ahead == 0:
        return _("today")
    if days_ahead == 1:
        return _("tomorrow")
    return WEEKDAYS[moment.weekday()]
