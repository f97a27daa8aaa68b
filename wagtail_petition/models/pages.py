"""Petition page classes.

A site composes its own petition page from ``PetitionMixin`` and its own base
page, or uses the ready-made ``PetitionPage``::

    class CampaignPage(PetitionMixin, MyBasePage):
        content_panels = MyBasePage.content_panels + PetitionMixin.petition_content_panels
"""

from functools import reduce
from operator import or_

from django.apps import apps
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult
from wagtail.utils.decorators import cached_classmethod

from .. import conf, goals
from ..blocks import RICH_TEXT_FEATURES, CallScriptBlock, PetitionBodyBlock, TargetBlock
from .signatures import PetitionCounter, Signature

SIGNED_SESSION_KEY = "wagtail_petition.signed"


def default_require_confirmation():
    """New petitions' default, from ``WAGTAILPETITION_REQUIRE_CONFIRMATION``."""
    return conf.app_settings.REQUIRE_CONFIRMATION


class PostalCode(models.TextChoices):
    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")
    HIDDEN = "hidden", _("Not asked")


class PetitionMixin(models.Model):
    """The fields and behaviour of a petition, for any Wagtail page class.

    Extension points: ``form_class`` / ``get_form_class()`` swap the sign form,
    ``signed_template`` / ``get_signed_template()`` the thank-you page, and
    ``process_signature()`` what happens with a valid form.
    """

    targets = StreamField(
        [("target", TargetBlock())],
        verbose_name=_("to"),
        blank=True,
        help_text=_("Who the petition is addressed to, shown as the 'To:' line."),
    )
    summary = models.TextField(
        verbose_name=_("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, used in listings and when the petition is shared."),
    )
    body = StreamField(
        PetitionBodyBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("The demands and why they matter."),
    )
    location = models.CharField(
        verbose_name=_("location"),
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. 'Lakeport, IL, USA'."),
    )
    fixed_goal = models.PositiveIntegerField(
        verbose_name=_("fixed goal"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Leave empty for an automatic goal that climbs as signatures come in "
            "(10, 25, 50, 100, 250 and on)."
        ),
    )
    deadline = models.DateTimeField(
        verbose_name=_("deadline"),
        null=True,
        blank=True,
        help_text=_("Optional. After this moment the petition is closed to new signatures."),
    )
    thank_you_message = RichTextField(
        verbose_name=_("thank-you message"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Shown to a visitor who has just signed."),
    )
    postal_code_field = models.CharField(
        verbose_name=_("postal code"),
        max_length=16,
        choices=PostalCode.choices,
        default=PostalCode.OPTIONAL,
        help_text=_("Whether signers are asked for their postal code."),
    )
    show_comment_field = models.BooleanField(
        verbose_name=_("ask for a comment"),
        default=True,
        help_text=_("Let signers say why they are signing."),
    )
    require_confirmation = models.BooleanField(
        verbose_name=_("require email confirmation"),
        default=default_require_confirmation,
        help_text=_(
            "Signatures count only once the signer clicks the link in an email we send "
            "them. Needs working email on the site."
        ),
    )
    use_recaptcha = models.BooleanField(
        verbose_name=_("check for bots with reCAPTCHA"),
        default=False,
        help_text=_("Needs reCAPTCHA keys in the site's settings."),
    )
    consent_text = RichTextField(
        verbose_name=_("privacy notice"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Shown next to the form: how the organization uses signers' data, "
            "with a link to its privacy policy."
        ),
    )

    form_class = None
    signed_template = None
    signer_fields = ("first_name", "last_name", "postal_code")

    petition_content_panels = [
        FieldPanel("targets"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("location"),
    ]
    petition_panels = [
        MultiFieldPanel(
            [FieldPanel("fixed_goal"), FieldPanel("deadline")],
            heading=_("Goal and deadline"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("postal_code_field"),
                FieldPanel("show_comment_field"),
                FieldPanel("consent_text"),
            ],
            heading=_("Sign form"),
        ),
        MultiFieldPanel(
            [FieldPanel("require_confirmation"), FieldPanel("use_recaptcha")],
            heading=_("Trust"),
        ),
        FieldPanel("thank_you_message"),
    ]
    petition_search_fields = [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("location"),
    ]

    preview_modes = [("", _("Petition")), ("signed", _("Thank-you"))]

    class Meta:
        abstract = True

    @cached_classmethod
    def get_edit_handler(cls):
        """Wagtail's tabs with a "Petition" tab after "Content", built from the
        class's own panel lists so that subclasses can change any of them."""
        if hasattr(cls, "edit_handler"):
            return cls.edit_handler.bind_to_model(cls)
        tabs = [
            (cls.content_panels, _("Content")),
            (cls.petition_panels, _("Petition")),
            (cls.promote_panels, _("Promote")),
            (cls.settings_panels, _("Settings")),
        ]
        return TabbedInterface(
            [ObjectList(panels, heading=heading) for panels, heading in tabs if panels],
            base_form_class=cls.base_form_class,
        ).bind_to_model(cls)

    # The count and goal --------------------------------------------------

    @property
    def signature_count(self) -> int:
        """The number of counted signatures, summed from the counter's few rows: O(1)."""
        return PetitionCounter.count_for(petition_id=self.pk)

    @property
    def is_closed(self) -> bool:
        return self.deadline is not None and timezone.now() >= self.deadline

    def get_progress(self) -> dict:
        """The count, the goal it heads for, and whether the goal is reached."""
        count = self.signature_count
        goal = self.get_goal(count)
        return {"count": count, "goal": goal, "goal_reached": goal is not None and count >= goal}

    def get_goal(self, count: int) -> int | None:
        """The goal the progress bar heads for when the count is ``count``."""
        return goals.goal_for(count, conf.goal_ladder(), self.fixed_goal)

    def milestones_crossed(self, old: int, new: int) -> list[int]:
        """The milestone thresholds a count moving from ``old`` to ``new`` reaches."""
        return goals.milestones_crossed(old, new, conf.goal_ladder(), self.fixed_goal)

    # The form and its handling -------------------------------------------

    def get_form_class(self):
        """The sign form class; a ``SignatureForm`` subclass."""
        if self.form_class is not None:
            return self.form_class
        from ..forms import SignatureForm

        return SignatureForm

    def get_form(self, *args, **kwargs):
        return self.get_form_class()(*args, petition=self, **kwargs)

    def has_signed(self, request) -> bool:
        """Whether this browser has signed: the thank-you state is shown."""
        return str(self.pk) in request.session.get(SIGNED_SESSION_KEY, {})

    def remember_signer(self, request, form, result):
        """Keep what this visitor typed in ``signer_fields`` in their session, for
        the thank-you state and call scripts, with their signature's id when the
        signature is theirs (never another person's with the same address)."""
        self.remember_in_session(
            request,
            signer={name: form.cleaned_data.get(name, "") for name in self.signer_fields},
            signature_id=result.signature.pk if result.created else None,
        )

    def remember_in_session(self, request, *, signer, signature_id, confirmed=False):
        """This browser's signed state for the petition: what ``get_signer()``,
        ``get_signature_id()`` and the thank-you state read."""
        signed = request.session.get(SIGNED_SESSION_KEY, {})
        signed[str(self.pk)] = {
            "signer": signer,
            "signature_id": signature_id,
            "confirmed": confirmed,
        }
        request.session[SIGNED_SESSION_KEY] = signed

    def process_signature(self, request, form):
        """Store a valid form's signature and return ``signing.sign()``'s result.

        A signature held back by screening (``trust.screen()``: honeypot, rate
        limit) is stored but not counted; otherwise it awaits confirmation when
        the petition requires it. Override to add work around signing.
        """
        from ..signing import sign
        from ..trust import screen

        screening = screen(request, self, form)
        if screening.hold_reason:
            status = Signature.Status.HELD
        elif self.require_confirmation:
            status = Signature.Status.PENDING
        else:
            status = Signature.Status.COUNTED
        result = sign(
            self,
            status=status,
            hold_reason=screening.hold_reason,
            ip_hash=screening.ip_hash,
            **form.signature_data(),
        )
        if result.signature.status == Signature.Status.PENDING:
            # New, or pending and signed again: (re)send the email, up to the limit.
            from ..confirmation import request_confirmation

            request_confirmation(request, self, result)
        return result

    def get_signed_url(self, request) -> str:
        return self.get_url(request) + "?signed=1#petition-thanks"

    def get_signed_template(self, request):
        return self.signed_template

    def get_template(self, request, *args, signed=False, **kwargs):
        if signed and (template := self.get_signed_template(request)):
            return template
        return super().get_template(request, *args, **kwargs)

    def _signed_entry(self, request) -> dict:
        return request.session.get(SIGNED_SESSION_KEY, {}).get(str(self.pk), {})

    def get_signer(self, request) -> dict:
        """What this visitor typed when signing, as kept by ``remember_signer()``."""
        return self._signed_entry(request).get("signer", {})

    def get_signature_id(self, request):
        """The id of the signature this visitor made, if it was a new one."""
        return self._signed_entry(request).get("signature_id")

    def get_context(
        self, request, *args, form=None, signed=False, signer=None, confirmed=False, **kwargs
    ):
        context = super().get_context(request, *args, **kwargs)
        if form is None and not signed and not self.is_closed:
            form = self.get_form(initial={"source": request.GET.get("source", "")})
        context.update(
            petition=self, form=form, signed=signed, signer=signer or {}, confirmed=confirmed
        )
        context.update(self.get_body_blocks(signed))
        return context

    def get_body_blocks(self, signed: bool) -> dict:
        """The body's blocks; once signed, the call scripts apart, to be shown first."""
        blocks = list(self.body)
        if not signed:
            return {"body_blocks": blocks, "call_scripts": []}

        def is_call(block):
            return isinstance(block.block, CallScriptBlock)

        return {
            "body_blocks": [b for b in blocks if not is_call(b)],
            "call_scripts": [b for b in blocks if is_call(b)],
        }

    def route(self, request, path_components):
        from ..livecount import COUNT_PATH

        if path_components == [COUNT_PATH] and self.live:
            return RouteResult(self, kwargs={"count_json": True})
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        if kwargs.pop("count_json", False):
            from ..livecount import serve_count

            return serve_count(request, self)
        from ..confirmation import is_confirmation_request, serve_confirmation

        if is_confirmation_request(request):  # ?confirm=<token>, or its button's POST
            return serve_confirmation(request, self)
        if request.method == "POST":
            return self.serve_sign(request)
        if request.GET.get("signed") and (entry := self._signed_entry(request)):
            kwargs.update(
                signed=True,
                signer=entry.get("signer", {}),
                confirmed=entry.get("confirmed", False),
            )
        return super().serve(request, *args, **kwargs)

    def serve_sign(self, request):
        """Handle a POST of the sign form: refuse when closed, else sign and
        redirect; answer in JSON instead when the request prefers it (the
        page's script)."""
        from .. import sign_json

        as_json = sign_json.wants_json(request)
        if self.is_closed:
            if as_json:
                return sign_json.closed(request, self)
            context = self.get_context(request)
            return TemplateResponse(request, self.get_template(request), context, status=403)
        form = self.get_form(request.POST)
        if not form.is_valid():
            if as_json:
                return sign_json.invalid(request, self, form)
            context = self.get_context(request, form=form)
            return TemplateResponse(request, self.get_template(request), context)
        result = self.process_signature(request, form)
        self.remember_signer(request, form, result)
        if as_json:
            return sign_json.signed(request, self)
        return HttpResponseRedirect(self.get_signed_url(request), status=303)

    def get_preview_context(self, request, mode_name):
        if mode_name == "signed":
            return self.get_context(request, signed=True, signer={"first_name": _("Alex")})
        return super().get_preview_context(request, mode_name)

    def get_preview_template(self, request, mode_name):
        return self.get_template(request, signed=mode_name == "signed")


def get_petition_models() -> list:
    """Every installed page class that is a petition (uses ``PetitionMixin``)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, PetitionMixin) and issubclass(model, Page)
    ]


def petition_pages():
    """Every petition page, of every petition class, as plain ``Page`` rows."""
    return Page.objects.type(*get_petition_models())


def petitions_where(condition: Q) -> Q:
    """A filter of ``Page`` rows: the petitions, of every petition class, that
    meet ``condition`` on their class's own fields (its deadline, say). Those
    fields live on each class's table, so each class is asked in a subquery."""
    return reduce(
        or_,
        (
            Q(pk__in=model.objects.filter(condition).values("pk"))
            for model in get_petition_models()
        ),
        Q(pk__in=[]),
    )


class AbstractPetitionPage(PetitionMixin, Page):
    """A petition page with the editor's fields in place; subclass it to add fields."""

    content_panels = Page.content_panels + PetitionMixin.petition_content_panels
    search_fields = Page.search_fields + PetitionMixin.petition_search_fields

    class Meta:
        abstract = True


class PetitionPage(AbstractPetitionPage):
    template = "wagtail_petition/petition_page.html"

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
