"""Everything the new app takes part in, reached only because it is in INSTALLED_APPS."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.permissions import role_permissions
from people.services import create_person, merge_people
from tests.sample_app.models import Visit


def test_its_permissions_are_collected() -> None:
    assert "sample.view" in role_permissions()["city_staff"]


def test_its_menu_group_shows(cast: Any, client_for: Any) -> None:
    menu = client_for("district_a").get(reverse("core:home")).context["nav_menu"]
    assert [(g["title"], [i["label"] for i in g["items"]]) for g in menu if g["title"] == "样例"] == [
        ("样例", ["走访样例"])
    ]


def test_its_api_router_is_mounted(cast: Any, client_for: Any) -> None:
    Visit.objects.create(person=cast.person_a, note="春节走访")
    assert client_for("district_a").get("/api/sample/visits").json() == ["春节走访"]
    assert client_for("district_b").get("/api/sample/visits").json() == []


def test_a_merge_moves_its_rows_and_its_panel_shows(cast: Any, client_for: Any) -> None:

    duplicate = create_person(actor=None, region=cast.region_a, name="万亚勇", gender="M", status="working")
    Visit.objects.create(person=duplicate, note="住院慰问")
    merge_people(actor=cast.city, keep=cast.person_a, duplicate=duplicate)
    assert list(Visit.objects.values_list("person_id", flat=True)) == [cast.person_a.pk]
    page = client_for("city").get(reverse("people:detail", args=[cast.person_a.pk]))
    assert [(p.title, p.rows) for p in page.context["panels"] if p.title == "走访样例"] == [
        ("走访样例", [["住院慰问"]])
    ]
