"""trips.checkups: the staff home card and chart (this campaign's coverage per district), scoped;
the phone page's reminder block."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trips.checkups import home, selectors, services
from trips.tests import checkups_factories as f

pytestmark = pytest.mark.django_db


def test_home_card_and_chart_are_the_coverage_figures_in_scope(cast):
    c = f.campaign()
    services.refresh_profiles([cast.person_a.pk, cast.person_b.pk])
    f.attended(cast)  # person_a (鄞州) attended
    services.book_slot(actor=cast.city, person=cast.person_b, slot=f.slot())  # person_b (海曙) booked

    city_total = selectors.coverage(cast.city, c)[-1]
    [card] = home.cards(cast.city)
    assert card.value == f"{city_total.coverage}%"
    assert card.url == reverse("trips:checkups_coverage", args=[c.pk])
    [chart] = home.charts(cast.city)
    rows = selectors.coverage(cast.city, c)[:-1]
    assert chart.categories == [r.name for r in rows]
    assert [s["data"] for s in chart.series] == [
        [r.due for r in rows],
        [r.booked for r in rows],
        [r.attended for r in rows],
    ]
    assert len(chart.categories) >= 2

    # district A sees only its own district: person_a attended
    [a_chart] = home.charts(cast.district_a)
    assert a_chart.categories == [cast.person_a.district.name]
    assert a_chart.series[2]["data"] == [1]
    [b_card] = home.cards(cast.district_b)
    assert b_card.value == "0.0%"

    assert home.cards(cast.worker_a) == [] and home.charts(cast.worker_a) == []


def test_home_page_shows_the_card(cast, client_for):
    f.campaign()
    page = client_for("district_a").get(reverse("core:home")).content.decode()
    assert "年度体检到检率" in page


def test_phone_page_shows_the_reminder_block_and_messages(cast, client_for):
    slot = f.slot(2, days=1)
    slot.hospital.phone = "0574-87085588"
    slot.hospital.notes = "请从门诊楼三楼体检中心进入"
    slot.hospital.save()
    phone = client_for("worker_a")
    phone.post(reverse("trips:checkups_mine"), {"slot": slot.pk})
    page = phone.get(reverse("trips:checkups_mine")).content.decode()
    for text in (
        "明天体检",
        f"{slot.date.year}年{slot.date.month}月{slot.date.day}日",
        "08:00-10:00",
        "宁波市第一医院",
        "柳汀街59号",
        "0574-87085588",
        "请带好",
        "身份证",
        "空腹",
        "请从门诊楼三楼体检中心进入",
        "我要改约",
        "取消预约",
    ):
        assert text in page, text
    assert "提醒消息" not in page
    assert services.send_reminders() == 1
    page = phone.get(reverse("trips:checkups_mine")).content.decode()
    assert "提醒消息" in page and "明天体检提醒" in page
    # someone else's reminders never show
    assert "明天体检提醒" not in client_for("worker_b").get(reverse("trips:checkups_mine")).content.decode()
