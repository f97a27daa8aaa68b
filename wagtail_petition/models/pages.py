"""Petition page classes.

A site composes its own petition page from ``PetitionMixin`` and its own base
page, or uses the ready-made ``PetitionPage``::

    class CampaignPage(PetitionMixin, MyBasePage):
        content_panels = MyBasePage.content_panels + PetitionMixin.petition_content_panels
        promote_panels = MyBasePage.promote_panels + PetitionMixin.petition_promote_panels

The page routes its requests, through Wagtail's ``RoutablePageMixin``, to the
views in ``wagtail_petition.views``: the sign form's POST and the confirmation
link at the page's own URL, the live count at ``count/``, the generated share
image of its link previews at ``share-image/``. On a site that includes
``wagtail_petition.urls``, the page's form and script use those plain URLs instead
(``wagtail_petition.endpoints``), and its anonymous view may be shared by caches.
"""

from functools import partial, reduce
from operator import or_

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, validate_email
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index
from wagtail.utils.decorators import cached_classmethod

from .. import (
    areas,
    conf,
    confirmation,
    fast_path,
    goals,
    previews,
    screening,
    session,
    sharing,
    signing,
    texts,
)
from ..blocks import RICH_TEXT_FEATURES, CallScriptBlock, PetitionBodyBlock, TargetBlock
from ..form_rendering import memoizing_renderer
from ..forms import SignatureForm
from ..panels import MapPanel
from ..records.settings import PetitionSettings
from ..records.signatures import PetitionCounter, PostalCode, Signature
from ..views import confirm as confirm_views
from ..views import count as count_views
from ..views import embed as embed_views
from ..views import share as share_views
from ..views import sign as sign_views
from ..views import texts as texts_views


def validate_email_lines(text: str) -> None:
    """Each non-empty line of ``text`` is an email address."""
    for line in filter(None, (line.strip() for line in text.splitlines())):
        try:
            validate_email(line)
        except ValidationError:
            raise ValidationError(
                _("“%(line)s” is not an email address."), params={"line": line}
            ) from None


def default_require_confirmation():
    """New petitions' default, from ``WAGTAILPETITION_REQUIRE_CONFIRMATION``."""
    return conf.app_settings.REQUIRE_CONFIRMATION


class PetitionMixin(RoutablePageMixin, models.Model):
    """The fields and behaviour of a petition, for any Wagtail page class.

    Extension points: ``form_class`` / ``get_form_class()`` swap the sign form,
    ``signed_template`` / ``get_signed_template()`` the thank-you page, and
    ``process_signature()`` how a valid form is stored. To react to signatures,
    connect to ``wagtail_petition.signals`` instead of overriding the page.
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
    share_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown when the petition is shared on social networks and in chats. "
            "Leave empty for an image made from the title and the count."
        ),
    )
    location = models.CharField(
        verbose_name=_("location"),
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. 'Lakeport, IL, USA'."),
    )
    latitude = models.DecimalField(
        verbose_name=_("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("With the longitude, the place the page's map shows."),
    )
    longitude = models.DecimalField(
        verbose_name=_("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
    )
    fixed_goal = models.PositiveIntegerField(
        verbose_name=_("fixed goal"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Leave empty for an automatic goal that climbs as signatures come in "
            "(10, 25, 50, 100, 500, 1,000 and on)."
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
    ask_to_list_signers = models.BooleanField(
        verbose_name=_("ask signers to be listed"),
        default=True,
        help_text=_(
            "Add an optional checkbox to the sign form: those who tick it are listed by "
            "name and postal code area in the delivery pack given to the targets."
        ),
    )
    show_top_areas = models.BooleanField(
        verbose_name=_("show the top areas"),
        default=False,
        help_text=_(
            "Show on the page the postal code areas with the most signatures "
            "(never an area with fewer than 5)."
        ),
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

    alert_emails = models.TextField(
        verbose_name=_("alert email addresses"),
        blank=True,
        validators=[validate_email_lines],
        help_text=_(
            "One address per line: each is emailed when the petition reaches a milestone."
        ),
    )
    alert_users = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("alert admin users"),
        blank=True,
        related_name="+",
        limit_choices_to={"is_active": True},
        help_text=_("Users of this admin emailed when the petition reaches a milestone."),
    )

    form_class = None
    signed_template = None
    signer_fields = ("first_name", "last_name", "postal_code")

    petition_content_panels = [
        FieldPanel("targets"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    petition_promote_panels = [FieldPanel("share_image")]
    petition_panels = [
        MultiFieldPanel(
            [
                FieldPanel("location"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                MapPanel("latitude", "longitude"),
            ],
            heading=_("Place"),
        ),
        MultiFieldPanel(
            [FieldPanel("fixed_goal"), FieldPanel("deadline")],
            heading=_("Goal and deadline"),
        ),
        FieldPanel("show_top_areas"),
        MultiFieldPanel(
            [
                FieldPanel("postal_code_field"),
                FieldPanel("show_comment_field"),
                FieldPanel("ask_to_list_signers"),
                FieldPanel("consent_text"),
            ],
            heading=_("Sign form"),
        ),
        MultiFieldPanel(
            [FieldPanel("require_confirmation"), FieldPanel("use_recaptcha")],
            heading=_("Trust"),
        ),
        FieldPanel("thank_you_message"),
        MultiFieldPanel(
            [
                FieldPanel("alert_emails"),
                FieldPanel("alert_users", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Milestone alerts"),
        ),
        HelpPanel(
            content=_(
                "<p>To show this petition on another site, copy the embed code from its "
                "dashboard (Reports, Petitions), or paste the petition's address into a tool "
                "that understands oEmbed, such as WordPress or a Wagtail embed block.</p>"
            ),
            heading=_("Embed on another site"),
        ),
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
        """Wagtail's own tabs, with a "Petition" tab of ``petition_panels`` after
        the first ("Content"). A class's own ``edit_handler`` is left as it is."""
        handler = super().get_edit_handler()
        if hasattr(cls, "edit_handler") or not cls.petition_panels:
            return handler
        tabs = list(handler.children)
        tabs.insert(1, ObjectList(cls.petition_panels, heading=_("Petition")))
        return handler.__class__(**{**handler.clone_kwargs(), "children": tabs}).bind_to_model(cls)

    # One petition in every language ---------------------------------------

    @cached_property
    def original_petition_id(self) -> int:
        """The id its signatures, count, milestones and duplicate check are
        kept under. With Wagtail's internationalisation on, the translations of
        a petition share one: the first page of them (the lowest id), usually
        the one the others were translated from. Else the page's own id."""
        if self.pk is None or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return self.pk
        translations = Page.objects.filter(translation_key=self.translation_key)
        return translations.order_by("pk").values_list("pk", flat=True).first() or self.pk

    @cached_property
    def original_petition(self):
        """The page of ``original_petition_id``: the one signatures are stored
        on and signals name, whichever translation was signed."""
        if self.original_petition_id == self.pk:
            return self
        return Page.objects.get(pk=self.original_petition_id).specific

    def get_language_code(self) -> str:
        """The language of the page, recorded with each signature made on it.
        Without Wagtail's internationalisation every page is in the default
        locale's language, known without reading the locale."""
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return get_supported_content_language_variant(settings.LANGUAGE_CODE)
        return self.locale.language_code

    def get_translation_in(self, language_code: str):
        """The petition's live page in that language (a signature's, say), or
        this page when it has none."""
        if not language_code or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return self
        found = self.get_translations(inclusive=True).live()
        return found.filter(locale__language_code=language_code).specific().first() or self

    def clean(self):
        super().clean()
        errors = {}
        if self.latitude is not None and abs(self.latitude) > 90:
            errors["latitude"] = _("Enter a latitude between -90 and 90.")
        if self.longitude is not None and abs(self.longitude) > 180:
            errors["longitude"] = _("Enter a longitude between -180 and 180.")
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            errors[missing] = _("Enter both the latitude and the longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    # The place ------------------------------------------------------------------

    @property
    def map_point(self) -> tuple | None:
        """The petition's (latitude, longitude) for the page's map, or None."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    # The count and goal --------------------------------------------------

    @property
    def signature_count(self) -> int:
        """The number of counted signatures, summed from the counter's few rows: O(1)."""
        return PetitionCounter.count_for(petition_id=self.original_petition_id)

    @property
    def is_closed(self) -> bool:
        return self.deadline is not None and timezone.now() >= self.deadline

    def get_progress(self) -> dict:
        """The count, the goal it heads for and whether the goal is reached; a
        closed petition heads for no goal, and has its deadline instead."""
        count = self.signature_count
        if self.is_closed:
            return {
                "count": count,
                "goal": None,
                "goal_reached": False,
                "closed_on": self.deadline,
            }
        goal = self.get_goal(count)
        return {"count": count, "goal": goal, "goal_reached": goal is not None and count >= goal}

    def get_goal(self, count: int) -> int | None:
        """The goal the progress bar heads for when the count is ``count``."""
        return goals.goal_for(count, conf.goal_ladder(), self.fixed_goal)

    def milestones_crossed(self, old: int, new: int) -> list[int]:
        """The milestone thresholds a count moving from ``old`` to ``new`` reaches."""
        return goals.milestones_crossed(old, new, conf.goal_ladder(), self.fixed_goal)

    # The form and its handling -------------------------------------------

    def get_alert_recipients(self) -> list[str]:
        """The addresses emailed when the petition reaches a milestone: the
        ``alert_emails`` lines and the active ``alert_users`` with an address."""
        listed = (line.strip() for line in self.alert_emails.splitlines())
        users = self.alert_users.filter(is_active=True).exclude(email="")
        addresses = [*filter(None, listed), *users.values_list("email", flat=True)]
        return list(dict.fromkeys(addresses))

    def get_form_class(self):
        """The sign form class; a ``SignatureForm`` subclass."""
        return self.form_class or SignatureForm

    def get_form(self, *args, **kwargs):
        return self.get_form_class()(*args, petition=self, **kwargs)

    def process_signature(self, request, form):
        """Store a valid form's signature and return ``signing.sign()``'s result.

        A signature held back by screening (``screening.screen()``: honeypot,
        rate limit) is stored but not counted; otherwise it awaits confirmation
        when the petition requires it. A clean attempt with an address already
        pending, or held by screening, takes that signature back for the owner
        of the address (``signing.resubmit()``): it awaits their confirmation.
        Every attempt on a petition that requires confirmation queues the email
        task, which sends only what is due, so no answer tells whether the
        address had signed.
        """
        petition = self.original_petition  # one petition for all its translations
        screened = screening.screen(request, petition, form)
        if screened.hold_reason:
            status = Signature.Status.HELD
        elif self.require_confirmation:
            status = Signature.Status.PENDING
        else:
            status = Signature.Status.COUNTED
        result = signing.sign(
            petition,
            status=status,
            hold_reason=screened.hold_reason,
            ip_hash=screened.ip_hash,
            revision_id=self.live_revision_id,
            language=self.get_language_code(),
            **form.signature_data(),
        )
        if not result.created and not screened.hold_reason:
            signing.resubmit(
                result.signature,
                petition,
                revision_id=self.live_revision_id,
                language=self.get_language_code(),
                **form.signature_data(),
            )
        if self.require_confirmation or result.signature.status == Signature.Status.PENDING:
            confirmation.request_confirmation(request, self, result.signature)
        return result

    def get_own_url(self, request) -> str:
        """The page's URL for a redirect or a link in an answer to ``request``.
        Off Wagtail's routing (the fast path) the request's site is unknown and
        ``get_url(request)`` would query it: the page's own URL (relative on a
        single site) is as good."""
        routed = hasattr(request, "_wagtail_site")
        return self.get_url(request if routed else None)

    def get_subpage_url(self, name: str) -> str:
        """The URL of the route ``name``, relative to the site like ``page.url``."""
        return self.url + self.reverse_subpage(name) if self.url else ""

    def get_signed_url(self, request) -> str:
        return self.get_own_url(request) + "?signed=1#petition-thanks"

    def get_signed_template(self, request):
        return self.signed_template

    def get_template(self, request, *args, signed=False, **kwargs):
        if signed and (template := self.get_signed_template(request)):
            return template
        return super().get_template(request, *args, **kwargs)

    def is_signing_paused(self, request) -> bool:
        """Whether an organizer paused all signing on the site (``PetitionSettings``)."""
        return PetitionSettings.for_page(self, request).signing_paused

    def get_context(
        self,
        request,
        *args,
        form=None,
        signed=False,
        signer=None,
        confirmed=False,
        referral_code="",
        **kwargs,
    ):
        context = super().get_context(request, *args, **kwargs)
        paused = self.is_signing_paused(request)
        if form is None and not signed and not self.is_closed and not paused:
            initial = self.get_form_initial(request)
            form = self.get_form(initial=initial, renderer=memoizing_renderer())
        context.update(
            petition=self,
            form=form,
            signed=signed,
            signer=signer or {},
            confirmed=confirmed,
            paused=paused,
            text_change=texts.latest_change(self),
            top_areas=self.get_top_areas(),
            **self.get_sign_target(request),
        )
        context.update(self.get_body_blocks(signed))
        context.update(self.get_sharing_context(signed, referral_code))
        return context

    def get_top_areas(self) -> list:
        """The postal code areas "Top areas" lists on the page (``areas.top_areas()``:
        the biggest, never one under the privacy floor), or none when the editor
        left ``show_top_areas`` off. Override to list more or fewer."""
        return areas.top_areas(self.original_petition_id) if self.show_top_areas else []

    def get_form_initial(self, request) -> dict:
        """The sign form's hidden fields, from the link the visitor came by:
        ``?source=`` and ``?ref=`` (a referral code, kept only if well formed)."""
        return {
            "source": request.GET.get("source", ""),
            "ref": sharing.clean_referral_code(request.GET.get("ref")),
        }

    def get_sharing_context(self, signed: bool, referral_code: str) -> dict:
        """The signer's referral code for their share links and, in the
        thank-you state, the counted signatures their links brought (one query)."""
        referrals = sharing.referral_count(self, referral_code) if signed else 0
        return {"referral_code": referral_code, "referrals": referrals}

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

    # The text signers agree to -------------------------------------------

    def get_petition_text(self) -> str:
        """What signers agree to, as plain text, one paragraph per line.

        A published change of this text, once people signed, is recorded
        (``TextChange``) and announced on the page; a change elsewhere (a call
        script, the goal, the form) is not. The default is the title, targets,
        summary and body without call scripts (``texts.petition_text()``);
        override to add a field of your own page class, or leave one out.
        """
        return texts.petition_text(self)

    @path("changes/", name="text_changes")
    def text_changes_route(self, request):
        """What changed in the text since people signed, newest first."""
        request.is_preview = getattr(request, "is_preview", False)
        response = texts_views.text_changes(request, self)
        response.add_post_render_callback(partial(self.allow_shared_caching, request))
        return response

    def get_text_changes_url(self) -> str:
        """The list of text changes' URL, relative to the site like ``page.url``."""
        return self.get_subpage_url("text_changes")

    # Routes -------------------------------------------------------------------

    @path("")
    def index_route(self, request, *args, **kwargs):
        """The petition's own URL: the page (in its thank-you state for the
        browser that just signed), the sign form's POST and the email
        confirmation link."""
        if confirm_views.is_confirmation_request(request):
            return confirm_views.confirmation(request, self)
        if request.method == "POST":
            return sign_views.sign(request, self)
        request.is_preview = getattr(request, "is_preview", False)
        if session.is_personal(request):  # this visitor's own page
            response = self.render(request, **self.get_thank_you_state(request))
            add_never_cache_headers(response)
            return response
        response = self.render(request)
        response.add_post_render_callback(partial(self.allow_shared_caching, request))
        return response

    def get_thank_you_state(self, request, *, just_signed=False) -> dict:
        """The keyword arguments of ``get_context()`` and ``get_template()`` for
        the thank-you state: for ``?signed=1`` from the browser that signed, or
        (``just_signed``) for the answer to its sign."""
        asked = just_signed or request.GET.get("signed")
        signed = session.signed_state(request, self.original_petition_id) if asked else {}
        if not signed:
            return {}
        return {
            "signed": True,
            "signer": signed.get("signer", {}),
            "confirmed": signed.get("confirmed", False),
            "referral_code": signed.get("referral_code", ""),
        }

    def allow_shared_caching(self, request, response) -> None:
        """Let shared caches keep the page for ``WAGTAILPETITION_PAGE_CACHE_SECONDS``
        (never past the deadline) when nothing in it depends on the visitor:
        its render read no session (nor the user) and used no CSRF token, as
        when the form posts to the fast path (``wagtail_petition.urls``)."""
        seconds = conf.app_settings.PAGE_CACHE_SECONDS
        if self.deadline is not None and not self.is_closed:
            seconds = min(seconds, int((self.deadline - timezone.now()).total_seconds()))
        session_read = getattr(getattr(request, "session", None), "accessed", False)
        if seconds <= 0 or session_read or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)

    def get_sign_target(self, request) -> dict:
        """Where the sign form posts: the fast path when the site includes it
        (no CSRF token: ``views.cross_site`` protects it), else the page."""
        plain = fast_path.url("sign", self.pk)
        return {"sign_url": plain or self.get_url(request), "sign_needs_token": plain is None}

    @path("count/", name="live_count")
    def live_count_route(self, request):
        return count_views.live_count(request, self)

    def get_live_count_url(self) -> str:
        """The live count's URL, relative to the site like ``page.url``: on the
        fast path when the site includes it, else at the page's ``count/``."""
        if plain := fast_path.url("live_count", self.pk):
            return plain
        return self.get_subpage_url("live_count")

    # Link previews -------------------------------------------------------------

    @path("share-image/", name=previews.ROUTE)
    def share_image_route(self, request):
        """The generated share image, a PNG (``wagtail_petition.previews``)."""
        return share_views.share_image(request, self)

    def get_share_card(self, request):
        """What the generated share image shows: a ``share_image.ShareCard``."""
        return previews.share_card(self, request)

    # The widget for other sites, and its oEmbed description (``views.embed``).

    @path("embed/", name="embed")
    def embed_route(self, request):
        return embed_views.embed(request, self)

    @path("oembed/", name="oembed")
    def oembed_route(self, request):
        return embed_views.oembed(request, self)

    def get_embed_url(self, request=None) -> str:
        """The embed widget's URL, relative to the site like ``get_own_url()``."""
        return self.get_own_url(request) + self.reverse_subpage("embed")

    def get_cached_paths(self):
        # What wagtail.contrib.frontend_cache purges on publish: the page, its
        # live count, embed widget and list of text changes (the fast path's
        # count is purged in ``purging``).
        return [
            "/",
            self.reverse_subpage("live_count"),
            self.reverse_subpage("embed"),
            self.reverse_subpage("text_changes"),
        ]

    def serve_preview(self, request, mode_name):
        # Wagtail's own preview, which knows the preview modes (the thank-you
        # state); RoutablePageMixin's would show the index route whatever the mode.
        return super(RoutablePageMixin, self).serve_preview(request, mode_name)

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


def original_petition_id():
    """``original_petition_id`` as a subquery, to annotate ``Page`` rows with."""
    translations = Page.objects.filter(translation_key=OuterRef("translation_key"))
    return Subquery(translations.order_by("pk").values("pk")[:1])


def original_petitions():
    """``petition_pages()`` without the translations of another: one page per
    petition, the one its signatures are stored on (``original_petition_id``)."""
    earlier = Page.objects.filter(
        translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk")
    )
    return petition_pages().exclude(Exists(earlier))


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
    promote_panels = Page.promote_panels + PetitionMixin.petition_promote_panels
    search_fields = Page.search_fields + PetitionMixin.petition_search_fields

    class Meta:
        abstract = True


class PetitionPage(AbstractPetitionPage):
    template = "wagtail_petition/petition_page.html"
    # A petition's own URLs (count/) come before child pages; a petition has none.
    subpage_types = []

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
