"""Signatures, the signature counter and milestones."""

import random

from django.db import connections, models, router
from django.db.models import F, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class AbstractCounter(models.Model):
    """A count kept in a row of its own and changed only by ``F()`` increments,
    so concurrent writers never overwrite each other and reading it is O(1)."""

    # Not content: Wagtail's reference index would add rows on every signature.
    wagtail_reference_index_ignore = True

    count = models.PositiveBigIntegerField(verbose_name=_("count"), default=0)

    class Meta:
        abstract = True

    @classmethod
    def count_for(cls, **key) -> int:
        """The count identified by ``key``: 0 before its row exists."""
        return cls.sum_for(key)

    @classmethod
    def sum_for(cls, key: dict) -> int:
        """The sum of the counts of the rows matching ``key`` (fields by
        attname), in SQL written out: pages read counts on every view, and the
        ORM's building of the query cost more than the database's answer."""
        connection = connections[router.db_for_read(cls)]
        name = connection.ops.quote_name
        columns = {field.attname: field.column for field in cls._meta.concrete_fields}
        where = " AND ".join(f"{name(columns[attname])} = %s" for attname in key)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT SUM({name('count')}) FROM {name(cls._meta.db_table)} WHERE {where}",
                list(key.values()),
            )
            (total,) = cursor.fetchone()
        return int(total or 0)

    @classmethod
    def add(cls, n: int, **key) -> None:
        """Add ``n`` to the count identified by ``key``, creating its row on first
        use. The UPDATE holds the row (PostgreSQL) or the database (SQLite) until
        the transaction commits."""
        rows = cls.objects.filter(**key)
        if not rows.update(count=F("count") + n):
            cls.objects.get_or_create(**key)
            rows.update(count=F("count") + n)


class PostalCode(models.TextChoices):
    """Whether a petition's signers are asked for their postal code."""

    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")
    HIDDEN = "hidden", _("Not asked")


class HoldReason(models.TextChoices):
    HONEYPOT = "honeypot", _("Filled a field only bots see")
    RATE_LIMIT = "rate_limit", _("Too many signatures from one address")
    ORGANIZER = "organizer", _("Held by an organizer")
    BLOCKED = "blocked", _("Address or domain blocked by an organizer")


class Signature(models.Model):
    # Not content: Wagtail's reference index would add rows on every signature.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        COUNTED = "counted", _("Counted")
        PENDING = "pending", _("Awaiting confirmation")
        HELD = "held", _("Held back")

    HoldReason = HoldReason

    petition = models.ForeignKey(
        Page,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    # Blank only once anonymised: the sign form requires them.
    first_name = models.CharField(verbose_name=_("first name"), max_length=100, blank=True)
    last_name = models.CharField(verbose_name=_("last name"), max_length=100, blank=True)
    email = models.EmailField(verbose_name=_("email"), max_length=254, blank=True)
    email_normalised = models.CharField(
        verbose_name=_("normalised email"),
        # Case-folding can make an address up to three times longer ("ß" -> "ss").
        max_length=3 * 254,
        editable=False,
        help_text=_("The address as compared for duplicates."),
    )
    postal_code = models.CharField(verbose_name=_("postal code"), max_length=20, blank=True)
    comment = models.TextField(verbose_name=_("comment"), max_length=1000, blank=True)
    opt_in = models.BooleanField(verbose_name=_("wants updates"), default=False)
    list_publicly = models.BooleanField(
        verbose_name=_("agrees to be listed"),
        default=False,
        help_text=_(
            "The signer agreed to have their name and postal code area listed in the "
            "petition delivered to its targets."
        ),
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.COUNTED,
    )
    source = models.CharField(
        verbose_name=_("source"),
        max_length=100,
        blank=True,
        help_text=_("The ?source= code of the link the signer came from."),
    )
    referral_code = models.CharField(
        verbose_name=_("referral code"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The code in this signer's own share links."),
    )
    referred_by = models.CharField(
        verbose_name=_("referred by"),
        max_length=16,
        blank=True,
        help_text=_("The referral code of the share link the signer came from."),
    )
    language = models.CharField(
        verbose_name=_("language"),
        max_length=16,
        blank=True,
        editable=False,
        help_text=_("The language of the page the signature was made on, e.g. 'es'."),
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("text signed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("The page revision that was live when the signature was made."),
    )
    hold_reason = models.CharField(
        verbose_name=_("held because"),
        max_length=16,
        choices=HoldReason.choices,
        blank=True,
        help_text=_("Why the signature was held back when it arrived, if it was."),
    )
    ip_hash = models.CharField(
        verbose_name=_("address hash"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("A keyed hash of the signer's IP address, never the address itself."),
    )
    confirmation_emails_sent = models.PositiveSmallIntegerField(
        verbose_name=_("confirmation emails sent"), default=0, editable=False
    )
    confirmed_at = models.DateTimeField(
        verbose_name=_("confirmed at"), null=True, blank=True, editable=False
    )
    counted_at = models.DateTimeField(
        verbose_name=_("first counted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the signature first counted: signed, confirmed or restored."),
    )
    created_at = models.DateTimeField(verbose_name=_("signed at"), default=timezone.now)
    anonymised_at = models.DateTimeField(
        verbose_name=_("anonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the signer's personal data was removed."),
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        # Signatures come from visitors: no "add" permission. "change" holds and
        # restores, "delete" erases a person.
        default_permissions = ("view", "change", "delete")
        permissions = [("export_signature", _("Can export signatures"))]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "email_normalised"],
                name="wagtail_petition_one_signature_per_email",
            )
        ]
        indexes = [
            models.Index(fields=["petition", "created_at"]),
            models.Index(fields=["petition", "status"]),
            models.Index(fields=["petition", "referred_by"]),
            # The admin's listing of every petition's signatures, newest first.
            models.Index(fields=["created_at"]),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def counts(self) -> bool:
        return self.status == self.Status.COUNTED

    @property
    def opt_in_confirmed(self) -> bool:
        """Whether "wants updates" is consent: ticked, and the address proven by
        confirming it. Anyone can type anyone's address in the form."""
        return self.opt_in and self.confirmed_at is not None

    opt_in_confirmed.fget.short_description = _("wants updates, address confirmed")

    @property
    def signed_text_at(self):
        """When the revision of the text the signer saw was made (None if unknown)."""
        return self.revision.created_at if self.revision_id else None

    signed_text_at.fget.short_description = _("text signed")


class PetitionCounterManager(models.Manager):
    def count_and_highest_milestone(self, petition_id) -> tuple[int, int | None]:
        """The petition's count and its highest stamped milestone, in one
        statement written out by hand: it runs after every signature, and the
        ORM's building of it cost more than the database's answer. Read from the
        database signatures are written to, which has the latest count."""
        connection = connections[router.db_for_write(self.model)]
        name = connection.ops.quote_name
        counters, milestones = name(self.model._meta.db_table), name(Milestone._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT SUM({name('count')}) FROM {counters} WHERE petition_id = %s),"
                f" (SELECT MAX(threshold) FROM {milestones} WHERE petition_id = %s)",
                [petition_id, petition_id],
            )
            count, highest = cursor.fetchone()
        return int(count or 0), highest


class PetitionCounter(AbstractCounter):
    """A petition's signature count: the sum of up to ``SHARDS`` rows.

    Each signature adds 1 to a row picked at random, so concurrent signers of
    one petition seldom wait for each other's row lock until commit (on
    PostgreSQL one row measurably slowed eight signing processes), and reading
    the count sums a handful of rows. The rows are apart from the page's, so
    publishing a revision never touches them."""

    SHARDS = 8

    petition = models.ForeignKey(
        Page,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="counter_shards",
    )
    shard = models.PositiveSmallIntegerField(verbose_name=_("shard"), default=0)

    objects = PetitionCounterManager()

    class Meta:
        verbose_name = _("signature counter")
        verbose_name_plural = _("signature counters")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "shard"], name="wagtail_petition_one_counter_per_shard"
            )
        ]

    def __str__(self):
        return f"{self.petition_id}/{self.shard}: {self.count}"

    @classmethod
    def count_for(cls, *, petition_id) -> int:
        return cls.sum_for({"petition_id": petition_id})

    @classmethod
    def add(cls, n: int, *, petition_id) -> None:
        super().add(n, petition_id=petition_id, shard=random.randrange(cls.SHARDS))

    @classmethod
    def lock(cls, *, petition_id) -> None:
        """Create every row of the petition's count and lock them all until the
        transaction commits: signers then wait, so that none slips in between
        a count of the signature rows and ``set_count()``."""
        cls.objects.bulk_create(
            [cls(petition_id=petition_id, shard=shard) for shard in range(cls.SHARDS)],
            ignore_conflicts=True,
        )
        list(cls.objects.select_for_update().filter(petition_id=petition_id))

    @classmethod
    def set_count(cls, count: int, *, petition_id) -> None:
        """Make ``count`` the petition's count; call after ``lock()``."""
        rows = cls.objects.filter(petition_id=petition_id)
        rows.update(count=0)
        rows.filter(shard=0).update(count=count)

    @classmethod
    def total(cls, petition_id="pk") -> Subquery:
        """Each page's count, as a subquery to annotate a page queryset with
        (None for a page never signed): of the petition whose id is in the
        field (or annotation) ``petition_id``."""
        return Subquery(
            cls.objects.filter(petition_id=OuterRef(petition_id))
            .values("petition_id")
            .annotate(total=Sum("count"))
            .values("total")
        )


class MilestoneManager(models.Manager):
    def latest(self, petition_id, limit: int) -> list["Milestone"]:
        """The petition's ``limit`` highest milestones, newest first, in SQL
        written out for the same reason as ``AbstractCounter.sum_for()``."""
        name = connections[router.db_for_read(self.model)].ops.quote_name
        columns = ", ".join(name(field.column) for field in self.model._meta.concrete_fields)
        sql = (
            f"SELECT {columns} FROM {name(self.model._meta.db_table)}"
            f" WHERE {name('petition_id')} = %s ORDER BY {name('threshold')} DESC LIMIT %s"
        )
        return list(self.raw(sql, [petition_id, limit]))


class Milestone(models.Model):
    """The moment a petition's count first reached a threshold."""

    # Not content: Wagtail's reference index would add rows on every signature.
    wagtail_reference_index_ignore = True

    petition = models.ForeignKey(
        Page,
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    threshold = models.PositiveBigIntegerField(verbose_name=_("threshold"))
    reached_at = models.DateTimeField(verbose_name=_("reached at"))
    alerted_at = models.DateTimeField(
        verbose_name=_("alert sent at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the petition's alert recipients were emailed about it."),
    )

    objects = MilestoneManager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["-threshold"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "threshold"],
                name="wagtail_petition_one_milestone_per_threshold",
            )
        ]

    def __str__(self):
        return f"{self.threshold} ({self.reached_at:%Y-%m-%d %H:%M})"
