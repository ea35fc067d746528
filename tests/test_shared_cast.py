"""The cast is built once per test worker (root conftest.py): no test sees another's changes,
neither in the database nor on the Python objects it is handed. The tests below run in this
order in one worker (``-p no:xdist``; under xdist a pair may land on two workers, then the
second one passes trivially)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import Role, RoleAssignment, User
from core.permissions import roles_of
from people.models import Person
from tests.cast import CAST_NAMES, Cast, login

SEEN: dict[str, int] = {}


@pytest.mark.parametrize("step", ["change", "check"])
def test_changes_to_the_cast_do_not_reach_the_next_test(step: str, cast: Cast) -> None:
    if step == "change":
        roles_of(cast.district_a)  # caches the roles on the instance
        cast.district_a._laomo_roles = {Role.CITY_STAFF}  # type: ignore[attr-defined]
        RoleAssignment.objects.filter(user=cast.team_leader).delete()
        User.objects.filter(pk=cast.city.pk).update(display_name="改过")
        cast.person_b.delete()
        SEEN["district_a"] = id(cast.district_a)
        return
    assert not hasattr(cast.district_a, "_laomo_roles")
    assert id(cast.district_a) != SEEN.get("district_a")
    assert roles_of(cast.district_a) == {Role.DISTRICT_STAFF}
    assert roles_of(cast.team_leader) == {Role.TEAM_LEADER}
    assert User.objects.get(pk=cast.city.pk).display_name == "city"
    assert Person.objects.filter(pk=cast.person_b.pk).count() == 1


def test_the_cast_is_there_once(cast: Cast) -> None:
    # built in the shared transaction, outside this test's own one
    assert len(connection.atomic_blocks) == 2
    names = [n for n in CAST_NAMES if n != "anonymous"]
    assert User.objects.filter(username__in=names).count() == len(names)
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(names)
    assert Person.objects.count() == 2
    assert cast.person_a.user == cast.worker_a
    assert cast.region_a.code == "330212"


@pytest.mark.django_db
def test_a_marked_test_gets_the_same_cast(cast: Cast) -> None:
    assert roles_of(cast.district_b) == {Role.DISTRICT_STAFF}
    response = login(Client(), cast.city).get(reverse("core:home"))
    assert response.status_code == 200


def test_a_test_without_the_cast_sees_none_of_it(db: None) -> None:
    assert User.objects.count() == 0
    assert Person.objects.count() == 0
