"""The staff home page: figures from records, scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation

from core.templatetags.laomo import action_label
from people.models import HonourTitle
from people.services import add_honour


def _cards(page: Any) -> dict[str, str]:
    return {c.label: c.value for c in page.context["cards"]}


def test_home_counts_people_in_the_viewers_scope(cast: Any, client_for: Any) -> None:
    city = _cards(client_for("city").get(reverse("core:home")))
    district_a = _cards(client_for("district_a").get(reverse("core:home")))
    assert city["在册劳模工匠"] == "2"
    assert district_a["在册劳模工匠"] == "1"


def test_home_chart_stacks_people_by_district_and_level(cast: Any, client_for: Any) -> None:

    add_honour(actor=None, person=cast.person_a, title=HonourTitle.objects.get(name="全国五一劳动奖章"), year=2015)
    page = client_for("district_a").get(reverse("core:home"))
    chart = page.context["charts"][0]
    assert chart.categories == ["鄞州区"]
    assert {s["name"]: s["data"] for s in chart.series} == {"全国级": [0], "省部级": [1], "市级": [0], "区县级": [0]}


def test_auditor_home_has_no_registry_figures(cast: Any, client_for: Any) -> None:
    page = client_for("auditor").get(reverse("core:home"))
    assert page.context["cards"] == []


def test_audit_action_labels_read_as_words() -> None:

    translation.activate("zh-hans")  # an earlier request in this worker may have left English active
    assert action_label("people.person.updated") == "人员库·修改"
    assert action_label("payments.round.approved") == "慰问金·批准"
    assert action_label("census.link.withdrawn") == "普查·撤回"
    assert action_label("core.demo.loaded") == "系统·载入"
    assert action_label("unknown") == "unknown"
