"""volunteering.incidents: what it does when a person is shown, merged or changed (called by ``volunteering/hooks.py``).

``on_person_merged`` must name every model of this part with a foreign key to Person (a test reads
this module)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from core.models import Actor
from people.history import Section
from people.panels import Panel
from volunteering.models import Answer, CallOutAnswer


def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    """CallOutAnswer rows move to ``keep``; where ``keep`` was called in the same call-out, the
    duplicate's row goes unless it holds the only answer (then it replaces ``keep``'s pending one)."""

    for row in CallOutAnswer.objects.filter(person=duplicate):
        mine = CallOutAnswer.objects.filter(person=keep, callout_id=row.callout_id).first()
        if mine is None:
            continue
        if mine.answer == Answer.PENDING and row.answer != Answer.PENDING:
            mine.delete()
        else:
            row.delete()
    CallOutAnswer.objects.filter(person=duplicate).update(person=keep)


def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    pass


def person_panels(*, user: Any, person: Any) -> list[Panel]:
    return []


def portal_sections(*, user: Any, person: Any) -> list[Section]:
    return []
