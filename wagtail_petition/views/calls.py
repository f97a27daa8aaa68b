"""The outcome a visitor reports under a call script ("How did it go?").

Posted to the page's own URL, with ``block_id`` and ``outcome``, and answered
through an ``on_serve_page`` hook inside Wagtail's page privacy check, so the
block needs no URL configuration on any page type; or, on a site that includes
``wagtail_petition.urls``, to its ``calls/<page id>/``."""

from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import session
from ..call_script.blocks import find_call_script
from ..call_script.reports import record_call
from ..records.calls import CallReport


class CallReportForm(forms.Form):
    """How a call went, posted from a CallScriptBlock."""

    block_id = forms.CharField(max_length=64)
    outcome = forms.ChoiceField(choices=CallReport.Outcome.choices)


def is_call_report(request) -> bool:
    return request.method == "POST" and "block_id" in request.POST


@never_cache
def report_call(request, page):
    """Record the outcome and send the visitor back to the call script, in
    their own view of the page (``session.is_personal``): on a petition they
    have just signed, its thank-you state."""
    form = CallReportForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("This call report was not understood."))
    block_id = form.cleaned_data["block_id"]
    if find_call_script(page, block_id) is None:
        raise Http404(_("This page has no such call script."))
    # On a petition, signed in any of its languages; a call script may be on any page.
    signed = session.signed_state(request, getattr(page, "original_petition_id", page.pk))
    record_call(request, page, block_id, form.cleaned_data["outcome"], signed.get("signature_id"))
    query = urlencode({"signed": 1, "called": block_id} if signed else {"called": block_id})
    response = HttpResponseRedirect(f"{page.get_url(request)}?{query}#call-{block_id}", status=303)
    session.save(request, response)
    return response
