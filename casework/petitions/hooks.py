"""casework.petitions: what it does when a person is shown, merged or changed (called by ``casework/hooks.py``).

``on_person_merged`` must name every model of this part with a foreign key to Person (a test reads
this module)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from core.models import Actor
from people.history import Section
from people.panels import Panel


def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    from casework.models import PetitionCase  # noqa: PLC0415

    PetitionCase.objects.filter(person=duplicate).update(person=keep)


def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    pass


def person_panels(*, user: Any, person: Any) -> list[Panel]:
    return []


def portal_sections(*, user: Any, person: Any) -> list[Section]:
    return []
