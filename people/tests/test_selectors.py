"""Search and filters of the registry, always inside the user's scope."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from people.models import HonourTitle, Trade
from people.selectors import PersonFilters, people_for_user
from people.services import add_honour, set_skill
from people.tests.factories import make_id, make_person
from tests.cast import WORKER_A_ID, Cast


def names(user, **filters) -> list[str]:  # type: ignore[no-untyped-def]
    return list(people_for_user(user, PersonFilters(**filters)).values_list("name", flat=True))


def test_initials_find_the_person(cast: Cast) -> None:
    assert names(cast.city, q="wyy") == ["万亚勇"]
    assert names(cast.city, q="WanYa") == ["万亚勇"]


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("单国强", "shanguoqiang", "sgq"),
        ("曾小梅", "zengxiaomei", "zxm"),
        ("区志华", "ouzhihua", "ozh"),
        ("解建军", "xiejianjun", "xjj"),
        ("仇永康", "qiuyongkang", "qyk"),
        ("查文斌", "zhawenbin", "zwb"),
        ("朴成浩", "piaochenghao", "pch"),
        ("盖立新", "gelixin", "glx"),
    ],
)
def test_surnames_are_read_as_surnames(cast: Cast, name: str, full: str, initials: str) -> None:
    make_person(name, cast.region_a)
    assert names(cast.city, q=full) == [name]
    assert names(cast.city, q=initials) == [name]


def test_any_two_characters_of_a_name(cast: Cast) -> None:
    make_person("欧阳明华", cast.region_a)
    assert names(cast.city, q="明华") == ["欧阳明华"]
    assert names(cast.city, q="欧华") == ["欧阳明华"]
    assert names(cast.city, q="万勇") == ["万亚勇"]
    assert names(cast.city, q="华欧") == []


def test_id_tail_and_employer(cast: Cast) -> None:
    assert names(cast.city, q=WORKER_A_ID[-4:]) == ["万亚勇"]
    assert names(cast.city, q="宁波港") == ["单秀英"]
    assert names(cast.city, q=WORKER_A_ID) == ["万亚勇"]


def test_search_stays_inside_the_scope(cast: Cast) -> None:
    assert names(cast.district_b, q="wyy") == []
    assert names(cast.district_a, q=WORKER_A_ID[-4:]) == ["万亚勇"]
    assert names(cast.district_a) == ["万亚勇"]
    assert names(cast.district_b) == ["单秀英"]
    assert names(cast.worker_a) == ["万亚勇"]
    assert names(cast.requester) == []


def test_age_range_counts_birthdays(cast: Cast) -> None:
    today = dt.date(2026, 6, 15)
    make_person("甲", cast.region_a, id_number=make_id(dt.date(1966, 6, 15), 1))  # 60 today
    make_person("乙", cast.region_a, id_number=make_id(dt.date(1966, 6, 16), 2))  # 59 until tomorrow
    found = people_for_user(cast.district_a, PersonFilters(age_min=60, age_max=60), today=today)
    assert list(found.values_list("name", flat=True)) == ["甲"]
    found = people_for_user(cast.district_a, PersonFilters(age_max=59), today=today)
    assert list(found.values_list("name", flat=True)) == ["乙"]


def test_filters_by_level_title_status_trade_hardship_gender(cast: Cast) -> None:
    p = make_person("王工匠", cast.region_a, hardship=True, status="retired")
    add_honour(actor=None, person=p, title=HonourTitle.objects.get(name="浙江工匠"), year=2021)
    set_skill(actor=None, person=p, trade=Trade.objects.get(name="焊工"))
    title = HonourTitle.objects.get(name="浙江工匠")
    assert names(cast.city, level="provincial") == ["王工匠"]
    assert names(cast.city, title=title.pk) == ["王工匠"]
    assert names(cast.city, trade=Trade.objects.get(name="焊工").pk) == ["王工匠"]
    assert names(cast.city, hardship=True) == ["王工匠"]
    assert names(cast.city, status="retired") == ["单秀英", "王工匠"]
    assert names(cast.city, gender="F") == ["单秀英"]
    assert names(cast.city, district=cast.region_b.pk) == ["单秀英"]


def test_sorting(cast: Cast) -> None:
    make_person("阿大", cast.region_a, id_number=make_id(dt.date(1990, 1, 1), 1))
    assert names(cast.district_a, sort="name") == ["阿大", "万亚勇"]
    assert names(cast.district_a, sort="-name") == ["万亚勇", "阿大"]
    assert names(cast.district_a, sort="birth") == ["万亚勇", "阿大"]
    assert names(cast.district_a, sort="-birth") == ["阿大", "万亚勇"]


def test_sort_by_level_puts_national_first(cast: Cast) -> None:
    add_honour(actor=None, person=cast.person_b, title=HonourTitle.objects.get(name="全国劳动模范"), year=2020)
    add_honour(actor=None, person=cast.person_a, title=HonourTitle.objects.get(name="宁波市劳动模范"), year=2019)
    names = [p.name for p in people_for_user(cast.city, PersonFilters(sort="level"))]
    assert names == ["单秀英", "万亚勇"]
    names = [p.name for p in people_for_user(cast.city, PersonFilters(sort="-level"))]
    assert names == ["万亚勇", "单秀英"]


def test_mobile_number_or_its_last_four_digits_find_the_person(cast: Cast) -> None:
    make_person("周师傅", cast.region_a, mobile="13605740013", id_number=make_id(dt.date(1970, 1, 1)))
    assert names(cast.city, q="13805740001") == ["万亚勇"]
    assert names(cast.city, q="138 0574 0001") == ["万亚勇"]
    assert names(cast.city, q="+86-138-0574-0001") == ["万亚勇"]
    assert names(cast.city, q="0002") == ["单秀英"]
    # Four digits are the end of an ID or of a mobile number: 万亚勇's ID and 周师傅's mobile end in 0013.
    assert WORKER_A_ID.endswith("0013")
    assert sorted(names(cast.city, q="0013")) == sorted(["万亚勇", "周师傅"])
    assert names(cast.city, q="13805740009") == []
    assert names(cast.district_b, q="13805740001") == []
    assert names(cast.district_b, q="0001") == []


def test_mobile_search_on_the_page_and_the_api_shows_it_masked(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]

    response = client_for("city").get(reverse("people:list"), {"q": "13805740001"})
    assert [p.name for p in response.context["page"]] == ["万亚勇"]
    assert "138****0001" in response.content.decode()
    data = json.loads(client_for("city").get(reverse("api:people"), {"q": "0001"}).content)
    assert [(p["name"], p["mobile_masked"]) for p in data["items"]] == [("万亚勇", "138****0001")]
