"""The person picker on the team forms: search as you type and 选用 through htmx fragments, scoped."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_search_returns_people_in_scope(cast: Any, client_for: Any) -> None:
    url = reverse("volunteering:team_person_search")
    r = client_for("district_a").get(url, {"field": "person", "q": "万亚"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "万亚勇" in html and f"pick={cast.person_a.pk}" in html and 'hx-target="#id_person"' in html
    assert "单秀英" not in client_for("district_a").get(url, {"field": "person", "q": "单秀"}).content.decode()
    assert client_for("district_a").get(url, {"field": "person", "q": ""}).content == b""
    assert client_for("district_a").get(url, {"field": "other", "q": "万"}).status_code == 404


def test_pick_fills_the_field_and_refuses_outside_scope(cast: Any, client_for: Any) -> None:
    url = reverse("volunteering:team_person_pick")
    r = client_for("district_a").get(url, {"field": "leader", "pick": cast.person_a.pk})
    html = r.content.decode()
    assert f'name="leader" id="id_leader" value="{cast.person_a.pk}"' in html
    assert 'hx-swap-oob="true"' in html and "万亚勇" in html
    assert client_for("district_b").get(url, {"field": "leader", "pick": cast.person_a.pk}).status_code == 404
    assert client_for("district_a").get(url, {"field": "leader", "pick": "²"}).status_code == 404
    assert client_for("worker_a").get(url, {"field": "leader", "pick": cast.person_a.pk}).status_code == 403
