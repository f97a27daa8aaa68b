"""Privacy tools for organizers: anonymise signatures, erase a person.

Signature rows are never deleted, only anonymised: each keeps its petition,
status, source and date, so counts and milestones stay as they are.
"""

import uuid

from django import forms
from django.db import models, transaction
from django.db.models.functions import Cast, Concat, Left
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import LogFormatter, log
from wagtail.models import Page

from .models import Signature
from .permissions import SignaturePermissionRequiredMixin, user_can
from .signing import normalise_email

#: The audit log action recorded when a person is erased, once per petition.
ERASE_SIGNER = "wagtail_petition.erase_signer"
ERASE_SIGNER_URL_NAME = "wagtail_petition_erase_signer"


def anonymise(signatures, *, postal_code_prefix=0) -> int:
    """Remove the personal data of ``signatures`` (a queryset) not yet anonymised,
    in one UPDATE, and return how many were anonymised.

    Names, email and comment are blanked and ``opt_in`` cleared; the postal
    code keeps its first ``postal_code_prefix`` characters (0 removes it).
    Petition, status, source and dates stay, so counts and milestones do too.
    """
    if postal_code_prefix < 0:
        raise ValueError("postal_code_prefix must be 0 or more")
    postal_code = (
        Left("postal_code", postal_code_prefix) if postal_code_prefix else models.Value("")
    )
    return signatures.filter(anonymised_at__isnull=True).update(
        first_name="",
        last_name="",
        email="",
        # Unique per row, to keep (petition, email_normalised) unique; without
        # an "@" it can never equal a signer's address.
        email_normalised=Concat(
            models.Value("anonymised-"), Cast("pk", output_field=models.CharField())
        ),
        postal_code=postal_code,
        comment="",
        opt_in=False,
        anonymised_at=timezone.now(),
    )


def signatures_of(email: str):
    """Every signature, on any petition, made with ``email`` (compared as
    ``signing.normalise_email()`` does)."""
    return Signature.objects.filter(email_normalised=normalise_email(email))


def count_by_petition(signatures) -> list[tuple[Page, int]]:
    """(petition page, number of signatures) for ``signatures``, by title."""
    counts = dict(
        signatures.values("petition_id")
        .annotate(n=models.Count("pk"))
        .values_list("petition_id", "n")
    )
    pages = Page.objects.filter(pk__in=counts).order_by("title", "pk").specific()
    return [(page, counts[page.pk]) for page in pages]


def erase_signer(email: str, *, user=None) -> list[tuple[Page, int]]:
    """Anonymise every signature made with ``email`` (postal code included) and
    log one ``wagtail_petition.erase_signer`` entry per petition, with the
    number of signatures and ``user``, never the address. Returns
    (petition page, number of signatures erased) per petition.

    Call it from a site's own tools (e.g. a data-subject request handler) as
    the admin's "Erase a signer" view does.
    """
    with transaction.atomic():
        # Fixed rows, so that the counts logged are those of the UPDATE even if
        # the same person signs again meanwhile.
        pks = list(signatures_of(email).values_list("pk", flat=True))
        signatures = Signature.objects.filter(pk__in=pks)
        erased = count_by_petition(signatures)
        anonymise(signatures)
        for page, n in erased:
            # A uuid per entry: history views show one entry per (uuid, action)
            # across all pages, which would hide all but one petition's entry.
            log(page, ERASE_SIGNER, user=user, uuid=uuid.uuid4(), data={"signatures": n})
    return erased


class EraseSignerLogFormatter(LogFormatter):
    """How an erasure reads in a petition's history and the site history report."""

    label = _("Erase a signer")

    def format_message(self, log_entry):
        n = log_entry.data.get("signatures", 0)
        return ngettext(
            "Erased a signer's personal data from %(count)d signature",
            "Erased a signer's personal data from %(count)d signatures",
            n,
        ) % {"count": n}


class EraseSignerMenuItem(MenuItem):
    """The Settings menu's "Erase a signer", shown to those who may erase."""

    def __init__(self, **kwargs):
        kwargs.setdefault("name", "erase-signer")
        kwargs.setdefault("icon_name", "user")
        super().__init__(_("Erase a signer"), reverse(ERASE_SIGNER_URL_NAME), **kwargs)

    def is_shown(self, request):
        return user_can(request.user, "delete")


class EraseSignerForm(forms.Form):
    # A text field, not an EmailField: any address stored must be findable,
    # and a typo simply finds nothing.
    email = forms.CharField(
        label=_("Email address"),
        max_length=Signature._meta.get_field("email").max_length,
        help_text=_(
            "The address the person signed with. Upper and lower case and "
            "surrounding spaces do not matter."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class EraseSignerView(SignaturePermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Erase a person in two steps: type their address and see which petitions
    they signed, then confirm. Every step is a POST, so the address never
    appears in a URL or a server log."""

    signature_permission = "delete"
    form_class = EraseSignerForm
    template_name = "wagtail_petition/admin/erase_form.html"
    confirm_template_name = "wagtail_petition/admin/erase_confirm.html"
    not_found_template_name = "wagtail_petition/admin/erase_not_found.html"
    page_title = _("Erase a signer")
    header_icon = "user"
    confirm_field = "confirm"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse(ERASE_SIGNER_URL_NAME),
            submit_button_label=_("Find signatures"),
            confirm_field=self.confirm_field,
        )
        return context

    def render_step(self, template, status=200, **context):
        return TemplateResponse(
            self.request, template, self.get_context_data(**context), status=status
        )

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if self.confirm_field in self.request.POST:
            return self.erase(email)
        petitions = count_by_petition(signatures_of(email))
        if not petitions:
            return self.render_step(self.not_found_template_name, form=form, email=email)
        return self.render_step(
            self.confirm_template_name,
            form=form,
            email=email,
            petitions=petitions,
            total=sum(n for _page, n in petitions),
        )

    def erase(self, email):
        erased = erase_signer(email, user=self.request.user)
        if not erased:
            return self.render_step(self.not_found_template_name, email=email)
        total = sum(n for _page, n in erased)
        # The message names no address: it is kept in the session or a cookie.
        messages.success(
            self.request,
            ngettext(
                "Erased the personal data of %(count)d signature.",
                "Erased the personal data of %(count)d signatures.",
                total,
            )
            % {"count": total},
        )
        return redirect(ERASE_SIGNER_URL_NAME)


#: The admin URLs, registered by the ``register_admin_urls`` hook.
admin_urls = [
    path("petition-privacy/erase/", EraseSignerView.as_view(), name=ERASE_SIGNER_URL_NAME),
]
