"""casework.hardship: what it does when a person is shown, merged or changed (called by ``casework/hooks.py``).

``on_person_merged`` must name every model of this part with a foreign key to Person (a test reads
this module): HardshipFile, CareVisit (and its visitor_people), PlanTarget."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from casework.hardship import selectors, services
from core.models import Actor
from core.permissions import has_perm
from people.history import Section
from people.panels import Panel


def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    # HardshipFile.person, CareVisit.person, CareVisit.visitor_people, PlanTarget.person
    services.move_person_rows(keep=keep, duplicate=duplicate)


def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    if "status" in fields:
        services.flag_deceased(person_ids=person_ids, actor=actor)


def person_panels(*, user: Any, person: Any) -> list[Panel]:
    if not has_perm(user, "casework.hardship_view"):
        return []
    rows = selectors.person_timeline(user, person)
    more = ""
    if has_perm(user, "casework.hardship_manage"):
        more = reverse("casework:hardship_create") + f"?person={person.pk}"
    return [
        Panel(
            title=_("困难帮扶与走访慰问"),
            headers=[_("日期"), _("类别"), _("内容")],
            rows=[[r[0], r[1], r[2]] for r in rows[:30]],
            row_urls=[r[3] for r in rows[:30]],
            more_url=more,
        )
    ]


def portal_sections(*, user: Any, person: Any) -> list[Section]:
    return []
