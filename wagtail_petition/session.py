"""What a visitor's session holds of their petitions: one place for the keys.

- The signed state, per petition: what the visitor typed in the page class's
  ``signer_fields`` (for the thank-you state and call scripts), their
  signature's id when it was a new one (never another person's with the same
  address), and whether it was confirmed from the email's link. It is kept for
  ``WAGTAILPETITION_SIGNED_STATE_MAX_AGE`` seconds, and the session key is
  rotated whenever it is written.
- The call outcomes the visitor reported, per page and call script block.
"""

import time

from .conf import app_settings

SIGNED_KEY = "wagtail_petition.signed"
CALLS_KEY = "wagtail_petition.calls"


def signed_state(request, page_id) -> dict:
    """This browser's signed state for the petition: ``{}`` if it has not
    signed, or signed too long ago, else ``signer``, ``signature_id`` and
    ``confirmed``."""
    session = getattr(request, "session", None)
    if session is None:
        return {}
    state = session.get(SIGNED_KEY, {}).get(str(page_id), {})
    return state if state.get("until", 0) > time.time() else {}


def remember_signed(request, page_id, *, signer: dict, signature_id, confirmed=False) -> None:
    """Keep this browser's signed state for the petition, in a session of a new
    key: whoever knew the old one (a shared computer's earlier user, a fixed
    session) learns nothing of it. States that expired are dropped."""
    now = time.time()
    signed = {
        key: state
        for key, state in request.session.get(SIGNED_KEY, {}).items()
        if state.get("until", 0) > now
    }
    signed[str(page_id)] = {
        "signer": signer,
        "signature_id": signature_id,
        "confirmed": confirmed,
        "until": now + app_settings.SIGNED_STATE_MAX_AGE,
    }
    request.session[SIGNED_KEY] = signed
    request.session.cycle_key()


def reported_outcome(request, page_id, block_id) -> str | None:
    """The outcome this visitor reported for a call script block, if any."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    return session.get(CALLS_KEY, {}).get(f"{page_id}/{block_id}")


def remember_outcome(request, page_id, block_id, outcome: str) -> None:
    reported = request.session.get(CALLS_KEY, {})
    reported[f"{page_id}/{block_id}"] = outcome
    request.session[CALLS_KEY] = reported
