"""Webhooks in the Wagtail admin (Settings > Webhooks): the endpoints, and the
log of every delivery with a "Send again" button.

Both use the endpoint's permissions (add, change, delete, view
``webhookendpoint``): seeing the log takes any of them, sending again takes
"change". Sending signers' personal data takes the signatures' "export"
permission too, the one that lets a user download them.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.db import models
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import formfield_for_dbfield
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .. import webhooks
from ..models.pages import original_petitions
from ..records.webhooks import EventType, WebhookDelivery, WebhookEndpoint
from .permissions import forbidden, user_can
from .viewsets import ReadOnlyViewSet

endpoint_permissions = ModelPermissionPolicy(WebhookEndpoint)
register_permission_policy(WebhookDelivery, endpoint_permissions)


def petitions_by_title(request=None):
    return original_petitions().order_by("title")


def https_formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return formfield_for_dbfield(db_field, **kwargs)


class WebhookEndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The events posted to this endpoint."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "petitions", "send_personal_data", "active", "secret"]
        widgets = {"petitions": forms.CheckboxSelectMultiple}
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["petitions"].queryset = petitions_by_title()
        self.fields["url"].widget.attrs["placeholder"] = "https://"
        if not user_can(self.for_user, "export"):
            # Kept as it is, whatever is posted: only someone who may export
            # the signatures may send them elsewhere.
            field = self.fields["send_personal_data"]
            field.disabled = True
            field.help_text = _("Only people who may export signatures can change this.")

    def save(self, commit=True):
        endpoint = super().save(commit=False)
        if "active" in self.changed_data and endpoint.active:
            endpoint.failing_since = None
            endpoint.disabled_reason = ""
        if commit:
            endpoint.save()
            self.save_m2m()
        return endpoint


def endpoint_status(endpoint) -> str:
    return _("Active") if endpoint.active else _("Switched off")


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    name = "petition_webhooks"
    url_prefix = "petition-webhooks"
    icon = "link-external"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    menu_order = 960
    copy_view_enabled = False
    list_display = [
        "name",
        "url",
        Column("active", label=_("Status"), accessor=endpoint_status),
        Column("disabled_reason", label=_("Why switched off")),
        DateColumn("failing_since", label=_("Failing since")),
    ]

    def get_form_class(self, for_update=False):
        return WebhookEndpointForm


class DeliveryFilterSet(WagtailFilterSet):
    endpoint = django_filters.ModelChoiceFilter(
        label=_("Endpoint"), queryset=WebhookEndpoint.objects.all(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WebhookDelivery.Status.choices)
    event_type = django_filters.ChoiceFilter(label=_("Event"), choices=EventType.choices)

    class Meta:
        model = WebhookDelivery
        fields = ["endpoint", "status", "event_type"]


class SendAgainColumn(Column):
    """A "Send again" button, a POST form, for users who may change endpoints."""

    cell_template_name = "wagtail_petition/admin/webhook_send_again_cell.html"

    def __init__(self, name="send_again", **kwargs):
        super().__init__(name, label=_("Actions"), **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        if endpoint_permissions.user_has_permission(request.user, "change"):
            context["send_again_url"] = reverse(
                "petition_webhook_deliveries:send_again", args=[instance.pk]
            )
            # The table renders its cells without the request's context.
            context["csrf_token"] = get_token(request)
        return context


def last_answer(delivery) -> str:
    """The receiver's status code and the start of its answer, or the error."""
    if delivery.last_status_code is None:
        return delivery.last_error
    text = Truncator(" ".join(delivery.last_response.split())).chars(80)
    return f"{delivery.last_status_code} {text}".strip()


class DeliveryIndexView(generic.IndexView):
    @cached_property
    def columns(self):
        return [*super().columns, SendAgainColumn()]


class DeliveryInspectView(generic.InspectView):
    template_name = "wagtail_petition/admin/webhook_delivery_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if endpoint_permissions.user_has_permission(self.request.user, "change"):
            context["send_again_url"] = reverse(
                "petition_webhook_deliveries:send_again", args=[self.object.pk]
            )
        return context


@require_POST
def send_again(request, pk):
    """Queue a delivery's event again, with the same webhook-id and body."""
    if not endpoint_permissions.user_has_permission(request.user, "change"):
        return forbidden(request)
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    webhooks.send_again(delivery)
    messages.success(request, _("The event is queued to be sent again."))
    return redirect("petition_webhook_deliveries:index")


class WebhookDeliveryViewSet(ReadOnlyViewSet):
    model = WebhookDelivery
    name = "petition_webhook_deliveries"
    url_prefix = "petition-webhook-deliveries"
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    add_to_settings_menu = True
    menu_order = 961
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    inspect_view_enabled = True
    filterset_class = DeliveryFilterSet
    ordering = ["-created_at", "-pk"]
    list_display = [
        "__str__",
        Column("endpoint", label=_("Endpoint")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("attempts", label=_("Attempts")),
        Column("last_answer", label=_("Last answer"), accessor=last_answer),
        DateColumn("created_at", label=_("Event at")),
        DateColumn("next_attempt_at", label=_("Next attempt")),
    ]
    inspect_view_fields = [
        "endpoint",
        "event_type",
        "event_id",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "last_status_code",
        "last_response",
        "last_error",
        "payload",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("send-again/<int:pk>/", send_again, name="send_again"),
        ]
