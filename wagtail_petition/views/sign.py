"""The sign form's POST: refused when the petition is closed, the form again
with its errors, or the signature stored and the visitor sent to the thank-you
state.

The page's script (``petition.js``) posts the form with
``Accept: application/json`` and gets the same answers as JSON, with HTML
rendered from the same templates as the page, so a signature looks the same
with JavaScript on or off."""

from django.http import HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache

from .. import session, sharing
from ..progress import count_data, timeline_context
from . import embed as embed_views


@never_cache  # every answer is this visitor's own, whatever a cache does with Vary
def sign(request, petition):
    """Handle a POST of the sign form."""
    as_json = wants_json(request)
    if petition.is_closed or petition.is_signing_paused(request):
        return closed_json(request, petition) if as_json else closed(request, petition)
    form = petition.get_form(request.POST)
    if not form.is_valid():
        if as_json:
            return invalid_json(request, petition, form)
        if embed_views.is_embed(request):
            return embed_views.render(request, petition, form_context(request, petition, form))
        context = petition.get_context(request, form=form)
        return TemplateResponse(request, petition.get_template(request), context)
    result = petition.process_signature(request, form)
    session.remember_signed(
        request,
        petition.original_petition_id,
        signer={name: form.cleaned_data.get(name, "") for name in petition.signer_fields},
        # Only a new signature is this visitor's: never another person's with
        # the same address.
        signature_id=result.signature.pk if result.created else None,
        # Likewise its code; an attempt that stored nothing gets a code of the
        # same shape, stored nowhere, so the answer never tells which it was.
        referral_code=(
            result.signature.referral_code if result.created else sharing.new_referral_code()
        ),
    )
    if as_json:
        response = signed_json(request, petition)
    else:
        response = HttpResponseRedirect(signed_url(request, petition), status=303)
    session.save(request, response)
    return response


def closed(request, petition):
    """403 with the page, whose form has given way to the closed (or paused)
    notice; nothing is stored."""
    if embed_views.is_embed(request):
        return embed_views.render(request, petition, form_context(request, petition), 403)
    context = petition.get_context(request)
    return TemplateResponse(request, petition.get_template(request), context, status=403)


# The embed widget (``views.embed``) signs with ``?embed=1``: its answers are the
# widget's, and its thank-you state lives in the URL, not in a cookie.


def form_context(request, petition, form=None) -> dict:
    if embed_views.is_embed(request):
        return embed_views.context(request, petition, form=form)
    return petition.get_context(request, form=form)


def signed_url(request, petition) -> str:
    if embed_views.is_embed(request):
        return embed_views.thanks_url(request, petition)
    return petition.get_signed_url(request)


# JSON, for the page's script ---------------------------------------------------


def wants_json(request) -> bool:
    """Whether the request prefers JSON to HTML: the page's script asks so; a
    browser's own form submission prefers HTML."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def answer(request, data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    patch_vary_headers(response, ["Accept"])
    return response


def signed_json(request, petition) -> JsonResponse:
    """The thank-you state, as the signed page shows it: the thank-you section
    (with the call scripts, filled in with the signer's name, and the share
    links with their referral code), the count and the
    milestones; ``url`` is the thank-you page's own address."""
    url = signed_url(request, petition)
    if embed_views.is_embed(request):
        # The widget shows no milestones, and no name: its URL holds the state.
        context = embed_views.context(
            request, petition, thanks=embed_views.thanks_state(request, petition)
        )
        thanks_html = render_to_string(embed_views.THANKS_TEMPLATE, context, request)
        milestones_html = ""
    else:
        state = petition.get_thank_you_state(request, just_signed=True)
        context = petition.get_context(request, **state)
        thanks_html = render_to_string("wagtail_petition/includes/thanks.html", context, request)
        milestones_html = render_to_string(
            "wagtail_petition/tags/milestones.html",
            timeline_context(petition.original_petition_id),
        )
    return answer(
        request,
        {
            "url": url,
            "thanks_html": thanks_html,
            "count": count_data(petition),
            "milestones_html": milestones_html,
        },
    )


def invalid_json(request, petition, form) -> JsonResponse:
    """400 with each field's errors and the sign form rendered with them, its
    error summary first."""
    context = form_context(request, petition, form)
    return answer(
        request,
        {
            "errors": form.errors.get_json_data(),
            "form_html": render_to_string(
                "wagtail_petition/includes/sign_form.html", context, request
            ),
        },
        status=400,
    )


def closed_json(request, petition) -> JsonResponse:
    """403 with the closed (or paused) notice, to show in the form's place."""
    context = petition.get_context(request)
    reason = "closed" if petition.is_closed else "paused"
    return answer(
        request,
        {
            "error": reason,
            "closed_html": render_to_string(
                f"wagtail_petition/includes/{reason}.html", context, request
            ),
        },
        status=403,
    )
