import os
import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from wagtail_petition.models import PetitionPage
from wagtail_petition.signing import sign

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "petition-demo"
EDITOR_USERNAME = "editor"
PETITION_SLUG = "keep-our-libraries-open"
DEMO_SIGNATURES = 64

FIRST_NAMES = [
    "Amara", "Ben", "Carmen", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonah",
    "Kai", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
]  # fmt: skip
LAST_NAMES = [
    "Adeyemi", "Brooks", "Castillo", "Dubois", "Eriksen", "Fontaine", "Garcia", "Haddad",
    "Ito", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
]  # fmt: skip
#: How many demo signers live in each ZIP3 area: a few areas over the dashboard's
#: privacy floor of 5, and some under it, merged into "Other areas".
AREA_SIGNERS = {
    "606": 22, "605": 11, "604": 8, "600": 7, "601": 5,
    "610": 4, "617": 3, "618": 2, "625": 1, "613": 1,
}  # fmt: skip
COMMENTS = [
    "My kids do their homework at the branch library.",
    "The library is the only quiet place I can study.",
    "Libraries are where our neighbourhood meets.",
    "",
    "",
]


class Command(BaseCommand):
    help = "Create the example site's home page, a demo petition with signatures, and an admin."

    def handle(self, *args, **options):
        with transaction.atomic():
            home = self.home_page()
            petition = self.petition(home)
            spanish = self.spanish(home, petition)
            created = self.signatures(petition)
        self.users()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo petition: {petition.full_url} "
                f"({petition.signature_count} signatures, {created} added now)"
            )
        )
        self.stdout.write(f"In Spanish, sharing its count: {spanish.full_url}")
        self.stdout.write(
            f"Wagtail admin: {petition.get_site().root_url}/admin/ "
            f"- log in as '{ADMIN_USERNAME}' with password '{ADMIN_PASSWORD}' "
            f"(or as '{EDITOR_USERNAME}', same password: an editor who sees no signer's data)"
        )

    def home_page(self):
        site = Site.objects.get(is_default_site=True)
        root_page = site.root_page.specific
        if isinstance(root_page, HomePage):
            return root_page
        home = HomePage(
            title="Lakeport Action",
            slug="lakeport-action",
            intro="<p>Neighbours organising for a fairer Lakeport. "
            "This is a demo site: the city, the people and the numbers are invented.</p>",
        )
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        site.root_page = home
        site.hostname = "127.0.0.1"
        site.port = int(os.environ.get("PORT", 8000))
        site.site_name = "Lakeport Action"  # shown in link previews
        site.save()
        return home

    def petition(self, home):
        existing = PetitionPage.objects.child_of(home).filter(slug=PETITION_SLUG).first()
        if existing:
            return existing
        petition = PetitionPage(
            title="Keep Lakeport's branch libraries open seven days a week",
            slug=PETITION_SLUG,
            summary=(
                "The city plans to close four branch libraries on weekends. "
                "Tell the Mayor to keep them open for the families who rely on them."
            ),
            location="Lakeport, IL, USA",
            # An invented town on Lake Michigan's Illinois shore, north of Chicago.
            latitude=Decimal("42.196000"),
            longitude=Decimal("-87.796000"),
            # New signers confirm by email; the demo signatures below count directly.
            require_confirmation=True,
            targets=[
                (
                    "target",
                    {
                        "name": "Mayor Dana Whitfield",
                        "role": "Mayor of Lakeport",
                        "email": "mayor@lakeport.example",
                    },
                ),
                ("target", {"name": "Lakeport City Council", "role": ""}),
            ],
            body=[
                (
                    "demands",
                    {
                        "heading": "We demand that the city",
                        "demands": [
                            "Withdraw the plan to close branch libraries at weekends.",
                            "Restore the evening hours cut last year at the Eastside and Harbor "
                            "branches.",
                            "Hold a public hearing before any future cut to library hours.",
                        ],
                    },
                ),
                (
                    "call_script",
                    {
                        "heading": "Call the Mayor's office",
                        "intro": "Call the Mayor's office and leave a message. It takes two "
                        "minutes, and staff count every call.",
                        "target": "Mayor Whitfield",
                        "phone_lines": [
                            {
                                "label": "Mayor's Office, City of Lakeport",
                                "number": "+13125550142",
                            },
                            {"label": "City Council Clerk", "number": "+13125550187"},
                        ],
                        "script": "Hi, my name is {first_name} and I live in {postal_code}. "
                        "I am calling to ask {target} to keep Lakeport's branch libraries open "
                        "at weekends.\n\nPlease withdraw the weekend closures and hold a public "
                        "hearing before any cut to library hours. Thank you.",
                        "talking_points": [
                            "Weekend closures save less than 0.1% of the city budget.",
                            "Students and job seekers depend on free internet at the branches.",
                        ],
                        "office_hours": {
                            "time_zone": "America/Chicago",
                            "periods": [
                                {
                                    "days": ["0", "1", "2", "3", "4"],
                                    "opens": "09:00",
                                    "closes": "17:00",
                                }
                            ],
                        },
                    },
                ),
                ("heading", "Why is this important?"),
                (
                    "paragraph",
                    "<p>For many Lakeport families the branch library is the only place "
                    "with free internet, a quiet desk and a warm room at the weekend. "
                    "Students study there, job seekers apply for work there, and older "
                    "neighbours meet there.</p>"
                    "<p>Weekend closures would save less than 0.1% of the city budget and "
                    "hit hardest the neighbourhoods with the fewest alternatives.</p>",
                ),
                (
                    "quote",
                    {
                        "quote": "Saturday is the only day I can bring my kids to the library.",
                        "attribution": "A parent from the Eastside branch",
                    },
                ),
            ],
            thank_you_message=(
                "<p>Your signature is in. The next step that moves the Mayor most is a "
                "phone call: the number and what to say are right below.</p>"
            ),
            consent_text=(
                "<p>Lakeport Action will keep your signature and send it to the petition's "
                "targets. Your email address is never shown publicly.</p>"
            ),
        )
        home.add_child(instance=petition)
        petition.save_revision().publish()
        return petition

    def spanish(self, home, petition):
        """The petition's Spanish translation (with the home page's): a page of
        its own at /es/, sharing the petition's signatures, count and timeline."""
        locale, _ = Locale.objects.get_or_create(language_code="es")
        if existing := petition.get_translation_or_none(locale):
            return existing
        home_es = home.get_translation_or_none(locale) or home.copy_for_translation(locale)
        home_es.intro = (
            "<p>Vecinos que se organizan por un Lakeport más justo. Este es un sitio de "
            "demostración: la ciudad, las personas y las cifras son inventadas.</p>"
        )
        home_es.save_revision().publish()
        translation = petition.copy_for_translation(locale).specific
        for name, value in SPANISH.items():
            setattr(translation, name, value)
        translation.save_revision().publish()
        return translation

    def signatures(self, petition):
        """Sign the petition a few dozen times over the last two weeks, oldest first,
        so that its milestones carry past dates. Does nothing once it has signatures."""
        if petition.signatures.exists():
            return 0
        rng = random.Random(2026)
        now = timezone.now()
        two_weeks = 14 * 24 * 60
        moments = sorted(
            now - timedelta(minutes=rng.randint(30, two_weeks)) for _ in range(DEMO_SIGNATURES)
        )
        areas = demo_areas()
        for number, moment in enumerate(moments):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            sign(
                petition,
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{number}@example.org".lower(),
                postal_code=f"{areas[number]}{rng.randint(600, 699) % 100:02d}",
                comment=rng.choice(COMMENTS),
                opt_in=rng.random() < 0.4,
                # Not drawn from rng, which would change every later draw.
                list_publicly=number % 3 != 0,
                source=rng.choice(["", "", "newsletter", "social"]),
                language="es" if number % 4 == 0 else "en",
                created_at=moment,
            )
        return DEMO_SIGNATURES

    def users(self):
        """A superuser; an editor who may edit pages but not see signers' data
        (Wagtail's own "Editors" group); and an "Organizers" group with every
        signatures permission, ready to be given to people."""
        User = get_user_model()
        if not User.objects.filter(username=ADMIN_USERNAME).exists():
            User.objects.create_superuser(ADMIN_USERNAME, "admin@example.org", ADMIN_PASSWORD)
        if not User.objects.filter(username=EDITOR_USERNAME).exists():
            editor = User.objects.create_user(
                EDITOR_USERNAME, "editor@example.org", ADMIN_PASSWORD
            )
            editor.groups.add(Group.objects.get(name="Editors"))
        organizers, _ = Group.objects.get_or_create(name="Organizers")
        organizers.permissions.add(
            Permission.objects.get(codename="access_admin"),
            *Permission.objects.filter(
                content_type__app_label="wagtail_petition", codename__endswith="_signature"
            ),
        )


#: The Spanish page's text.
SPANISH = {
    "title": "Mantengamos abiertas las bibliotecas de barrio de Lakeport los siete días",
    "summary": (
        "La ciudad planea cerrar cuatro bibliotecas de barrio los fines de semana. "
        "Pide a la alcaldesa que las mantenga abiertas para las familias que las necesitan."
    ),
    "location": "Lakeport, IL, EE. UU.",
    "targets": [
        (
            "target",
            {
                "name": "Alcaldesa Dana Whitfield",
                "role": "Alcaldesa de Lakeport",
                "email": "mayor@lakeport.example",
            },
        ),
        ("target", {"name": "Concejo Municipal de Lakeport", "role": ""}),
    ],
    "body": [
        (
            "demands",
            {
                "heading": "Exigimos que la ciudad",
                "demands": [
                    "Retire el plan de cerrar las bibliotecas de barrio los fines de semana.",
                    "Recupere el horario de tarde recortado el año pasado en las sedes "
                    "Eastside y Harbor.",
                    "Celebre una audiencia pública antes de cualquier recorte de horario.",
                ],
            },
        ),
        (
            "call_script",
            {
                "heading": "Llama a la oficina de la alcaldesa",
                "intro": "Llama y deja un mensaje. Son dos minutos, y el personal cuenta "
                "cada llamada.",
                "target": "la alcaldesa Whitfield",
                "phone_lines": [
                    {"label": "Oficina de la Alcaldía de Lakeport", "number": "+13125550142"},
                    {"label": "Secretaría del Concejo Municipal", "number": "+13125550187"},
                ],
                "script": "Hola, me llamo {first_name} y vivo en {postal_code}. Llamo para "
                "pedir a {target} que mantenga abiertas las bibliotecas de barrio de "
                "Lakeport los fines de semana.\n\nPor favor, retiren los cierres de fin de "
                "semana y celebren una audiencia pública antes de cualquier recorte. Gracias.",
                "talking_points": [
                    "Los cierres de fin de semana ahorran menos del 0,1 % del presupuesto.",
                    "Estudiantes y personas que buscan empleo dependen del internet gratuito.",
                ],
                "office_hours": {
                    "time_zone": "America/Chicago",
                    "periods": [
                        {"days": ["0", "1", "2", "3", "4"], "opens": "09:00", "closes": "17:00"}
                    ],
                },
            },
        ),
        ("heading", "¿Por qué es importante?"),
        (
            "paragraph",
            "<p>Para muchas familias de Lakeport, la biblioteca del barrio es el único lugar "
            "con internet gratuito, una mesa tranquila y un espacio cálido el fin de "
            "semana.</p>",
        ),
    ],
    "thank_you_message": (
        "<p>Tu firma ya cuenta. Lo que más mueve a la alcaldesa es una llamada: el número "
        "y qué decir están aquí abajo.</p>"
    ),
    "consent_text": (
        "<p>Lakeport Action guardará tu firma y la enviará a los destinatarios de la "
        "petición. Tu correo electrónico nunca se muestra en público.</p>"
    ),
}


def demo_areas() -> list[str]:
    """The ZIP3 area of each demo signer, in the order they sign. Shuffled with
    a generator of its own, so that the demo's other draws stay as they were."""
    areas = [area for area, n in AREA_SIGNERS.items() for _ in range(n)]
    random.Random(16).shuffle(areas)
    return areas
