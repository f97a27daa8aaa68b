"""A petition's count spread over several counter rows (shards): the single
row becomes shard 0 of a new table, which then takes the old table's name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_counts(apps, schema_editor):
    old = apps.get_model("wagtail_petition", "PetitionCounter")
    new = apps.get_model("wagtail_petition", "PetitionCounterShard")
    new.objects.bulk_create(
        new(petition_id=petition_id, shard=0, count=count)
        for petition_id, count in old.objects.values_list("petition_id", "count").iterator()
    )


def copy_counts_back(apps, schema_editor):
    old = apps.get_model("wagtail_petition", "PetitionCounter")
    new = apps.get_model("wagtail_petition", "PetitionCounterShard")
    totals = new.objects.values("petition_id").annotate(total=models.Sum("count"))
    old.objects.bulk_create(
        old(petition_id=row["petition_id"], count=row["total"]) for row in totals
    )


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_petition", "0001_initial"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PetitionCounterShard",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("count", models.PositiveBigIntegerField(default=0, verbose_name="count")),
                ("shard", models.PositiveSmallIntegerField(default=0, verbose_name="shard")),
                (
                    "petition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="counter_shards",
                        to=settings.WAGTAIL_PAGE_MODEL,
                        verbose_name="petition",
                    ),
                ),
            ],
            options={
                "verbose_name": "signature counter",
                "verbose_name_plural": "signature counters",
            },
        ),
        migrations.RunPython(copy_counts, copy_counts_back),
        migrations.DeleteModel(name="PetitionCounter"),
        migrations.RenameModel(old_name="PetitionCounterShard", new_name="PetitionCounter"),
        migrations.AddConstraint(
            model_name="petitioncounter",
            constraint=models.UniqueConstraint(
                fields=("petition", "shard"), name="wagtail_petition_one_counter_per_shard"
            ),
        ),
    ]
