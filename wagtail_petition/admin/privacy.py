"""The admin's privacy tools: "Erase a signer" in the Settings menu."""

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..privacy import count_by_petition, erase_signer, signatures_of
from ..records.signatures import Signature
from .permissions import SignaturePermissionRequiredMixin, user_can

ERASE_SIGNER_URL_NAME = "wagtail_petition_erase_signer"


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
