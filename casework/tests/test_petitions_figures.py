"""信访统计: hand-counted figures (received by district/channel/type, on-time rates, satisfaction),
scope, the page, its Excel export and the home chart."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from casework.models import DeadlineRule, PetitionCase, PetitionStatus
from casework.petitions import home, selectors, services
from tests.cast import login

pytestmark = pytest.mark.django_db


def _case(cast: Any, district: Any, received: dt.date, **kw: Any) -> PetitionCase:
    args = {"channel": "call", "kind": "inquiry", "name": "张三", "matter": "咨询", "district": district}
    case = services.register_case(actor=cast.city, received_on=received, **(args | kw))
    return case


def _close(case: PetitionCase, *, noticed: int, closed: int, satisfaction: str) -> None:
    PetitionCase.objects.filter(pk=case.pk).update(
        status=PetitionStatus.CLOSED,
        noticed_on=case.received_on + dt.timedelta(days=noticed),
        closed_on=case.received_on + dt.timedelta(days=closed),
        answer="已答复",
        satisfaction=satisfaction,
    )


@pytest.fixture
def cases(cast: Any) -> list[PetitionCase]:
    DeadlineRule.objects.update(working_days=False)  # hand-counted in calendar days (15 / 60)
    d = dt.date(2021, 3, 1)
    a1 = _case(cast, cast.region_a, d, channel="call", kind="inquiry", mobile="13800000001")
    a2 = _case(cast, cast.region_a, d, channel="letter", kind="complaint", mobile="13800000002")
    a3 = _case(cast, cast.region_a, dt.date(2021, 4, 2), channel="visit", kind="complaint", mobile="13800000003")
    b1 = _case(cast, cast.region_b, d, channel="call", kind="suggestion", mobile="13800000004")
    old = _case(cast, cast.region_b, dt.date(2020, 5, 5), channel="online", kind="appeal", mobile="13800000005")
    _close(a1, noticed=10, closed=30, satisfaction="satisfied")  # both on time
    _close(a2, noticed=16, closed=61, satisfaction="unsatisfied")  # notice late, closing late
    _close(b1, noticed=15, closed=60, satisfaction="basic")  # on the last day: on time
    _close(old, noticed=3, closed=20, satisfaction="satisfied")
    return [a1, a2, a3, b1, old]


def test_figures_hand_counted(cast: Any, cases: list[PetitionCase]) -> None:
    f = selectors.figures(cast.city, year=2021)
    assert f["total"] == 4
    by = {r["name"]: r for r in f["by_district"]}
    a = by[cast.region_a.name]
    assert (a["total"], a["call"], a["letter"], a["visit"], a["online"]) == (3, 1, 1, 1, 0)
    assert (a["complaint"], a["inquiry"], a["suggestion"]) == (2, 1, 0)
    assert by[cast.region_b.name]["suggestion"] == 1
    assert f["on_time"] == {
        "noticed": 3,
        "noticed_on_time": 2,
        "notice_rate": 66.7,
        "closed": 3,
        "closed_on_time": 2,
        "closing_rate": 66.7,
    }
    sat = {s["key"]: (s["n"], s["pct"]) for s in f["satisfaction"]}
    assert sat == {"satisfied": (1, 33.3), "basic": (1, 33.3), "unsatisfied": (1, 33.3)}
    months = {m["period"]: m for m in f["by_period"]}
    assert len(months) == 12 and months["2021-03"]["call"] == 2 and months["2021-04"]["visit"] == 1
    assert months["2021-05"]["call"] == 0
    everything = selectors.figures(cast.city)
    assert everything["total"] == 5
    assert [(p["period"], p["online"]) for p in everything["by_period"]] == [("2020", 1), ("2021", 0)]
    assert selectors.figures(cast.city, district=cast.region_b.pk)["total"] == 2


def test_district_staff_count_only_their_district(cast: Any, cases: list[PetitionCase]) -> None:
    f = selectors.figures(cast.district_b)
    assert f["total"] == 2
    assert [r["name"] for r in f["by_district"]] == [cast.region_b.name]
    # asking for another district's figures gives nothing, never its numbers
    assert selectors.figures(cast.district_b, district=cast.region_a.pk)["total"] == 0


def test_figures_page_export_and_home_chart(cast: Any, cases: list[PetitionCase], client: Any) -> None:
    login(client, cast.city)
    url = reverse("casework:petitions_figures")
    page = client.get(url, {"year": "2021"}).content.decode()
    assert "按期告知率" in page and "66.7%" in page
    assert "petitions-chart-data" in page and "casework_petitions_figures.js" in page
    assert "<script>" not in page.split("petitions-chart-data")[0].rsplit("</script>", 1)[-1]
    assert client.get(url, {"year": "abc", "district": "999999"}).status_code == 200
    response = client.get(url, {"year": "2021", "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("区县(市)", "合计")
    assert rows[-1][:2] == ("合计", 4)
    chart = home.charts(cast.city)[0]
    assert chart.categories == ["2020", "2021"]
    assert sum(sum(s["data"]) for s in chart.series) == 5
    card = home.cards(cast.district_a)[0]
    assert card.value == "1"  # a3 is still open
    assert home.charts(cast.requester) == [] and home.cards(cast.requester) == []
