"""What the petition is compared with: a Wagtail form-builder page receiving the
sign form's fields, a table of the signature's columns for a bare INSERT, and a
plain page showing a petition's body."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.fields import StreamField
from wagtail.models import Page

from wagtail_petition.blocks import PetitionBodyBlock


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(AbstractForm):
    template = "bench_baseline/form_page.html"
    landing_page_template = "bench_baseline/form_page_landing.html"


class BareSignature(models.Model):
    """The columns of ``wagtail_petition.Signature`` a signer fills in, and no more."""

    petition_id = models.BigIntegerField()
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    email_normalised = models.CharField(max_length=3 * 254)
    postal_code = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    opt_in = models.BooleanField(default=False)
    status = models.CharField(max_length=16, default="counted")
    source = models.CharField(max_length=100, blank=True)
    hold_reason = models.CharField(max_length=16, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    confirmation_emails_sent = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()


class BodyOnlyPage(Page):
    """A plain Wagtail page showing the petition body's blocks and nothing else:
    what a petition page's GET is compared with."""

    body = StreamField(PetitionBodyBlock(), blank=True)

    template = "bench_baseline/body_only_page.html"
