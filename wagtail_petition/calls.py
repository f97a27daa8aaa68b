"""Call scripts at work: what a CallScriptBlock shows a visitor, and the call
outcomes visitors report."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from wagtail.fields import StreamField

from .blocks import CallScriptBlock, fill_script
from .hours import Period, office_status
from .models import CallCounter, CallReport

CALLS_SESSION_KEY = "wagtail_petition.calls"


def call_script_context(value, parent_context: dict) -> dict:
    """Template context for a CallScriptBlock rendered inside ``parent_context``
    (a page's context, with ``page``, ``request``, the block's ``id`` and, on a
    petition that was just signed, the ``signer``)."""
    page, request = parent_context.get("page"), parent_context.get("request")
    block_id = parent_context.get("id")
    target = value.get("target") or _target(page)
    values = {**(parent_context.get("signer") or {}), "target": target}
    context = {
        "block_id": block_id,
        "script_html": fill_script(value["script"], values),
        **office_hours_context(value.get("office_hours")),
    }
    if page is not None and page.pk and block_id:
        context.update(
            calls_made=CallCounter.count_for(page_id=page.pk, block_id=block_id),
            reported_outcome=reported_outcome(request, page, block_id),
            outcomes=CallReport.Outcome.choices,
        )
    return context


def _target(page):
    """On a petition, the name of its first target."""
    for target in getattr(page, "targets", None) or []:
        return target.value["name"]
    return ""


def office_hours_context(office_hours) -> dict:
    """The office hours line for the current moment in the office's time zone:
    "Open now, until 5 p.m. CST" or "Closed now. Opens Monday 9 a.m. CST"."""
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


def find_call_script(page, block_id):
    """The value of the CallScriptBlock with ``block_id`` among the top-level
    blocks of the page's StreamFields, or None."""
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            for child in getattr(page, field.name):
                if child.id == block_id and isinstance(child.block, CallScriptBlock):
                    return child.value
    return None


def reported_outcome(request, page, block_id):
    """The outcome this visitor reported for the block, if any, from their session."""
    if request is None or not hasattr(request, "session"):
        return None
    return request.session.get(CALLS_SESSION_KEY, {}).get(f"{page.pk}/{block_id}")


def record_call(request, page, block_id, outcome, signature_id=None) -> bool:
    """Store the visitor's outcome for the block, once per session; a call made
    adds one to the block's counter. Returns whether it was recorded."""
    reported = request.session.get(CALLS_SESSION_KEY, {})
    key = f"{page.pk}/{block_id}"
    if key in reported:
        return False
    with transaction.atomic():
        report = CallReport.objects.create(
            page_id=page.pk, block_id=block_id, outcome=outcome, signature_id=signature_id
        )
        if report.is_call:
            CallCounter.add(1, page_id=page.pk, block_id=block_id)
    reported[key] = outcome
    request.session[CALLS_SESSION_KEY] = reported
    return True
