from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils import timezone

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
