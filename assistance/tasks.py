"""Background work of technical help (django-tasks: in-process by default, ``db_worker`` in production)."""

from __future__ import annotations

from django_tasks import task

from assistance.matching import refresh_profiles


@task()
def refresh_match_profiles(person_ids: list[int] | None = None) -> int:
    """Recompute matching data: these people (after a visit, outcome or rating), or everyone."""
    return refresh_profiles(person_ids)
