"""The form a visitor signs a petition with."""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from . import sharing
from .conf import app_settings
from .records.signatures import PostalCode, Signature

SOURCE_PATTERN = re.compile(r"[\w.-]{1,100}", re.ASCII)
POSTAL_CODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z -]*")
#: Control characters (but NUL, which validation rejects outright) and the
#: bidirectional overrides that can disguise text.
UNSEEN = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: What reads as a link or an address in an email: a scheme, "www.", a domain
#: ("evil.example"), a path or an "@".
LINK = re.compile(r"://|www\.|https?:|\w\.[a-z]{2,}|[/\\@]", re.IGNORECASE)
#: Joiners that some scripts need inside words; other format characters are invisible.
JOINERS = {"\u200c", "\u200d"}
HONEYPOT_FIELD = "website"
CAPTCHA_FIELD = "captcha"


def _max_length(name):
    return Signature._meta.get_field(name).max_length


class NameField(forms.CharField):
    """A person's name, one line of visible text: line breaks and other white
    space folded into single spaces, control and invisible format characters
    removed, and never anything that reads as a link, since a name goes into
    emails to the address typed beside it."""

    def to_python(self, value):
        value = "".join(
            char
            for char in super().to_python(value)
            # NUL stays, for the field's validator to refuse.
            if unicodedata.category(char) not in ("Cc", "Cf")
            or char.isspace()
            or char in JOINERS
            or char == "\x00"
        )
        return " ".join(value.split())

    def validate(self, value):
        super().validate(value)
        if value and not any(char.isalnum() for char in value):
            raise forms.ValidationError(_("Enter a name."), code="invisible")
        if LINK.search(value):
            raise forms.ValidationError(_("Enter a name, not a web address."), code="link")


class CommentField(forms.CharField):
    """Free text: line breaks kept, other unseen characters removed."""

    def to_python(self, value):
        return UNSEEN.sub("", super().to_python(value).replace("\r\n", "\n"))


class ReferralCodeField(forms.CharField):
    """The referral code of the share link the signer came from, in a hidden
    input: one without a code's shape (``sharing.clean_referral_code()``) is
    dropped, never an error the signer would have to fix."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        return sharing.clean_referral_code(value)


class SignatureForm(forms.Form):
    """Validates and normalises a signature.

    The petition decides which optional fields are asked for. Subclass it and
    set ``form_class`` on your petition page to add fields; extend
    ``signature_data()`` to store them.
    """

    first_name = NameField(
        label=_("First name"),
        max_length=_max_length("first_name"),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = NameField(
        label=_("Last name"),
        max_length=_max_length("last_name"),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=_max_length("email"),
        help_text=_("Never shown on the petition."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=_max_length("postal_code"),
        help_text=_("Shows the petition's targets where support comes from."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    comment = CommentField(
        label=_("Why are you signing?"),
        max_length=_max_length("comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    opt_in = forms.BooleanField(
        label=_("Send me updates about this campaign by email"),
        required=False,
    )
    list_publicly = forms.BooleanField(
        label=_("List my name and area on the petition delivered to the target"),
        required=False,
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    ref = ReferralCodeField()
    # A honeypot: hidden by the stylesheet, so only bots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, petition, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.petition = petition
        if petition.postal_code_field == PostalCode.HIDDEN:
            del self.fields["postal_code"]
        else:
            self.fields["postal_code"].required = petition.postal_code_field == PostalCode.REQUIRED
        if not petition.show_comment_field:
            del self.fields["comment"]
        if not petition.ask_to_list_signers:
            del self.fields["list_publicly"]
        if petition.use_recaptcha and app_settings.RECAPTCHA:
            # Here, not at the top: django-recaptcha is an optional dependency.
            from .recaptcha import recaptcha_field

            self.fields[CAPTCHA_FIELD] = recaptcha_field()

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    @property
    def fields_shown(self):
        """The fields shown with their label and errors: the visible ones but
        the honeypot, and the reCAPTCHA field (a hidden input) last."""
        shown = [field for field in self.visible_fields() if field.name != HONEYPOT_FIELD]
        if CAPTCHA_FIELD in self.fields:
            shown.append(self[CAPTCHA_FIELD])
        return shown

    @property
    def hidden_inputs(self):
        return [field for field in self.hidden_fields() if field.name != CAPTCHA_FIELD]

    def is_trapped(self) -> bool:
        """Whether the honeypot was filled in: a bot."""
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))

    def clean_postal_code(self):
        postal_code = " ".join(self.cleaned_data["postal_code"].split()).upper()
        if postal_code and not POSTAL_CODE_PATTERN.fullmatch(postal_code):
            raise forms.ValidationError(
                _("Enter a postal code using only letters, numbers, spaces and hyphens.")
            )
        return postal_code

    def clean_source(self):
        # A source code comes from a link anyone can edit: an odd one is dropped,
        # never an error the signer would have to fix.
        source = self.cleaned_data["source"].strip()
        return source if SOURCE_PATTERN.fullmatch(source) else ""

    def signature_data(self) -> dict:
        """The keyword arguments for ``signing.sign()``."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "postal_code": data.get("postal_code", ""),
            "comment": data.get("comment", ""),
            "opt_in": data["opt_in"],
            "list_publicly": data.get("list_publicly", False),
            "source": data["source"],
            "referred_by": data.get("ref", ""),
        }
