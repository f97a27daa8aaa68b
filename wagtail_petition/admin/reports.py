"""Petitions in the Wagtail admin: the petitions report, a petition's dashboard
with its signatures per day, and a panel on the admin's home page.

All of them need the ``view`` permission on signatures
(``wagtail_petition.view_signature``), since they show how people sign.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    FilteredRelation,
    OuterRef,
    PositiveBigIntegerField,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import DateColumn, NumberColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import Button, HeaderButton

from .. import areas, delivery
from ..charts import layout_chart, layout_rows
from ..conf import app_settings, postal_area_locator
from ..models.pages import original_petitions, petition_pages, petitions_where
from ..records.calls import CallReport
from ..records.signatures import Milestone, PetitionCounter, Signature
from ..views import embed as embed_views
from .exports import FormulaFreeExportMixin
from .permissions import SignaturePermissionRequiredMixin, is_petition, user_can
from .viewsets import NO_SOURCE

# Links ------------------------------------------------------------------------


def signatures_url(page_id, **filters) -> str:
    """The signatures listing filtered to one petition, and to ``filters``."""
    query = {"petition": page_id, **filters}
    return reverse("petition_signatures:index") + "?" + urlencode(query)


def signatures_from_source_url(page_id, source: str) -> str:
    """The petition's counted signatures from one source ("" for none)."""
    query = {
        "petition": page_id,
        "status": Signature.Status.COUNTED,
        "source": source or NO_SOURCE,
    }
    return reverse("petition_signatures:index") + "?" + urlencode(query)


def signatures_referred_url(page_id, code: str) -> str:
    """The petition's counted signatures brought by one referral code."""
    query = {"petition": page_id, "status": Signature.Status.COUNTED, "referred_by": code}
    return reverse("petition_signatures:index") + "?" + urlencode(query)


# Counting ----------------------------------------------------------------------


def open_petitions(pages):
    """The ``pages`` whose deadline has not passed."""
    return pages.filter(petitions_where(Q(deadline__isnull=True) | Q(deadline__gt=timezone.now())))


def with_counts(pages, **windows):
    """Annotate ``pages`` with ``total_signatures``, read from the counter,
    and, for each ``name=moment`` in ``windows``, the counted signatures made
    since that moment. The signatures are joined only from the earliest
    moment on, so the index on (petition, created_at) bounds the work."""
    pages = pages.annotate(
        total_signatures=Coalesce(
            PetitionCounter.total(), 0, output_field=PositiveBigIntegerField()
        )
    )
    if not windows:
        return pages
    pages = pages.annotate(
        recent_signatures=FilteredRelation(
            "signatures",
            condition=Q(
                signatures__status=Signature.Status.COUNTED,
                signatures__created_at__gte=min(windows.values()),
            ),
        )
    )
    return pages.annotate(
        **{
            name: Count("recent_signatures", filter=Q(recent_signatures__created_at__gte=since))
            for name, since in windows.items()
        }
    )


def with_latest_milestone(pages):
    """Annotate ``pages`` with ``milestone_threshold`` and ``milestone_reached_at``,
    the highest milestone reached (None when there is none)."""
    latest = Milestone.objects.filter(petition=OuterRef("pk")).order_by("-threshold")
    return pages.annotate(
        milestone_threshold=Subquery(latest.values("threshold")[:1]),
        milestone_reached_at=Subquery(latest.values("reached_at")[:1]),
    )


def start_of_today() -> datetime:
    """Midnight this morning in the current time zone."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def petition_status(page) -> str:
    if not page.live:
        return _("Unpublished")
    if page.is_closed:
        return _("Closed")
    return _("Live")


def call_outcomes(page) -> list[tuple[str, int]]:
    """How many call reports each outcome has, over all call scripts of the
    page, in the order of ``CallReport.Outcome``; empty when nobody reported."""
    counts = dict(
        CallReport.objects.filter(page_id=page.pk)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if not counts:
        return []
    return [(label, counts.get(value, 0)) for value, label in CallReport.Outcome.choices]


def counted_by(petition, field: str) -> list[tuple[str, int, float]]:
    """The petition's counted signatures grouped by ``field``, most first:
    (value, count, share of the total in percent)."""
    rows = (
        Signature.objects.filter(petition_id=petition.pk, status=Signature.Status.COUNTED)
        .values_list(field)
        .annotate(n=Count("pk"))
        .order_by("-n", field)
    )
    total = sum(n for _, n in rows)
    return [(value, n, 100 * n / total) for value, n in rows]


def signatures_by_source(petition) -> list[dict]:
    """Counted signatures per ``source``, most first, for the dashboard's
    table: each with ``label``, ``count``, ``share`` (percent of the counted
    signatures) and ``url`` (the signatures listing, filtered)."""
    return [
        {
            "label": source or _("Direct / unknown"),
            "count": n,
            "share": share,
            "url": signatures_from_source_url(petition.pk, source),
        }
        for source, n, share in counted_by(petition, "source")
    ]


def signatures_by_language(petition) -> list[dict]:
    """Counted signatures per language of the page signed, most first: each
    with ``label`` (the language's name in the admin's language), ``count``,
    ``share`` and ``url`` (the listing filtered to it; none when not recorded)."""
    return [
        {
            "label": language_name(code) or _("Not recorded"),
            "count": n,
            "share": share,
            "url": signatures_url(petition.pk, language=code) if code else "",
        }
        for code, n, share in counted_by(petition, "language")
    ]


def language_name(code: str) -> str:
    """A language code's name in the active language ("Spanish" for "es"),
    or the code itself when Django does not know it."""
    if not code:
        return ""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def top_referrers(petition, limit: int = 10) -> list[dict]:
    """The referral codes that brought the most counted signatures to
    ``petition``, most first: each with ``code``, ``count``, ``name`` (of the
    signer whose code it is; "" when no signature of the petition has it, as
    for the codes of attempts that stored nothing, or once erased) and ``url``."""
    rows = list(
        Signature.objects.filter(petition_id=petition.pk, status=Signature.Status.COUNTED)
        .exclude(referred_by="")
        .values_list("referred_by")
        .annotate(n=Count("pk"))
        .order_by("-n", "referred_by")[:limit]
    )
    names = {
        code: f"{first} {last}".strip()
        for code, first, last in Signature.objects.filter(
            petition_id=petition.pk, referral_code__in=[code for code, _ in rows]
        ).values_list("referral_code", "first_name", "last_name")
    }
    return [
        {
            "code": code,
            "count": n,
            "name": names.get(code, ""),
            "url": signatures_referred_url(petition.pk, code),
        }
        for code, n in rows
    ]


def daily_signatures(petition, days: int = 30) -> list[tuple[date, int]]:
    """Counted signatures per day in the current time zone, zero days included:
    the last ``days`` days up to today (or the deadline, once closed), starting
    no earlier than the first signature. Empty when nobody has signed."""
    tz = timezone.get_current_timezone()
    counted = Signature.objects.filter(petition_id=petition.pk, status=Signature.Status.COUNTED)
    first = counted.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return []
    last_day = timezone.localdate()
    if petition.is_closed:
        last_day = timezone.localdate(petition.deadline)
    first_day = max(last_day - timedelta(days=days - 1), timezone.localdate(first))
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    per_day = dict(
        counted.filter(created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    span = (last_day - first_day).days + 1
    return [(day, per_day.get(day, 0)) for day in (first_day + timedelta(n) for n in range(span))]


# Views ---------------------------------------------------------------------------


class OptionalNumberColumn(NumberColumn):
    """A number, or nothing when there is none (not "None")."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if context["raw_value"] is None:
            context["value"] = ""
        return context


class PetitionsReportView(FormulaFreeExportMixin, SignaturePermissionRequiredMixin, ReportView):
    """Every petition with its count, goal, latest milestone and recent
    signatures; exported in CSV and XLSX through ``list_export``."""

    page_title = _("Petitions")
    header_icon = "table"
    index_url_name = "wagtail_petition_report"
    verbose_name = _("petition")
    verbose_name_plural = _("petitions")
    default_ordering = "-total_signatures"
    columns = [
        TitleColumn(
            "title",
            label=_("Petition"),
            accessor="get_admin_display_title",
            url_name="wagtail_petition_dashboard",
            sort_key="title",
        ),
        StatusTagColumn(
            "petition_status", label=_("Status"), primary=lambda page: page.petition_is_open
        ),
        NumberColumn("total_signatures", label=_("Signatures"), sort_key="total_signatures"),
        OptionalNumberColumn("goal", label=_("Goal")),
        OptionalNumberColumn("milestone_threshold", label=_("Latest milestone")),
        DateColumn("milestone_reached_at", label=_("Milestone reached")),
        NumberColumn("signatures_24h", label=_("Last 24 hours"), sort_key="signatures_24h"),
        NumberColumn("signatures_7d", label=_("Last 7 days"), sort_key="signatures_7d"),
        DateColumn("deadline", label=_("Deadline")),
    ]
    list_export = [
        "get_admin_display_title",
        "petition_status",
        "total_signatures",
        "goal",
        "milestone_threshold",
        "milestone_reached_at",
        "signatures_24h",
        "signatures_7d",
        "deadline",
    ]
    export_headings = {
        "get_admin_display_title": _("Petition"),
        "petition_status": _("Status"),
        "total_signatures": _("Signatures"),
        "goal": _("Goal"),
        "milestone_threshold": _("Latest milestone"),
        "milestone_reached_at": _("Milestone reached"),
        "signatures_24h": _("Last 24 hours"),
        "signatures_7d": _("Last 7 days"),
        "deadline": _("Deadline"),
    }

    def get_filename(self):
        return f"petitions-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        now = timezone.now()
        pages = original_petitions().specific().defer_streamfields()
        pages = with_counts(
            pages,
            signatures_24h=now - timedelta(hours=24),
            signatures_7d=now - timedelta(days=7),
        )
        self.queryset = with_latest_milestone(pages)
        return super().get_queryset()

    def order_queryset(self, queryset):
        # The page id breaks ties, so that pages of the report never overlap.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "pk")

    def decorate_paginated_queryset(self, pages):
        """Add what needs the specific page: its status and its goal."""
        pages = list(pages)
        for page in pages:
            page.petition_status = petition_status(page)
            page.petition_is_open = page.live and not page.is_closed
            page.goal = page.get_goal(page.total_signatures)
        return pages


class PetitionDashboardView(
    SignaturePermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    """One petition at a glance: count and goal, signatures per day, milestones,
    call outcomes, where signatures came from (sources and referrers), where
    support comes from (postal code areas, with a map when the site locates
    them), and, for users who may export signatures, the delivery pack."""

    template_name = "wagtail_petition/admin/dashboard_petition.html"
    header_icon = "table"
    page_title = _("Dashboard")
    #: How many days the chart covers, up to today.
    days = 30
    #: How many referrers "Top referrers" lists.
    referrers = 10
    #: How many areas "Where support comes from" lists before "Other areas".
    areas = 20

    @cached_property
    def petition(self):
        page = get_object_or_404(petition_pages(), pk=self.kwargs["page_id"]).specific
        return page.original_petition  # its translations share its signatures

    def get_page_subtitle(self):
        return self.petition.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtail_petition_report"), "label": _("Petitions")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_header_buttons(self):
        if not self.petition.permissions_for_user(self.request.user).can_edit():
            return []
        url = reverse("wagtailadmin_pages:edit", args=[self.petition.pk])
        return [HeaderButton(_("Edit"), url=url, icon_name="edit")]

    def get_context_data(self, **kwargs):
        petition = self.petition
        count = petition.signature_count
        days = daily_signatures(petition, self.days)
        return super().get_context_data(
            petition=petition,
            count=count,
            goal=petition.get_goal(count),
            status=petition_status(petition),
            chart=layout_chart(days) if days else None,
            has_milestones=Milestone.objects.filter(petition_id=petition.pk).exists(),
            call_outcomes=call_outcomes(petition),
            languages=signatures_by_language(petition),
            sources=signatures_by_source(petition),
            referrers=top_referrers(petition, self.referrers),
            **self.areas_context(petition),
            signatures_url=signatures_url(petition.pk),
            embed_html=embed_views.iframe_html(self.request, petition),
            petition_url=petition.get_full_url(self.request),
            **self.delivery_context(petition),
            **kwargs,
        )

    def areas_context(self, petition) -> dict:
        """The context of "Where support comes from": the table's rows (the top ``areas`` and
        "Other areas"), their chart and, with a locator, the map's data."""
        counts = areas.area_counts(petition.pk)
        rows = areas.group(counts, limit=self.areas)
        return {
            "areas": rows,
            "areas_floor": areas.FLOOR,
            "areas_chart": layout_rows([(row.label, row.count) for row in rows]) if rows else None,
            "areas_map": self.areas_map(areas.group(counts)),
            "areas_export_url": reverse("wagtail_petition_areas_export", args=[petition.pk]),
        }

    def areas_map(self, rows) -> dict | None:
        """The data of the map of support, when the site locates areas and
        some area over the floor has a place; else None."""
        locator = postal_area_locator()
        points = areas.located(rows, locator) if locator else []
        if not points:
            return None
        for point in points:
            point["label"] = ngettext(
                "%(area)s: %(count)s signature", "%(area)s: %(count)s signatures", point["count"]
            ) % {"area": point["area"], "count": point["count"]}
        return {
            "areas": points,
            "tile_url": app_settings.MAP_TILE_URL,
            "attribution": app_settings.MAP_ATTRIBUTION,
        }

    def delivery_context(self, petition) -> dict:
        """The delivery section's context, for users who may export signatures."""
        if not user_can(self.request.user, "export"):
            return {}
        return {
            "delivery": {
                "listed": delivery.listed_signatures(petition).count(),
                "recipients": delivery.target_emails(petition),
                "pack_url": reverse("wagtail_petition_delivery_pack", args=[petition.pk]),
                "email_url": reverse("wagtail_petition_delivery_email", args=[petition.pk]),
            }
        }


class SupportByAreaExportView(
    FormulaFreeExportMixin, SignaturePermissionRequiredMixin, SpreadsheetExportMixin, View
):
    """A petition's support by area as a spreadsheet (``?export=csv``, the
    default, or ``xlsx``): every area over the floor, then "Other areas"."""

    list_export = ["label", "count", "share"]
    export_headings = {
        "label": _("Area"),
        "count": _("Signatures"),
        "share": _("Share of total (%)"),
    }
    custom_field_preprocess = {
        "share": {
            SpreadsheetExportMixin.FORMAT_CSV: lambda share: f"{share:.1f}",
            SpreadsheetExportMixin.FORMAT_XLSX: lambda share: round(share, 1),
        }
    }

    def get(self, request, page_id):
        petition = get_object_or_404(petition_pages(), pk=page_id)
        export_format = request.GET.get("export", self.FORMAT_CSV)
        if export_format not in self.FORMATS:
            return HttpResponseBadRequest(str(_("Unknown export format.")))
        self.petition = petition
        return self.as_spreadsheet(areas.support_by_area(petition.pk), export_format)

    def get_filename(self):
        return f"support-by-area-{self.petition.slug}-{timezone.localdate():%Y-%m-%d}"


def get_urlpatterns():
    return [
        path("reports/petitions/", PetitionsReportView.as_view(), name="wagtail_petition_report"),
        path(
            "reports/petitions/<int:page_id>/",
            PetitionDashboardView.as_view(),
            name="wagtail_petition_dashboard",
        ),
        path(
            "reports/petitions/<int:page_id>/areas/",
            SupportByAreaExportView.as_view(),
            name="wagtail_petition_areas_export",
        ),
    ]


# Menu item, page buttons and home panel ------------------------------------------


class PetitionsReportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can(request.user, "view")


def report_menu_item():
    return PetitionsReportMenuItem(
        _("Petitions"),
        reverse("wagtail_petition_report"),
        name="petitions",
        icon_name="table",
        order=1300,
    )


def dashboard_button(page, user, priority):
    """The "Dashboard" button of a petition page, for users who may see it."""
    if not is_petition(page) or not user_can(user, "view"):
        return None
    return Button(
        _("Dashboard"),
        url=reverse("wagtail_petition_dashboard", args=[page.pk]),
        icon_name="table",
        priority=priority,
    )


class PetitionsPanel(Component):
    """The live petitions on the admin's home page, biggest first, with
    today's signatures. ``limit`` caps how many are listed."""

    name = "petitions"
    order = 150
    template_name = "wagtail_petition/admin/dashboard_panel.html"
    limit = 10

    def get_context_data(self, parent_context):
        pages = with_counts(
            open_petitions(original_petitions().live()), signatures_today=start_of_today()
        )
        return {
            "petitions": pages.order_by("-total_signatures", "title", "pk")[: self.limit],
            "report_url": reverse("wagtail_petition_report"),
        }
