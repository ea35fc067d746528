"""Telling other apps that people changed.

Apps that keep rows or derived data about people answer through people's extension points
(``people/extensions.py``) in their ``<app>/hooks.py``:
``on_person_merged(*, keep, duplicate, actor)`` (inside the merge's transaction, to move rows) and
``on_person_changed(*, person_ids, fields, actor)`` (after the change is committed, to refresh
what they derived: technical help's match profiles, for one). ``fields`` names what changed:
person fields (``status``, ``region``, ``name``, ...) and ``created``, ``honours``, ``skills``,
``merged``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from core.models import Actor
from people import extensions

# Technical help and others only care about these; a change of a phone number notifies nobody.
CREATED = "created"
HONOURS = "honours"
SKILLS = "skills"
MERGED = "merged"


def person_changed(*, person_ids: Iterable[int], fields: Iterable[str], actor: Actor) -> None:
    """Once the current transaction commits (at once outside one), tell every app's
    ``on_person_changed`` that these people changed in these fields."""
    ids, changed = sorted(set(person_ids)), frozenset(fields)
    if not ids or not changed:
        return

    def tell() -> None:
        for on_changed in extensions.person_changed.implementations():
            on_changed(person_ids=ids, fields=changed, actor=actor)

    transaction.on_commit(tell)
