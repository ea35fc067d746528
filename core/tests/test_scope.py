"""The one scope rule on Person: city staff see everything, district staff their district's
subtree, self-service roles only themselves, everybody else nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from core.models import Region
from core.scope import get_visible_or_404, regions_visible_to, scope_for
from people.models import Person
from people.services import create_person


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("city", ["万亚勇", "单秀英"]),
        ("district_a", ["万亚勇"]),
        ("district_b", ["单秀英"]),
        ("worker_a", ["万亚勇"]),
        ("worker_b", ["单秀英"]),
        ("team_leader", []),
        ("requester", []),
        ("auditor", []),
        ("sysadmin", []),
        ("secadmin", []),
        ("anonymous", []),
    ],
)
def test_visible_to(cast: Any, member: str, expected: list[str]) -> None:

    user = cast.user(member) or AnonymousUser()
    assert sorted(Person.objects.visible_to(user).values_list("name", flat=True)) == sorted(expected)


def test_district_staff_see_people_in_streets_below(cast: Any) -> None:
    street = Region.objects.get(code="330212001")
    create_person(actor=None, region=street, name="郑街道", gender="M")
    assert sorted(Person.objects.visible_to(cast.district_a).values_list("name", flat=True)) == ["万亚勇", "郑街道"]
    assert list(Person.objects.visible_to(cast.district_b).values_list("name", flat=True)) == ["单秀英"]


def test_outside_scope_is_404(cast: Any) -> None:
    assert get_visible_or_404(Person.objects.all(), cast.district_a, pk=cast.person_a.pk) == cast.person_a
    with pytest.raises(Http404):
        get_visible_or_404(Person.objects.all(), cast.district_a, pk=cast.person_b.pk)
    with pytest.raises(Http404):
        get_visible_or_404(Person.objects.all(), cast.worker_a, pk=cast.person_b.pk)


def test_scope_of_roles(cast: Any) -> None:
    assert scope_for(cast.city).everything is True
    assert scope_for(cast.district_a).region_paths == (cast.region_a.path,)
    assert scope_for(cast.worker_a).self_service is True
    assert scope_for(cast.auditor).is_empty is True


def test_regions_visible_to_district_staff_is_their_subtree(cast: Any) -> None:
    codes = set(regions_visible_to(cast.district_a).values_list("code", flat=True))
    assert "330212" in codes and "330212001" in codes
    assert all(code.startswith("330212") for code in codes)
    assert regions_visible_to(cast.city).count() == Region.objects.count()
