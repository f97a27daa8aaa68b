"""Email addresses as compared for duplicates and blocked lists."""

import re
import unicodedata

from .conf import app_settings

#: A quoted local part that means the same unquoted: ``"ada"`` is ``ada``.
NEEDLESSLY_QUOTED = re.compile(
    r'"([a-z0-9!#$%&\'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&\'*+/=?^_`{|}~-]+)*)"'
)


def normalise_email(email: str) -> str:
    """The form of an address compared for duplicates: trimmed, in Unicode's
    compatibility form (fullwidth "ｇｍａｉｌ" is "gmail") and case-folded, the
    domain in its ASCII (IDNA) form and any alias of it resolved
    (``WAGTAILPETITION_EMAIL_DOMAIN_ALIASES``: googlemail.com is gmail.com), a
    needlessly quoted local part unquoted; then, for the domains in
    ``WAGTAILPETITION_EMAIL_ALIASES``, without the dots and ``+tags`` that those
    domains ignore ("A.Da+news@gmail.com" is "ada@gmail.com"). The address
    itself is stored as typed."""
    email = unicodedata.normalize("NFKC", email.strip()).casefold()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    domain = ascii_domain(domain)
    domain = (app_settings.EMAIL_DOMAIN_ALIASES or {}).get(domain, domain)
    if quoted := NEEDLESSLY_QUOTED.fullmatch(local):
        local = quoted.group(1)
    ignored = (app_settings.EMAIL_ALIASES or {}).get(domain, ())
    if "plus" in ignored:
        local = local.split("+", 1)[0]
    if "dots" in ignored:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def ascii_domain(domain: str) -> str:
    """``domain`` as DNS sees it: IDNA-encoded ("bücher.de" is
    "xn--bcher-kva.de"), without a trailing dot."""
    domain = domain.rstrip(".")
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return domain
