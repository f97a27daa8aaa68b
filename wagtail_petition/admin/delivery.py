"""The delivery pack in the admin: download it from a petition's dashboard, or
email it to the petition's targets. Both need the ``export`` permission on
signatures (``wagtail_petition.export_signature``), since the pack lists people."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .. import delivery
from ..models.pages import petition_pages
from .permissions import SignaturePermissionRequiredMixin


class PetitionMixin:
    @cached_property
    def petition(self):
        return get_object_or_404(petition_pages(), pk=self.kwargs["page_id"]).specific

    def dashboard_url(self):
        return reverse("wagtail_petition_dashboard", args=[self.petition.pk])


class DeliveryPackView(SignaturePermissionRequiredMixin, PetitionMixin, View):
    """The delivery pack, as a PDF download."""

    signature_permission = "export"

    def get(self, request, page_id):
        return FileResponse(
            delivery.pack_file(self.petition),
            as_attachment=True,
            filename=delivery.pack_filename(self.petition),
            content_type="application/pdf",
        )


class EmailDeliveryPackView(
    SignaturePermissionRequiredMixin, PetitionMixin, WagtailAdminTemplateMixin, TemplateView
):
    """ "Email to the targets": a GET shows who will get the pack, the POST of its
    button queues the emails (``delivery.email_targets()``)."""

    signature_permission = "export"
    template_name = "wagtail_petition/admin/delivery_email_confirm.html"
    page_title = _("Email the delivery pack")
    header_icon = "mail"

    def get_page_subtitle(self):
        return self.petition.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtail_petition_report"), "label": _("Petitions")},
            {"url": self.dashboard_url(), "label": _("Dashboard")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        targets = [target.value for target in self.petition.targets]
        return super().get_context_data(
            petition=self.petition,
            recipients=delivery.target_emails(self.petition),
            missing=[t.get("name", "") for t in targets if not t.get("email")],
            action_url=self.request.path,
            dashboard_url=self.dashboard_url(),
            **kwargs,
        )

    def post(self, request, page_id):
        recipients = delivery.email_targets(self.petition, request.user)
        if not recipients:
            messages.error(request, _("No target of this petition has an email address."))
        else:
            messages.success(
                request,
                _("The delivery pack is being emailed to: %(recipients)s.")
                % {"recipients": ", ".join(f"{name} <{email}>" for name, email in recipients)},
            )
        return redirect(self.dashboard_url())


def get_urlpatterns():
    return [
        path(
            "reports/petitions/<int:page_id>/delivery-pack/",
            DeliveryPackView.as_view(),
            name="wagtail_petition_delivery_pack",
        ),
        path(
            "reports/petitions/<int:page_id>/delivery-pack/email/",
            EmailDeliveryPackView.as_view(),
            name="wagtail_petition_delivery_email",
        ),
    ]
