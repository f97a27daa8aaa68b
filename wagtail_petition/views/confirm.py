"""The email confirmation link's page: ``<petition url>?confirm=<token>``.

A GET shows a "Confirm my signature" button and changes nothing; only its POST
confirms, so a mail scanner that follows every link in an email confirms
nothing. Bad, expired or spent tokens get a page that says so."""

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from .. import session, sharing
from ..confirmation import POST_FIELD, QUERY_PARAMETER, Outcome, check_token, link_lifetime
from ..signing import confirm

TEMPLATE = "wagtail_petition/confirm.html"


def is_confirmation_request(request) -> bool:
    """Whether ``request`` is for this view: the link's GET or its button's POST."""
    if request.method == "POST":
        return POST_FIELD in request.POST
    return QUERY_PARAMETER in request.GET


def confirmation(request, petition):
    if request.method == "POST":
        token = request.POST.get(POST_FIELD, "")
    else:
        token = request.GET.get(QUERY_PARAMETER, "")
    outcome, signature = check_token(token, petition)
    if outcome is Outcome.PENDING and petition.is_signing_paused(request):
        outcome = Outcome.PAUSED
    if request.method == "POST" and outcome is Outcome.PENDING:
        confirm(signature, petition.original_petition)
        remember_confirmed_signer(request, petition, signature)
        response = HttpResponseRedirect(petition.get_signed_url(request), status=303)
        session.save(request, response)
    else:
        context = petition.get_context(request)
        context.update(
            petition=petition,
            confirmation_state=outcome.state,
            confirmation_token=token if outcome is Outcome.PENDING else "",
            # Shown to whoever holds the link, so the address's owner sees whose
            # details they confirm: the latest attempt with their address.
            confirming=signature if outcome is Outcome.PENDING else None,
            confirmation_lifetime=link_lifetime(),
        )
        response = TemplateResponse(request, TEMPLATE, context, status=outcome.status)
    add_never_cache_headers(response)
    # The link's token is in this page's URL: keep it out of Referer headers sent
    # to other sites. Not "no-referrer": browsers then send the button's POST with
    # "Origin: null", which Django's CSRF check refuses.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def remember_confirmed_signer(request, petition, signature):
    """Keep the signer in this browser's state, as signing does, marked
    confirmed: the token proves the signature is theirs."""
    session.remember_signed(
        request,
        petition.original_petition_id,
        signer={name: str(getattr(signature, name, "") or "") for name in petition.signer_fields},
        signature_id=signature.pk,
        referral_code=signature.referral_code or sharing.new_referral_code(),
        confirmed=True,
    )
