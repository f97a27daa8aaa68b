from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.utils import timezone

from wagtail_petition.models import PetitionPage
from wagtail_petition.views import count as count_views
from wagtail_petition.views import sign as sign_views

from .models import BareSignature

FIELDS = ("first_name", "last_name", "email", "postal_code", "comment", "source")


def bare_sign(request):
    """GET: a CSRF token, as a page with a form would give. POST: one INSERT of
    the posted fields, no validation, and a redirect, as signing answers."""
    if request.method != "POST":
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')
    data = {name: request.POST.get(name, "") for name in FIELDS}
    BareSignature.objects.create(
        petition_id=0,
        email_normalised=data["email"].lower(),
        opt_in=bool(request.POST.get("opt_in")),
        created_at=timezone.now(),
        **data,
    )
    return HttpResponseRedirect(request.path + "?signed=1", status=303)


# Experiments: the app's own sign and count code on a plain Django URL, to
# measure what Wagtail's page routing costs them. Not endpoints of the app.


def live_petition(request, pk):
    """The petition by id (one query) with Wagtail's view restrictions checked."""
    petition = get_object_or_404(PetitionPage.objects.live(), pk=pk)
    if any(not r.accept_request(request) for r in petition.get_view_restrictions()):
        raise PermissionDenied
    return petition


def petition_sign(request, pk):
    return sign_views.sign(request, live_petition(request, pk))


def petition_count(request, pk):
    return count_views.live_count(request, live_petition(request, pk))
