"""volunteering.operations: on a person shown, merged or changed (called by ``volunteering/hooks.py``).

``on_person_merged`` must name every model of this part with a foreign key to Person (a test reads
this module)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from core.models import Actor
from people.history import Section
from people.panels import Panel
from volunteering.models import Dispatch, DispatchStatus


def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    """Dispatch rows move to ``keep``; if both were on an active task, the duplicate's is cancelled
    (a person is never on two tasks at once)."""
    active = (DispatchStatus.DISPATCHED, DispatchStatus.ON_SITE)
    if Dispatch.objects.filter(person=keep, status__in=active).exists():
        Dispatch.objects.filter(person=duplicate, status__in=active).update(status=DispatchStatus.CANCELLED)
    Dispatch.objects.filter(person=duplicate).update(person=keep)


def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    pass


def person_panels(*, user: Any, person: Any) -> list[Panel]:
    return []


def portal_sections(*, user: Any, person: Any) -> list[Section]:
    return []
