"""reCAPTCHA on the sign form, from the optional ``django-recaptcha`` package
(``pip install "wagtail-petition[recaptcha]"``). Import this module only when
``WAGTAILPETITION_RECAPTCHA`` is set.

The widgets use templates of their own without inline script, so a
Content-Security-Policy needs only Google's script host added.
"""

from django.utils.translation import gettext_lazy as _
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV2Checkbox, ReCaptchaV3

from .conf import app_settings

ERROR = _("We could not confirm that you are a person. Please try again.")


class CheckboxWidget(ReCaptchaV2Checkbox):
    template_name = "wagtail_petition/recaptcha/checkbox.html"


class ScoreWidget(ReCaptchaV3):
    template_name = "wagtail_petition/recaptcha/v3.html"


def recaptcha_field() -> ReCaptchaField:
    """The field ``WAGTAILPETITION_RECAPTCHA`` asks for: "checkbox" (v2) or "v3"."""
    if app_settings.RECAPTCHA == "v3":
        widget = ScoreWidget(action="sign", required_score=app_settings.RECAPTCHA_V3_MIN_SCORE)
        label = ""  # nothing for the visitor to do
    else:
        widget = CheckboxWidget()
        label = _("Confirm you are a person")
    return ReCaptchaField(
        label=label,
        widget=widget,
        error_messages={"captcha_invalid": ERROR, "captcha_error": ERROR},
    )
