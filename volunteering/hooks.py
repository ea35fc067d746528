"""The registry's hooks: each part's (teams, incidents, operations), in order. The merge test reads every
part's ``hooks.py``."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from core.models import Actor
from people import extensions as people_points
from people.history import Section
from people.panels import Panel
from volunteering.parts import PARTS


@people_points.person_merged
def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    PARTS.call("hooks", "on_person_merged", keep=keep, duplicate=duplicate, actor=actor)


@people_points.person_changed
def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    PARTS.call("hooks", "on_person_changed", person_ids=person_ids, fields=fields, actor=actor)


@people_points.person_panels
def person_panels(*, user: Any, person: Any) -> list[Panel]:
    return PARTS.gather("hooks", "person_panels", user=user, person=person)


@people_points.person_history
def portal_sections(*, user: Any, person: Any) -> list[Section]:
    return PARTS.gather("hooks", "portal_sections", user=user, person=person)
