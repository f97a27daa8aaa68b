"""Sharing a petition after signing: each signer's referral code, the share
links that carry it, and how many signatures a code has brought.

A share link is the petition's URL with ``source=<channel>`` (which channel it
was shared through, one of ``CHANNELS``) and ``ref=<code>`` (whose link it is).
The sign form keeps both in hidden fields; the signature stores them as
``source`` and ``referred_by``. A code is random, not derived from anything
about the signer, and a visitor whose attempt stored no signature gets one of
the same shape that is simply not stored: no answer tells whether an address
had signed (see docs/trust.md).
"""

import re
import secrets
from urllib.parse import urlencode

from .records.signatures import Signature

#: Lowercase letters and digits that cannot be mistaken for one another
#: (no 0/o, 1/l/i), so a code read aloud or copied by hand still works.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 8
CODE_PATTERN = re.compile(rf"[{ALPHABET}]{{{CODE_LENGTH}}}")

#: The channels a share link can name in ``source=``: the plain links, the
#: copied link (and the link field), and the browser's own share sheet.
CHANNELS = ("email", "whatsapp", "facebook", "bluesky", "link", "share")


def new_referral_code() -> str:
    """A fresh random referral code: 8 characters of ``ALPHABET``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def clean_referral_code(value) -> str:
    """``value`` if it has a referral code's shape, else ``""``: a code comes
    from a link anyone can edit, so an odd one is dropped, never an error."""
    value = value.strip().lower() if isinstance(value, str) else ""
    return value if CODE_PATTERN.fullmatch(value) else ""


def share_url(petition_url: str, channel: str, referral_code: str = "") -> str:
    """``petition_url`` with ``source=<channel>`` and, when there is one,
    ``ref=<referral_code>``."""
    query = {"source": channel}
    if referral_code:
        query["ref"] = referral_code
    separator = "&" if "?" in petition_url else "?"
    return f"{petition_url}{separator}{urlencode(query)}"


def referral_count(petition, referral_code: str) -> int:
    """How many counted signatures of ``petition`` came through links with
    ``referral_code``: one query on the index (petition, referred_by)."""
    if not referral_code:
        return 0
    return Signature.objects.filter(
        petition_id=petition.original_petition_id,
        referred_by=referral_code,
        status=Signature.Status.COUNTED,
    ).count()
