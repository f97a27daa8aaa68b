"""What a visitor's browser holds of their petitions: one place for the keys.

It lives in one signed cookie of the app's own (``COOKIE_NAME``), not in
Django's session, so signing writes no session row and a petition page never
reads a session: the page a crowd is served stays the same for everyone.

- The signed state, per petition: what the visitor typed in the page class's
  ``signer_fields`` (for the thank-you state and call scripts), their
  signature's id when it was a new one (never another person's with the same
  address), whether it was confirmed from the email's link, and the referral
  code of their share links (their signature's, or one stored nowhere when
  the attempt stored no signature). It is kept for
  ``WAGTAILPETITION_SIGNED_STATE_MAX_AGE`` seconds.
- The call outcomes the visitor reported, per page and call script block.

The cookie is signed with the site's ``SECRET_KEY`` (it cannot be forged or
edited) and ``HttpOnly``, but not encrypted: it holds what its own visitor
typed. Views that change the state send it with ``save(request, response)``.
"""

import contextlib
import time

from django.conf import settings
from django.core import signing

from .conf import app_settings

COOKIE_NAME = "wagtail_petition"
SALT = "wagtail_petition.visitor"
SIGNED_KEY = "signed"
CALLS_KEY = "calls"
# A browser keeps the states of its latest few petitions, so the cookie stays small.
MAX_SIGNED = 5
MAX_CALLS = 20


def _state(request) -> dict:
    """The cookie's content, read once per request; ``{}`` if absent, stale or forged."""
    state = getattr(request, "_wagtail_petition_state", None)
    if state is None:
        state = {}
        if raw := request.COOKIES.get(COOKIE_NAME):
            with contextlib.suppress(signing.BadSignature):
                state = signing.loads(raw, salt=SALT, max_age=app_settings.SIGNED_STATE_MAX_AGE)
            if not isinstance(state, dict):
                state = {}
        request._wagtail_petition_state = state
    return state


def _changed(request, key, entries: dict, keep: int) -> None:
    _state(request)[key] = dict(list(entries.items())[-keep:])
    request._wagtail_petition_changed = True


def save(request, response) -> None:
    """Send the cookie on ``response`` if this request changed the state."""
    if not getattr(request, "_wagtail_petition_changed", False):
        return
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(_state(request), salt=SALT, compress=True),
        max_age=app_settings.SIGNED_STATE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


PERSONAL_PARAMETERS = {"signed", "called"}


def is_personal(request) -> bool:
    """Whether ``request`` asks for the visitor's own view of a page: the
    thank-you state (``?signed=1``) or the answer to a call report
    (``?called=<block id>``). Only such views show the visitor's state, and
    they are never cached; any other view of a page is the same for everyone."""
    return request is not None and not PERSONAL_PARAMETERS.isdisjoint(request.GET.keys())


def signed_state(request, page_id) -> dict:
    """This browser's signed state for the petition: ``{}`` if it has not
    signed, or signed too long ago, else ``signer``, ``signature_id``,
    ``confirmed`` and ``referral_code``."""
    state = _state(request).get(SIGNED_KEY, {}).get(str(page_id), {})
    return state if state.get("until", 0) > time.time() else {}


def remember_signed(
    request, page_id, *, signer: dict, signature_id, referral_code="", confirmed=False
) -> None:
    """Keep this browser's signed state for the petition, replacing any
    earlier one (a shared computer's earlier signer's, say). States that
    expired are dropped."""
    now = time.time()
    signed = {
        key: state
        for key, state in _state(request).get(SIGNED_KEY, {}).items()
        if state.get("until", 0) > now and key != str(page_id)
    }
    signed[str(page_id)] = {
        "signer": signer,
        "signature_id": signature_id,
        "confirmed": confirmed,
        "referral_code": referral_code,
        "until": now + app_settings.SIGNED_STATE_MAX_AGE,
    }
    _changed(request, SIGNED_KEY, signed, MAX_SIGNED)


def reported_outcome(request, page_id, block_id) -> str | None:
    """The outcome this visitor reported for a call script block, if any."""
    return _state(request).get(CALLS_KEY, {}).get(f"{page_id}/{block_id}")


def remember_outcome(request, page_id, block_id, outcome: str) -> None:
    reported = dict(_state(request).get(CALLS_KEY, {}))
    reported.pop(f"{page_id}/{block_id}", None)
    reported[f"{page_id}/{block_id}"] = outcome
    _changed(request, CALLS_KEY, reported, MAX_CALLS)
