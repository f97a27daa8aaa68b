"""Phone numbers: parsed and validated with ``phonenumbers``, stored in E.164."""

import functools

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..conf import app_settings

INVALID = _("Enter a valid phone number, such as +1 312 555 0142.")


def normalise_phone(text: str) -> str:
    """The E.164 form of ``text`` ("+13125550142"), read in the default region
    unless it starts with "+". Raises ``ValidationError`` for an invalid number."""
    try:
        number = phonenumbers.parse(text, app_settings.PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(INVALID, code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_link(number: str) -> tuple[str, str]:
    """The ``tel:`` address (E.164) and the text to show for a stored number.

    Shown in national format for numbers of the default region, international
    for the others (a caller abroad needs the country code). A number that does
    not parse (stored from code, not through the editor) is shown as it is.
    """
    return _phone_link(number, app_settings.PHONE_REGION)


# Parsing and formatting cost more than the rest of a call script's rendering,
# and a site shows the same few numbers on every page view.
@functools.lru_cache(maxsize=1024)
def _phone_link(number: str, region: str) -> tuple[str, str]:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return f"tel:{number}", number
    national = phonenumbers.region_code_for_number(parsed) == region
    display_format = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if national
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return (
        "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.format_number(parsed, display_format),
    )


class PhoneNumberField(forms.CharField):
    """A form field that accepts a phone number in any common format and cleans
    it to E.164."""

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else value
