"""The person page gathers every app's panel for the viewer (the whole history in one place)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from people.panels import panels_for


def test_person_page_shows_the_technical_help_panel_to_staff(cast: Any, client_for: Any) -> None:
    page = client_for("district_a").get(reverse("people:detail", args=[cast.person_a.pk]))
    assert page.status_code == 200
    titles = [p.title for p in page.context["panels"]]
    assert "技术帮扶" in titles
    assert page.context["panels"][titles.index("技术帮扶")].rows == []


def test_panels_follow_the_viewers_permissions(cast: Any) -> None:
    assert panels_for(user=cast.worker_a, person=cast.person_a) == []
