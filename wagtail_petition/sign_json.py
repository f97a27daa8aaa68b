"""The sign form's answers as JSON, for the page's script (``petition.js``),
which posts the form with ``Accept: application/json`` and updates the page
in place. The HTML it gets is rendered from the same templates as the page,
so a signature looks the same with JavaScript on or off."""

from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from .livecount import count_data
from .templatetags.wagtail_petition_tags import petition_milestones


def wants_json(request) -> bool:
    """Whether the request prefers JSON to HTML: the page's script asks so; a
    browser's own form submission prefers HTML."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def answer(request, data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    patch_vary_headers(response, ["Accept"])
    return response


def signed(request, petition) -> JsonResponse:
    """The thank-you state, as the signed page shows it: the thank-you section
    (with the call scripts, filled in with the signer's name), the count and the
    milestones; ``url`` is the thank-you page's own address."""
    context = petition.get_context(request, signed=True, signer=petition.get_signer(request))
    return answer(
        request,
        {
            "url": petition.get_signed_url(request),
            "thanks_html": render_to_string(
                "wagtail_petition/includes/thanks.html", context, request
            ),
            "count": count_data(petition),
            "milestones_html": render_to_string(
                "wagtail_petition/tags/milestones.html", petition_milestones(petition)
            ),
        },
    )


def invalid(request, petition, form) -> JsonResponse:
    """400 with each field's errors and the sign form rendered with them, its
    error summary first."""
    context = petition.get_context(request, form=form)
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


def closed(request, petition) -> JsonResponse:
    """403 with the closed notice, to show in the form's place."""
    context = petition.get_context(request)
    return answer(
        request,
        {
            "error": "closed",
            "closed_html": render_to_string(
                "wagtail_petition/includes/closed.html", context, request
            ),
        },
        status=403,
    )
