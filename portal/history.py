"""我的服务: a model worker's own history, gathered from every app's ``person_history`` hook."""

from __future__ import annotations

from typing import Any

from people import extensions as people_points
from people.history import Section


def sections_for(*, user: Any, person: Any) -> list[Section]:
    sections = [s for make in people_points.person_history.implementations() for s in make(user=user, person=person)]
    return sorted(sections, key=lambda s: s.order)
