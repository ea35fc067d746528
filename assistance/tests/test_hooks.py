from __future__ import annotations

from typing import Any

import pytest

from assistance.models import Invitation, VisitPerson
from assistance.tests import factories as f
from people.services import create_person, merge_people

pytestmark = pytest.mark.django_db


def test_merge_moves_invitations_and_visits(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    r = f.with_visit(cast)
    twin = create_person(actor=None, region=cast.region_a, name="万亚勇", status="working", gender="M")
    with django_capture_on_commit_callbacks(execute=True):
        merge_people(actor=cast.city, keep=twin, duplicate=cast.person_a)
    assert list(Invitation.objects.filter(request=r).values_list("person_id", flat=True)) == [twin.pk]
    assert list(VisitPerson.objects.filter(visit__request=r).values_list("person_id", flat=True)) == [twin.pk]
