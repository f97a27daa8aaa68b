"""Email confirmation (double opt-in) that mail scanners can't trigger: the
tokens and the email.

On a petition that requires confirmation, a new signature is stored pending
and does not count. ``request_confirmation()`` sends its signer an email, as a
task, with a link to the petition page carrying a signed token
(``?confirm=<token>``). Opening the link shows a "Confirm my signature" button
(``views.confirm``); only the POST of that button confirms
(``signing.confirm()``), so a mail scanner that follows every link in an email
confirms nothing.

The email is sent through the ``django_tasks`` API. Its default backend runs a
task at once, in the request; production sites set ``TASKS`` to a backend with
a worker (e.g. ``django_tasks_db.DatabaseBackend`` and ``manage.py db_worker``).
"""

import logging
from datetime import timedelta
from enum import Enum
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.signing import BadSignature, SignatureExpired, dumps, loads
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.timesince import timeuntil

from . import screening
from .background import task
from .conf import app_settings
from .records.signatures import Signature

logger = logging.getLogger(__name__)

TOKEN_SALT = "wagtail_petition.confirmation"
#: The query parameter of the link in the email, and the field the button posts.
QUERY_PARAMETER = "confirm"
POST_FIELD = "confirmation_token"
# A genuine token is well under 200 characters; anything much longer is not one.
MAX_TOKEN_LENGTH = 500

SUBJECT_TEMPLATE = "wagtail_petition/email/confirm_subject.txt"
BODY_TEXT_TEMPLATE = "wagtail_petition/email/confirm_body.txt"
BODY_HTML_TEMPLATE = "wagtail_petition/email/confirm_body.html"


# Tokens -------------------------------------------------------------------


def address_key(signature) -> str:
    """A keyed digest of the signature's normalised address: a token made for
    it stops working once the address changes or is anonymised, and the token,
    which is signed but readable, does not carry a guessable hash of it."""
    return salted_hmac(TOKEN_SALT, signature.email_normalised, algorithm="sha256").hexdigest()[:32]


def make_token(signature) -> str:
    """A signed, timestamped token naming ``signature``."""
    return dumps([signature.pk, address_key(signature)], salt=TOKEN_SALT, compress=False)


def confirmation_url(signature, petition_url: str) -> str:
    """The link in the email: the petition page with ``?confirm=<token>``."""
    return f"{petition_url}?{urlencode({QUERY_PARAMETER: make_token(signature)})}"


class Outcome(Enum):
    """What a confirmation token found, with the HTTP status it is answered with."""

    PENDING = ("pending", 200)  # valid: can be confirmed
    ALREADY_CONFIRMED = ("already_confirmed", 200)
    INVALID = ("invalid", 400)  # tampered, truncated, unknown or for another address
    EXPIRED = ("expired", 400)
    HELD = ("held", 409)  # held back by screening or an organizer
    CLOSED = ("closed", 403)  # the petition closed, and its grace period is over
    PAUSED = ("paused", 403)  # organizers paused signing for now: the link works later
    GONE = ("gone", 410)  # anonymised or erased

    def __init__(self, state, status):
        self.state = state
        self.status = status


def check_token(token: str, petition) -> tuple[Outcome, Signature | None]:
    """What ``token`` says about a signature on ``petition``. Changes nothing."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return Outcome.INVALID, None
    try:
        payload = loads(token, salt=TOKEN_SALT)
    except BadSignature:
        return Outcome.INVALID, None
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and isinstance(payload[0], int)
        and isinstance(payload[1], str)
    ):
        return Outcome.INVALID, None
    signature_id, key = payload
    signature = Signature.objects.filter(
        pk=signature_id, petition_id=petition.original_petition_id
    ).first()
    if signature is None:
        return Outcome.INVALID, None
    if signature.anonymised_at is not None:
        return Outcome.GONE, signature
    if not constant_time_compare(key, address_key(signature)):
        return Outcome.INVALID, None
    if signature.status == Signature.Status.COUNTED:
        # Even from an old link: telling someone their signature counts is no error.
        return Outcome.ALREADY_CONFIRMED, signature
    if signature.status == Signature.Status.HELD:
        return Outcome.HELD, signature
    if past_grace(petition):
        return Outcome.CLOSED, signature
    try:
        loads(token, salt=TOKEN_SALT, max_age=app_settings.CONFIRMATION_MAX_AGE)
    except SignatureExpired:
        return Outcome.EXPIRED, signature
    return Outcome.PENDING, signature


def past_grace(petition) -> bool:
    """Whether the petition closed more than ``WAGTAILPETITION_CONFIRMATION_GRACE``
    seconds ago: signers who signed just before the deadline may still confirm
    for that long, since their email can take a while."""
    deadline = petition.deadline
    grace = timedelta(seconds=app_settings.CONFIRMATION_GRACE)
    return deadline is not None and timezone.now() >= deadline + grace


# Sending ------------------------------------------------------------------


def request_confirmation(request, petition, signature) -> None:
    """Queue the confirmation email of ``signature``, once the transaction
    commits. Called for every attempt on a petition that requires confirmation,
    whatever the address's signature is, so that a new address, a known one and
    an already confirmed one take the same work in the request: the task
    decides whether to send (``send_confirmation_email()``).

    The email always goes to the address stored with the signature, never to
    one typed later.
    """
    petition_url = petition.get_full_url(request) or request.build_absolute_uri(
        petition.get_url(request)
    )
    # After commit, so that a worker never looks for a signature not yet saved.
    transaction.on_commit(
        partial(
            send_confirmation_email.enqueue,
            signature.pk,
            petition_url,
            translation.get_language(),
        )
    )


def within_email_limit(signature) -> bool:
    """Count an email to the signature's address in its window and say whether
    it may go: at most ``WAGTAILPETITION_CONFIRMATION_EMAILS_MAX`` per
    ``WAGTAILPETITION_CONFIRMATION_EMAILS_WINDOW`` seconds per address and
    petition, so nobody can flood an address, nor use up its emails for good."""
    limits = ((app_settings.CONFIRMATION_EMAILS_MAX, app_settings.CONFIRMATION_EMAILS_WINDOW),)
    scope = f"confirmation:{signature.petition_id}"
    return not screening.over_rate_limit(scope, address_key(signature), limits=limits)


def link_lifetime() -> str:
    """How long a link works, in words ("1 week"), in the active language."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=app_settings.CONFIRMATION_MAX_AGE), now)


#: The most of a signer's own text an email to their address carries.
GREETING_MAX_LENGTH = 20


def greeting_name(first_name: str) -> str:
    """The name the email greets with: the first name when it is short, else
    none. Anyone can type any address, so the email must not carry a message
    of theirs to it."""
    return first_name if len(first_name) <= GREETING_MAX_LENGTH else ""


def email_context(signature, petition, url: str) -> dict:
    """The context of the email's templates."""
    return {
        "signature": signature,
        "first_name": greeting_name(signature.first_name),
        "petition": petition,
        "petition_title": petition.title,
        "confirmation_url": url,
        "lifetime": link_lifetime(),
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
    }


@task()
def send_confirmation_email(signature_id: int, petition_url: str, language: str | None = None):
    """Email the signer of a pending signature its confirmation link, within the
    address's email limit. Takes only JSON-serialisable arguments: ids and the
    petition page's absolute URL. Returns whether an email was sent (not for a
    signature that does not await confirmation, nor beyond the limit)."""
    signature = (
        Signature.objects.filter(
            pk=signature_id, status=Signature.Status.PENDING, anonymised_at__isnull=True
        )
        .select_related("petition")
        .first()
    )
    if signature is None or not signature.email or not within_email_limit(signature):
        return False
    Signature.objects.filter(pk=signature.pk).update(
        confirmation_emails_sent=F("confirmation_emails_sent") + 1
    )
    # The page signed: the petition's translation in the signature's language.
    petition = signature.petition.specific.get_translation_in(signature.language)
    with translation.override(language):
        context = email_context(signature, petition, confirmation_url(signature, petition_url))
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        text = render_to_string(BODY_TEXT_TEMPLATE, context)
        html = render_to_string(BODY_HTML_TEMPLATE, context)
    message = EmailMultiAlternatives(
        subject, text, to=[signature.email], headers={"Auto-Submitted": "auto-generated"}
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        # The task fails; say why, which the immediate backend would not.
        logger.exception("Could not send the confirmation email of signature %s", signature_id)
        raise
    return True
