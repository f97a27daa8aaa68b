"""The signatures listing in the Wagtail admin: filter, search, inspect, export,
hold and restore. Signatures come from visitors: there is no add, edit, copy or
delete view (a person is erased with the privacy tools)."""

import tempfile

import django_filters
from django.http import FileResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.coreutils import get_content_languages
from wagtail.permission_policies.pages import PagePermissionPolicy

from .. import osdi
from ..models.pages import original_petitions
from ..records.signatures import Signature
from ..signing import set_status
from .exports import FormulaFreeExportMixin, action_network_csv
from .permissions import SignaturePermissionRequiredMixin, forbidden, user_can


def petitions_by_title(request=None):
    return original_petitions().order_by("title")


def language_choices():
    """The site's content languages (Wagtail's ``WAGTAIL_CONTENT_LANGUAGES``)."""
    return sorted(get_content_languages().items())


#: The ``source`` filter's value for signatures that came with no source: a
#: source code (``forms.SOURCE_PATTERN``) never has parentheses.
NO_SOURCE = "(none)"


def filter_source(queryset, name, value):
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(source="" if value == NO_SOURCE else value)


class SignatureFilterSet(WagtailFilterSet):
    petition = django_filters.ModelChoiceFilter(
        label=_("Petition"), queryset=petitions_by_title, empty_label=_("All petitions")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Signature.Status.choices)
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Signed between"), widget=DateRangePickerWidget
    )
    source = django_filters.CharFilter(
        label=_("Source"),
        method=filter_source,
        help_text=_("The ?source= code of the link, or (none) for signatures without one."),
    )
    referred_by = django_filters.CharFilter(
        label=_("Referred by"),
        lookup_expr="exact",
        help_text=_("The referral code of the share link the signers came from."),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        help_text=_("The language of the page the signers signed."),
    )

    class Meta:
        model = Signature
        fields = ["petition", "status", "created_at", "source", "referred_by", "language"]


def signed_text_url(signature, user) -> str | None:
    """Wagtail's own view of the revision ``signature`` was made on, for a
    ``user`` who may see it (who may edit or publish the petition)."""
    if not signature.revision_id:
        return None
    permissions = PagePermissionPolicy()
    if not permissions.user_has_any_permission_for_instance(
        user, ["change", "publish"], signature.petition
    ):
        return None
    return reverse(
        "wagtailadmin_pages:revisions_view", args=(signature.petition_id, signature.revision_id)
    )


class SignedTextColumn(DateColumn):
    """When the text the signer saw was published, linked to that revision."""

    cell_template_name = "wagtail_petition/admin/signed_text_cell.html"

    def __init__(self, name="signed_text_at", **kwargs):
        super().__init__(name, label=_("Text signed"), **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = signed_text_url(instance, parent_context["request"].user)
        return context


class StreamedRows:
    """A queryset read in chunks, so an export of a million rows keeps a bounded
    number of them in memory. Keeps ``model`` for the export's headings."""

    def __init__(self, queryset, chunk_size=2000):
        self.model = queryset.model
        self.queryset = queryset
        self.chunk_size = chunk_size

    def __iter__(self):
        return self.queryset.iterator(chunk_size=self.chunk_size)


class SignatureIndexView(
    FormulaFreeExportMixin, SignaturePermissionRequiredMixin, generic.IndexView
):
    any_permission_required = ["view"]

    #: The OSDI document (``wagtail_petition.osdi``), beside the spreadsheets.
    FORMAT_OSDI = "osdi"
    #: The consenting signers, for Action Network's list upload.
    FORMAT_ACTION_NETWORK = "action-network"
    FORMATS = (*generic.IndexView.FORMATS, FORMAT_OSDI, FORMAT_ACTION_NETWORK)

    def dispatch(self, request, *args, **kwargs):
        if self.is_export and not user_can(request.user, "export"):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    template_name = "wagtail_petition/admin/signatures_index.html"

    @cached_property
    def show_export_buttons(self):
        return user_can(self.request.user, "export")

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.show_export_buttons:
            buttons = [
                *buttons,
                Button(
                    _("Download OSDI (JSON)"),
                    url=self.get_export_url(self.FORMAT_OSDI),
                    icon_name="download",
                    priority=110,
                ),
                Button(
                    _("Download for Action Network (CSV)"),
                    url=self.get_export_url(self.FORMAT_ACTION_NETWORK),
                    icon_name="download",
                    priority=120,
                ),
            ]
        return buttons

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="signature"), *super().columns]

    def _get_title_column(self, *args, **kwargs):
        return super()._get_title_column(
            *args, **kwargs, get_title_id=lambda instance: f"signature_{instance.pk}_title"
        )

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("petition", "revision")
            .defer("revision__content")  # a page's whole text, per row
        )

    def get(self, request, *args, **kwargs):
        # Straight to the spreadsheet: the listing's context would count (and so
        # load) every row of an unpaginated export before the first byte.
        if self.is_export and request.GET["export"] == self.FORMAT_OSDI:
            return self.as_osdi(self.get_queryset())
        if self.is_export and request.GET["export"] == self.FORMAT_ACTION_NETWORK:
            return self.as_action_network_csv(self.get_queryset())
        if self.is_export:
            return self.as_spreadsheet(self.get_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def as_osdi(self, queryset):
        """The listing's rows as an OSDI document, streamed."""
        return self.attachment(
            osdi.stream(self.exportable(queryset), request=self.request),
            content_type=osdi.CONTENT_TYPE,
            extension="osdi.json",
        )

    def as_action_network_csv(self, queryset):
        """The listing's consenting signers as a CSV file for Action Network, streamed."""
        return self.attachment(
            action_network_csv(self.exportable(queryset)),
            content_type="text/csv",
            extension="action-network.csv",
        )

    def exportable(self, queryset):
        """Counted signatures only unless the status filter asks for others,
        never anonymised ones."""
        if not self.filtered_status():
            queryset = queryset.filter(status=Signature.Status.COUNTED)
        return osdi.exportable(queryset)

    def attachment(self, content, content_type, extension):
        response = StreamingHttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{self.get_filename()}.{extension}"'
        )
        return response

    def filtered_status(self):
        """The status the listing is filtered to, if any (none when the filters are invalid,
        as the listing then ignores them)."""
        if self.filters is None or not self.filters.is_valid():
            return None
        return self.filters.form.cleaned_data.get("status")

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(StreamedRows(queryset), spreadsheet_format)

    def write_xlsx_response(self, queryset):
        # A temporary file, not memory: the workbook of a large petition is big.
        # FileResponse closes it once sent.
        output = tempfile.TemporaryFile()  # noqa: SIM115
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )


class SignatureInspectView(SignaturePermissionRequiredMixin, generic.InspectView):
    any_permission_required = ["view"]

    def get_signed_text_at_display_value(self):
        revision = self.object.revision
        if revision is None:
            return ""
        url = signed_text_url(self.object, self.request.user)
        return render_to_string(
            "wagtail_petition/admin/signed_text.html",
            {"revision": revision, "url": url, "petition": self.object.petition},
            request=self.request,
        )


class ReadOnlyViewSet(ModelViewSet):
    """A listing and an inspect view of records the app writes itself
    (signatures, webhook deliveries): no view to add, edit, copy or delete
    them, and no link pointing at one."""

    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return None

    def get_common_view_kwargs(self, **kwargs):
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
            "copy_url_name": None,
            "history_url_name": None,
            "usage_url_name": None,
        }

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


class SignatureViewSet(ReadOnlyViewSet):
    model = Signature
    name = "petition_signatures"
    url_prefix = "signatures"
    icon = "form"
    menu_label = _("Signatures")
    add_to_admin_menu = True
    menu_order = 250
    index_view_class = SignatureIndexView
    inspect_view_class = SignatureInspectView
    inspect_view_enabled = True
    filterset_class = SignatureFilterSet
    search_fields = ["first_name", "last_name", "email", "postal_code"]
    ordering = ["-created_at"]
    list_display = [
        "__str__",
        "email",
        "postal_code",
        Column("petition", label=_("Petition")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("source", label=_("Source")),
        DateColumn("created_at", label=_("Signed at"), sort_key="created_at"),
        SignedTextColumn(),
    ]
    list_export = [
        "petition",
        "first_name",
        "last_name",
        "email",
        "postal_code",
        "comment",
        "opt_in",
        "opt_in_confirmed",
        "list_publicly",
        "status",
        "source",
        "referred_by",
        "referral_code",
        "language",
        "created_at",
        "revision_id",
        "signed_text_at",
    ]
    export_headings = {
        "opt_in_confirmed": _("Wants updates, address confirmed"),
        "revision_id": _("Text signed (revision)"),
        "signed_text_at": _("Text signed (revision of)"),
    }
    export_filename = "signatures"
    inspect_view_fields = [
        *[field for field in list_export if field != "revision_id"],
        "hold_reason",
        "confirmed_at",
        "counted_at",
        "anonymised_at",
    ]


class SignatureStatusBulkAction(BulkAction):
    """Give the selected signatures a status and recount their petitions."""

    models = [Signature]
    template_name = "wagtail_petition/admin/confirm_bulk_status.html"
    new_status = None

    hold_reason = ""

    def dispatch(self, request, *args, **kwargs):
        # Before anything is read: the confirmation lists names and statuses.
        if not (user_can(request.user, "view") and user_can(request.user, "change")):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, obj):
        return True  # the whole action is checked in dispatch()

    def get_execution_context(self):
        return {"user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.success_message % {"count": num_parent_objects}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        signatures = Signature.objects.filter(pk__in=[o.pk for o in objects])
        changed = set_status(signatures, cls.new_status, hold_reason=cls.hold_reason, user=user)
        return changed, 0


class HoldBulkAction(SignatureStatusBulkAction):
    display_name = _("Hold")
    action_type = "hold"
    aria_label = _("Hold the selected signatures")
    new_status = Signature.Status.HELD
    hold_reason = Signature.HoldReason.ORGANIZER
    action_priority = 10
    question = _("Hold these signatures? They stay stored but stop counting.")
    success_message = ngettext_lazy(
        "%(count)d signature held.", "%(count)d signatures held.", "count"
    )


class RestoreBulkAction(SignatureStatusBulkAction):
    display_name = _("Restore")
    action_type = "restore"
    aria_label = _("Restore the selected signatures")
    new_status = Signature.Status.COUNTED
    action_priority = 20
    question = _("Restore these signatures? They count again.")
    success_message = ngettext_lazy(
        "%(count)d signature restored.", "%(count)d signatures restored.", "count"
    )
