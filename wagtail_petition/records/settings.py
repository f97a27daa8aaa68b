"""The organizer's switches for a site's petitions, edited in the Wagtail admin
(Settings > Petitions, from ``wagtail.contrib.settings``) without a deploy."""

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting

from ..emails import ascii_domain, normalise_email


def entries(text: str) -> set[str]:
    """The addresses and domains listed one per line in ``text``, in the form
    addresses are compared in."""
    listed = (line.strip() for line in text.splitlines())
    return {
        normalise_email(line) if "@" in line else ascii_domain(line.lower())
        for line in listed
        if line
    }


def domains_of(email_normalised: str) -> set[str]:
    """The address's domain and its parent domains ("a.example.org" gives
    "a.example.org" and "example.org")."""
    parts = email_normalised.rpartition("@")[2].split(".")
    return {".".join(parts[i:]) for i in range(len(parts) - 1)}


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # and six hexadecimal digits, e.g. #1d3557.")
)


def colour_field(verbose_name, default, help_text):
    return models.CharField(
        verbose_name=verbose_name,
        max_length=7,
        default=default,
        validators=[colour_validator],
        help_text=help_text,
    )


class PetitionSettings(BaseSiteSetting):
    signing_paused = models.BooleanField(
        verbose_name=_("pause all signing"),
        default=False,
        help_text=_(
            "While on, no petition of this site takes signatures or confirmations: visitors "
            "see that signing is paused. The count stays visible."
        ),
    )
    blocked_emails = models.TextField(
        verbose_name=_("blocked email addresses and domains"),
        blank=True,
        help_text=_(
            "One address (mallory@example.org) or domain (example.org, which includes its "
            "subdomains) per line. Their signatures are stored held back, and the signer "
            "sees the usual thank-you."
        ),
    )
    allowed_domains = models.TextField(
        verbose_name=_("domains exempt from rate limits"),
        blank=True,
        help_text=_(
            "One domain per line, e.g. an organization whose members all sign from one "
            "office network. Signatures with an address of these domains are not held back "
            "by the limits per network address."
        ),
    )

    share_background = colour_field(
        _("share image background"),
        "#1d3557",
        _("The background of the image shown when a petition is shared."),
    )
    share_text = colour_field(
        _("share image text"), "#ffffff", _("The colour of the share image's words.")
    )
    share_accent = colour_field(
        _("share image accent"),
        "#f4a261",
        _("The colour of the share image's progress bar."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("signing_paused"),
                FieldPanel("blocked_emails"),
                FieldPanel("allowed_domains"),
            ],
            heading=_("Signing"),
        ),
        MultiFieldPanel(
            [
                FieldPanel(name, widget=forms.TextInput(attrs={"type": "color"}))
                for name in ("share_background", "share_text", "share_accent")
            ],
            heading=_("Share image"),
        ),
    ]

    class Meta:
        verbose_name = _("petition settings")
        verbose_name_plural = _("petition settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def for_page(cls, page, request=None) -> "PetitionSettings":
        """The settings of the site ``page`` belongs to, read once per request.

        The site comes from Wagtail's cached site root paths, so a request
        that Wagtail did not route (the fast path) saves ``for_request()``'s
        query for the ``Site``; a site never saved its settings gets the
        defaults, without a write."""
        cached = getattr(request, "_wagtail_petition_settings", None)
        if cached is not None:
            return cached
        url_parts = page.get_url_parts(request)
        site_id = url_parts[0] if url_parts else None
        settings = cls.objects.filter(site_id=site_id).first() or cls(site_id=site_id)
        if request is not None:
            request._wagtail_petition_settings = settings
        return settings

    def is_blocked(self, email_normalised: str) -> bool:
        """Whether the address, or its domain or a parent domain, is blocked."""
        blocked = entries(self.blocked_emails)
        return email_normalised in blocked or bool(domains_of(email_normalised) & blocked)

    def is_allowed(self, email_normalised: str) -> bool:
        """Whether the address's domain, or a parent domain, is exempt from the
        rate limits."""
        return bool(domains_of(email_normalised) & entries(self.allowed_domains))
