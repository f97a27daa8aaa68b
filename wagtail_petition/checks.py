"""System checks: settings that would make petitions fail under load or at render."""

from itertools import islice

from django.conf import settings
from django.core.checks import Error, Warning, register

from . import conf


@register()
def check_sqlite_concurrency(app_configs, **kwargs):
    """SQLite without IMMEDIATE transactions answers concurrent signers with
    'database is locked' instead of making them wait."""
    problems = []
    for alias, database in settings.DATABASES.items():
        if not database.get("ENGINE", "").endswith("sqlite3"):
            continue
        if database.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
            problems.append(
                Warning(
                    f"SQLite database '{alias}' does not use IMMEDIATE transactions.",
                    hint=(
                        'Add "transaction_mode": "IMMEDIATE" and '
                        '"init_command": "PRAGMA journal_mode=WAL;" to its OPTIONS, '
                        "so that people signing at the same moment wait their turn "
                        "instead of getting an error."
                    ),
                    id="wagtail_petition.W001",
                )
            )
    return problems


@register()
def check_goal_ladder(app_configs, **kwargs):
    try:
        steps = list(islice(conf.goal_ladder(), 50))
    except Exception as error:  # any import or call failure is a configuration error
        return [
            Error(
                f"WAGTAILPETITION_GOAL_LADDER cannot be used: {error}",
                id="wagtail_petition.E001",
            )
        ]
    if (
        not steps
        or any(not isinstance(s, int) or s < 1 for s in steps)
        or (steps != sorted(set(steps)))
    ):
        return [
            Error(
                "WAGTAILPETITION_GOAL_LADDER must give positive whole numbers in "
                "increasing order.",
                id="wagtail_petition.E002",
            )
        ]
    return []
