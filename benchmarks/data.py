"""The benchmark's database: the example site's demo content, copies of its
petition for each benchmark, a form-builder page, a plain page with the
petition's body, and a million signatures."""

import io

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from benchmarks.baseline.models import BodyOnlyPage, FormField, FormPage
from home.models import HomePage
from wagtail_petition.models import PetitionCounter, PetitionPage, Signature
from wagtail_petition.signing import stamp_milestones

MILLION = 1_000_000
#: The sign form's fields, as the form builder asks for them.
FORM_FIELDS = [
    ("first_name", "singleline", True),
    ("last_name", "singleline", True),
    ("email", "email", True),
    ("postal_code", "singleline", False),
    ("comment", "multiline", False),
    ("opt_in", "checkbox", False),
    ("source", "hidden", False),
]


def prepare():
    """Migrate, load the demo and add the benchmark's pages; returns them by
    name. The million signatures are added later, by ``add_signatures()``."""
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    home = HomePage.objects.get()
    demo = PetitionPage.objects.child_of(home).get(slug="keep-our-libraries-open")
    pages = {name: copy_petition(demo, home, name) for name in ("sign", "empty", "million")}
    pages["form"] = form_page(home)
    pages["body_only"] = body_only_page(demo, home)
    return pages


def copy_petition(demo, home, name):
    """The demo petition, its text and call script, without its signatures and
    counted at once (no email confirmation)."""
    slug = f"bench-{name}"
    existing = PetitionPage.objects.child_of(home).filter(slug=slug).first()
    if existing:
        return existing
    return demo.copy(
        to=home,
        update_attrs={
            "slug": slug,
            "title": f"{demo.title} ({name})",
            "require_confirmation": False,
        },
        keep_live=True,
        copy_revisions=False,
    ).specific


def hot_row_petitions(spread=8):
    """A petition for every signer at once, and ``spread`` petitions, one each."""
    home = HomePage.objects.get()
    demo = PetitionPage.objects.child_of(home).get(slug="keep-our-libraries-open")
    return copy_petition(demo, home, "hot"), [
        copy_petition(demo, home, f"spread-{n}") for n in range(spread)
    ]


def form_page(home):
    existing = FormPage.objects.child_of(home).first()
    if existing:
        return existing
    page = FormPage(title="Sign with the form builder", slug="bench-form")
    page.form_fields = [
        FormField(label=name, field_type=kind, required=required)
        for name, kind, required in FORM_FIELDS
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def body_only_page(demo, home):
    """A plain Wagtail page with the demo petition's title and body (the same
    blocks, ids included) and no petition around it."""
    existing = BodyOnlyPage.objects.child_of(home).first()
    if existing:
        return existing
    page = BodyOnlyPage(title=demo.title, slug="bench-body-only", body=demo.body.get_prep_value())
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_signatures(petition, n):
    """Insert ``n`` counted signatures in one SQL statement, set the counter and
    stamp the milestones (10, 25, ... up to ``n``) as signing would."""
    if PetitionCounter.count_for(petition_id=petition.pk) >= n:
        return
    table = Signature._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
            f"INSERT INTO {table} (petition_id, first_name, last_name, email, email_normalised,"
            " postal_code, comment, opt_in, status, source, hold_reason, ip_hash,"
            " confirmation_emails_sent, created_at)"
            " SELECT %s, 'Sam', 'Signer', 'signer' || i || '@example.org',"
            " 'signer' || i || '@example.org', '60614', 'Keep them open.', %s, 'counted',"
            " 'newsletter', '', '', 0, %s FROM n",
            [n, petition.pk, True, timezone.now()],
        )
        PetitionCounter.lock(petition_id=petition.pk)
        PetitionCounter.set_count(n, petition_id=petition.pk)
    stamp_milestones(petition)
    with connection.cursor() as cursor:
        # Settled, as a petition is long after its signatures came in: PostgreSQL's
        # autovacuum would otherwise take a core from the server during the runs.
        cursor.execute(
            f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else "ANALYZE"
        )
