from __future__ import annotations

from typing import Any

from core.models import Actor
from people import extensions as people_points
from people.models import Person
from people.panels import Panel
from tests.sample_app.models import Visit


@people_points.person_merged
def on_person_merged(*, keep: Person, duplicate: Person, actor: Actor) -> None:
    Visit.objects.filter(person=duplicate).update(person=keep)


@people_points.person_panels
def person_panels(*, user: Any, person: Person) -> list[Panel]:
    rows = [[v.note] for v in Visit.objects.visible_to(user).filter(person=person)]
    return [Panel(title="走访样例", headers=["记录"], rows=rows)]
