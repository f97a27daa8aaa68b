import re

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from wagtail_petition.models import PetitionPage
from wagtail_petition.signing import sign


def site_root():
    """The default site's root page. Wagtail's migrations create it, but a
    transactional test empties the database when it ends: then build it again."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        home = Page.add_root(title="Root", slug="root").add_child(
            instance=Page(title="Home", slug="home")
        )
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return site.root_page


class PageFactory(factory.django.DjangoModelFactory):
    """Creates a page in the tree, under the default site's root page unless
    ``parent`` is given, and publishes it."""

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or site_root()).add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


class PetitionPageFactory(PageFactory):
    class Meta:
        model = PetitionPage

    title = factory.Sequence(lambda n: f"Save the park number {n}")
    slug = factory.Sequence(lambda n: f"petition-{n}")
    summary = "Keep the park green."
    targets = [("target", {"name": "Mayor Alex Rivera", "role": "Mayor of Lakeport"})]
    body = [("paragraph", "<p>The park is where the neighbourhood meets.</p>")]


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    intro = "<p>Our petitions.</p>"


class SignatureFactory(factory.DictFactory):
    """The fields of one signer, as the sign form posts them."""

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"signer{n}@example.org")
    postal_code = "60601"
    comment = ""


def sign_many(petition, n):
    """Sign ``petition`` n times with distinct signers, through ``signing.sign()``."""
    for data in SignatureFactory.build_batch(n):
        sign(petition, opt_in=False, source="", **data)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"editor{n}")
    email = factory.Sequence(lambda n: f"editor{n}@example.org")
    password = factory.django.Password("secret-password")


def call_script(**overrides):
    """A CallScriptBlock body item: ("call_script", value)."""
    value = {
        "heading": "Call the Mayor",
        "intro": "Call the Mayor's office and leave a message.",
        "target": "",
        "phone_lines": [{"label": "Mayor's Office", "number": "+13125550142"}],
        "script": "Hi, my name is {first_name} {last_name} from {postal_code}. "
        "I ask {target} to save the park.",
        "talking_points": [],
        "office_hours": {"time_zone": "", "periods": []},
    }
    return ("call_script", {**value, **overrides})


#: A referral code in a share link, plain or inside an encoded link (mailto:, wa.me).
REFERRAL_CODE = re.compile(rb"(ref(?:=|%3D))[23456789a-z]{8}")


def masked_referral_codes(content: bytes) -> bytes:
    """``content`` with every share link's referral code replaced by one
    placeholder. Each signer's code is random: two answers that differ in
    nothing else are then equal byte for byte."""
    return REFERRAL_CODE.sub(rb"\1CODE", content)


def admin_user_with(*codenames, **fields):
    """A Wagtail admin user (``UserFactory(**fields)``) with the given
    wagtail_petition permissions, through a group as sites grant them."""
    group = Group.objects.create(name=f"group-{'-'.join(codenames) or 'admin-only'}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="wagtail_petition", codename__in=codenames
        )
    )
    user = UserFactory(**fields)
    user.groups.add(group)
    return user


def translate(page, locale, **fields):
    """Publish ``page``'s translation into ``locale`` (its parent's first),
    with ``fields`` set on it."""
    parent = page.get_parent().specific
    if parent.get_translation_or_none(locale) is None:
        parent.copy_for_translation(locale).save_revision().publish()
    translation = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation
