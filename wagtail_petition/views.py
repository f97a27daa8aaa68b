"""Endpoints that are not a page's own rendering."""

from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext as _

from .calls import find_call_script, record_call
from .forms import CallReportForm
from .models import PetitionMixin


def report_call(request, page):
    """A visitor reports how their call went ("How did it go?" under a call
    script). Posted to the page's own URL, with ``block_id`` and ``outcome``."""
    form = CallReportForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("This call report was not understood."))
    block_id = form.cleaned_data["block_id"]
    if find_call_script(page, block_id) is None:
        raise Http404(_("This page has no such call script."))
    signature_id = None
    url = page.get_url(request)
    if isinstance(page, PetitionMixin) and page.has_signed(request):
        signature_id = page.get_signature_id(request)
        url += "?signed=1"
    record_call(request, page, block_id, form.cleaned_data["outcome"], signature_id)
    return HttpResponseRedirect(f"{url}#call-{block_id}", status=303)
