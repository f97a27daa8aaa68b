"""Who may see and act on signatures in the admin: one place for the rule.

Signatures have permissions of their own (view, export, change to hold and
restore, delete to erase a person), checked through Wagtail's permission policy
for ``Signature`` so that a site's own policy applies.
"""

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.permissions import policy_registry

from ..models.pages import PetitionMixin
from ..records.signatures import Signature


def user_can(user, action: str) -> bool:
    """Whether ``user`` may ``action`` ("view", "export", "change", "delete") signatures."""
    return policy_registry.get_by_type(Signature).user_has_permission(user, action)


def is_petition(page) -> bool:
    """Whether ``page`` (possibly a plain ``Page``) is of a petition class."""
    return issubclass(page.specific_class or type(page), PetitionMixin)


def forbidden(request):
    """A 403 page in the admin's look. Wagtail's own check redirects to the
    dashboard with a message instead, which a script fetching an export would
    take for a success."""
    context = {"page_title": _("Permission denied"), "header_title": _("Permission denied")}
    return TemplateResponse(request, "wagtail_petition/admin/forbidden.html", context, status=403)


class SignaturePermissionRequiredMixin:
    """For admin views: answer a user without ``signature_permission`` with a 403."""

    signature_permission = "view"

    def dispatch(self, request, *args, **kwargs):
        if not user_can(request.user, self.signature_permission):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)
