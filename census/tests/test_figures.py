"""One set of figures per campaign: the cards, the table, the home page, the export and the
closing summary read the same selector and agree."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django.urls import reverse

from census import selectors, services
from census.models import Campaign, Source
from core.models import AuditEntry
from people.services import create_person

from .helpers import make_id


def _campaign_with_records(cast: Any) -> Campaign:
    """鄞州: 6 people (3 confirmed, 1 unreachable, 1 changed, 1 pending); 海曙: 3 people
    (1 confirmed, 1 deceased, 1 pending)."""
    for i, name in enumerate(["甲一", "甲二", "甲三", "甲四", "甲五"], start=1):
        create_person(actor=None, region=cast.region_a, name=name, id_number=make_id("330212", "19700101", f"{i:03d}"))
    for i, name in enumerate(["乙一", "乙二"], start=1):
        create_person(actor=None, region=cast.region_b, name=name, id_number=make_id("330203", "19700101", f"{i:03d}"))
    campaign = services.open_campaign(actor=cast.city, year=2026)
    records = {r.person.name: r for r in campaign.records.select_related("person")}
    for name in ["万亚勇", "甲一", "甲二", "单秀英"]:
        services.confirm_record(actor=cast.city, record=records[name])
    services.mark_unreachable(actor=cast.city, record=records["甲三"], reason="电话停机")
    services.propose_changes(actor=cast.city, record=records["甲四"], data={"address": "新地址"}, source=Source.STAFF)
    services.record_death(actor=cast.city, record=records["乙一"], date=dt.date(2026, 1, 5))
    return campaign


def _home_card(client: Any) -> tuple[str, str]:
    page = client.get(reverse("core:home"))
    card = next(c for c in page.context["cards"] if "普查完成率" in c.label)
    return card.value, card.note


def test_cards_table_home_and_export_agree_for_a_district(cast: Any, client_for: Any) -> None:
    campaign = _campaign_with_records(cast)
    client = client_for("city")
    url = reverse("census:campaign", kwargs={"pk": campaign.pk})

    table = {r["name"]: (r["total"], r["surveyed"], r["percent"]) for r in client.get(url).context["rows"]}
    assert table == {"鄞州区": (6, 3, 50.0), "海曙区": (3, 2, 66.7)}

    # The district's own page: its cards say what its row in the table says.
    district_page = client.get(url, {"district": cast.region_a.pk})
    counts = district_page.context["counts"]
    assert (counts["total"], counts["surveyed"], counts["percent"]) == (6, 3, 50.0)
    assert (counts["confirmed"], counts["unreachable"], counts["changed"], counts["pending"]) == (3, 1, 1, 1)
    html = district_page.content.decode()
    assert '<div class="value" id="stat-total">6</div>' in html
    assert '<span id="stat-percent">50.0</span>' in html
    assert (
        district_page.context["summary_text"]
        == "普查 3 人，确认无误 3 人，更正 0 人，去世 0 人，无法联系 1 人，未联系 1 人"
    )

    # The whole city: cards, home page and the campaign list.
    city = client.get(url).context["counts"]
    assert (city["total"], city["surveyed"], city["percent"]) == (9, 5, 55.6)
    assert _home_card(client) == ("55.6%", "已完成 5 / 9 人")
    listed = dict(client.get(reverse("census:campaigns")).context["rows"])[campaign]
    assert (listed["total"], listed["surveyed"]) == (9, 5)

    # District staff see their district only, everywhere.
    assert _home_card(client_for("district_a")) == ("50.0%", "已完成 3 / 6 人")
    home_chart = next(
        c for c in client_for("district_a").get(reverse("core:home")).context["charts"] if "普查" in c.title
    )
    assert (home_chart.categories, [s["data"] for s in home_chart.series]) == (["鄞州区"], [[3], [3]])

    # The export: the same rows and the same total.
    export = client.get(reverse("census:progress_export", kwargs={"pk": campaign.pk}))
    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert ws is not None
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert values[0] == [
        "区县(市)",
        "应普查",
        "未联系",
        "确认无误",
        "有变更待审核",
        "已审核",
        "无法联系",
        "已去世",
        "已完成",
        "完成率(%)",
    ]
    assert values[1:] == [
        ["鄞州区", 6, 1, 3, 1, 0, 1, 0, 3, 50],
        ["海曙区", 3, 1, 1, 0, 0, 0, 1, 2, 66.7],
        ["合计", 9, 2, 4, 1, 0, 1, 1, 5, 55.6],
    ]
    entry = AuditEntry.objects.get(action="census.progress.exported")
    assert (entry.actor, entry.object_id, entry.changes) == (cast.city, str(campaign.pk), {"rows": 2, "district": None})


def test_closing_summary_is_the_figures_of_the_whole_campaign(cast: Any) -> None:
    campaign = _campaign_with_records(cast)
    pending = campaign.records.get(person__name="甲四").proposals.get()
    services.review_proposal(actor=cast.city, proposal=pending, decisions={pending.changes.get().pk: False})
    figures = selectors.campaign_figures(None, campaign)["total"]
    closed = services.close_campaign(actor=cast.city, campaign=campaign)
    assert closed.summary == selectors.summary_of(figures) | {"text": closed.summary["text"]}
    assert closed.summary["text"] == "普查 6 人，确认无误 5 人，更正 0 人，去世 1 人，无法联系 1 人，未联系 2 人"
