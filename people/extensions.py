"""The extension points the registry calls: what other apps do when a person is shown, merged or
changed. Implement one in ``<app>/hooks.py`` with the point as a decorator::

    from people import extensions as people_points

    @people_points.person_merged
    def on_person_merged(*, keep: Person, duplicate: Person, actor: User | None) -> None: ...
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Protocol

from core.extensions import ExtensionPoint

if TYPE_CHECKING:
    from core.models import User
    from people.history import Section
    from people.models import Person
    from people.panels import Panel


class PersonPanelsHook(Protocol):
    def __call__(self, *, user: Any, person: Person) -> list[Panel]: ...


class PersonHistoryHook(Protocol):
    def __call__(self, *, user: Any, person: Person) -> list[Section]: ...


class PersonMergedHook(Protocol):
    def __call__(self, *, keep: Person, duplicate: Person, actor: User | None) -> None: ...


class PersonChangedHook(Protocol):
    def __call__(self, *, person_ids: Collection[int], fields: Collection[str], actor: User | None) -> None: ...


#: ``person_panels(*, user, person)``: a panel of the app's records on the person page, for those
#: the viewer may see.
person_panels: ExtensionPoint[PersonPanelsHook] = ExtensionPoint("hooks", "person_panels")
#: ``portal_sections(*, user, person)``: the app's part of the person's own history on their phone
#: (我的服务), only what ``user`` may see of ``person``.
person_history: ExtensionPoint[PersonHistoryHook] = ExtensionPoint("hooks", "portal_sections")
#: ``on_person_merged(*, keep, duplicate, actor)``: move the app's rows from the duplicate to ``keep``;
#: runs inside the merge's transaction. Every foreign key to Person must be moved (a test checks).
person_merged: ExtensionPoint[PersonMergedHook] = ExtensionPoint("hooks", "on_person_merged")
#: ``on_person_changed(*, person_ids, fields, actor)``: refresh what the app derives from these people;
#: runs after the change is committed. ``fields`` names what changed (status, region, skills,
#: honours, merged, created, ...).
person_changed: ExtensionPoint[PersonChangedHook] = ExtensionPoint("hooks", "on_person_changed")
