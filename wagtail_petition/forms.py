"""The form a visitor signs a petition with."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CallReport, PostalCode, Signature

SOURCE_PATTERN = re.compile(r"[\w.-]{1,100}", re.ASCII)
POSTAL_CODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z -]*")


def _max_length(name):
    return Signature._meta.get_field(name).max_length


class SignatureForm(forms.Form):
    """Validates and normalises a signature.

    The petition decides which optional fields are asked for. Subclass it and
    set ``form_class`` on your petition page to add fields; extend
    ``signature_data()`` to store them.
    """

    first_name = forms.CharField(
        label=_("First name"),
        max_length=_max_length("first_name"),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
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
    comment = forms.CharField(
        label=_("Why are you signing?"),
        max_length=_max_length("comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    opt_in = forms.BooleanField(
        label=_("Send me updates about this campaign by email"),
        required=False,
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput)

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
            "source": data["source"],
        }


class CallReportForm(forms.Form):
    """How a call went, posted from a CallScriptBlock."""

    block_id = forms.CharField(max_length=64)
    outcome = forms.ChoiceField(choices=CallReport.Outcome.choices)
