from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from assistance import matching, services
from assistance.models import MatchProfile, MatchTerm, TermStat
from assistance.tests import factories as f
from people.bulk import NewPerson, register_people
from people.models import PersonStatus, Trade
from people.services import create_person, mark_deceased, set_skill, update_person

pytestmark = pytest.mark.django_db


def _person(cast: Any, name: str, region: Any, trade: str, grade: str, specialties: str) -> Any:
    p = create_person(actor=None, region=region, name=name, status="working", gender="M")
    set_skill(actor=None, person=p, trade=Trade.objects.get(code=trade), grade=grade, specialties=specialties)
    return p


@pytest.fixture
def people(cast: Any) -> dict[str, Any]:
    a, b = cast.region_a, cast.region_b
    return {
        "welder_local": _person(cast, "焊工甲", a, "02", "2", "氩弧焊 不锈钢焊接 气孔控制"),
        "welder_far": _person(cast, "焊工乙", b, "02", "1", "二氧化碳保护焊 钢结构"),
        "robot_local": _person(cast, "电工丙", a, "01", "2", "焊接机器人 编程"),
        "welder_busy": _person(cast, "焊工丁", b, "02", "4", "氩弧焊 气孔 不锈钢"),
        "cook": _person(cast, "厨师戊", a, "23", "1", "川菜 面点"),
    }


def test_tokenize_segments_chinese() -> None:
    assert matching.tokenize("氩弧焊焊缝出现气孔，我们需要改进焊接工艺PLC") == [
        "氩弧焊",
        "焊缝",
        "出现",
        "气孔",
        "改进",
        "焊接",
        "工艺",
        "plc",
    ]


def test_ranking_order_and_reasons(cast: Any, people: dict[str, Any]) -> None:
    busy = people["welder_busy"]
    for title in ("甲", "乙"):
        other = f.accepted_request(cast, title=f"其他需求{title}", category="welding")
        services.invite_people(actor=cast.city, request=other, people=[busy], unreachable_confirmed=True)
    assert matching.refresh_profiles() == 7  # five here and the cast's two
    request = f.accepted_request(
        cast, title="不锈钢焊接气孔多", description="氩弧焊焊缝出现气孔，需要改进焊接工艺", category="welding"
    )
    ranked = matching.rank_candidates(request)
    assert [c.person.name for c in ranked] == ["焊工甲", "焊工丁", "焊工乙", "电工丙"]
    top = ranked[0]
    assert top.reasons == [
        "工种对口：焊工",
        "专长/经历相关：气孔、焊接、氩弧焊、不锈钢",
        "同一区县：鄞州区",
        "技能等级：技师",
        "当前空闲",
    ]
    assert ranked[1].load == 2 and ranked[1].reasons[-1] == "当前任务：2项"
    assert ranked[1].parts["load"] == -0.1
    # Scores are the sum of their parts.
    for c in ranked:
        assert c.score == pytest.approx(sum(c.parts.values()), abs=2e-4)
    # Filters: only this district; only free people; a minimum grade.
    assert [
        c.person.name for c in matching.rank_candidates(request, filters=matching.MatchFilters(district_only=True))
    ] == [
        "焊工甲",
        "电工丙",
    ]
    assert [
        c.person.name for c in matching.rank_candidates(request, filters=matching.MatchFilters(exclude_busy=True))
    ] == [
        "焊工甲",
        "焊工乙",
        "电工丙",
    ]
    assert [c.person.name for c in matching.rank_candidates(request, filters=matching.MatchFilters(min_grade="1"))] == [
        "焊工乙",
    ]
    # Invited people leave the list.
    services.invite_people(
        actor=cast.city, request=request, people=[people["welder_local"]], unreachable_confirmed=True
    )
    assert [c.person.name for c in matching.rank_candidates(request)] == ["焊工丁", "焊工乙", "电工丙"]


def test_profiles_index_and_incremental_refresh(cast: Any, people: dict[str, Any]) -> None:
    matching.refresh_profiles()
    cook = people["cook"]
    assert TermStat.objects.get(term="__N__").df == 7
    assert TermStat.objects.get(term="氩弧焊").df == 2
    assert set(MatchTerm.objects.filter(person=cook).values_list("term", flat=True)) == {"厨师", "川菜", "面点"}
    set_skill(actor=None, person=cook, trade=Trade.objects.get(code="23"), grade="1", specialties="川菜 面点 焊接")
    matching.refresh_profiles([cook.pk])
    assert set(MatchTerm.objects.filter(person=cook).values_list("term", flat=True)) == {"厨师", "川菜", "面点", "焊接"}
    assert MatchProfile.objects.count() == 7


def test_candidates_api(cast: Any, people: dict[str, Any], client_for: Any) -> None:

    matching.refresh_profiles()
    request = f.accepted_request(cast, title="氩弧焊气孔", description="不锈钢焊接", category="welding")
    data = client_for("district_a").get(reverse("api:assistance_candidates", args=[request.pk])).json()
    assert [c["name"] for c in data] == ["焊工甲", "焊工丁", "焊工乙", "电工丙"]
    assert data[0]["reasons"][0] == "工种对口：焊工"


def test_someone_who_died_is_not_proposed_even_before_the_profiles_are_refreshed(
    cast: Any, people: dict[str, Any]
) -> None:
    matching.refresh_profiles()
    request = f.accepted_request(
        cast, title="不锈钢焊接气孔多", description="氩弧焊焊缝出现气孔，需要改进焊接工艺", category="welding"
    )
    assert [c.person.name for c in matching.rank_candidates(request)] == ["焊工甲", "焊工丁", "焊工乙", "电工丙"]
    # No on-commit callbacks run inside the test's transaction: the profiles still hold them.
    mark_deceased(actor=cast.city, person=people["welder_local"], date=dt.date(2026, 1, 5))
    update_person(actor=cast.city, person=people["welder_far"], status=PersonStatus.MOVED_AWAY)
    assert MatchProfile.objects.filter(person=people["welder_local"]).exists()
    assert [c.person.name for c in matching.rank_candidates(request)] == ["焊工丁", "电工丙"]


def test_a_change_refreshes_the_profiles_through_the_people_hook(
    cast: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    matching.refresh_profiles()
    welder = people["welder_local"]
    with django_capture_on_commit_callbacks(execute=True):
        mark_deceased(actor=cast.city, person=welder, date=dt.date(2026, 1, 5))
    assert not MatchProfile.objects.filter(person=welder).exists()
    assert not MatchTerm.objects.filter(person=welder).exists()
    # A new skill reaches the profile without a rebuild.
    cook = people["cook"]
    with django_capture_on_commit_callbacks(execute=True):
        set_skill(actor=None, person=cook, trade=Trade.objects.get(code="02"), grade="3", specialties="氩弧焊")
    assert "氩弧焊" in set(MatchTerm.objects.filter(person=cook).values_list("term", flat=True))
    # A phone number is no part of a profile: nothing is refreshed.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update_person(actor=cast.city, person=cook, mobile="13805740123")
    assert len(callbacks) == 1  # people's own after-commit call, which asks assistance for nothing


def test_people_registered_in_bulk_get_profiles_after_commit(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:

    welding = Trade.objects.get(code="02")
    with django_capture_on_commit_callbacks(execute=True):
        [pk] = register_people(
            actor=cast.city,
            people=[
                NewPerson(
                    fields={"name": "焊工庚", "gender": "M", "birth_date": dt.date(1970, 1, 1)},
                    region_id=cast.region_a.pk,
                    skills=((welding.pk, "2", "氩弧焊 管道焊接"),),
                )
            ],
        )
    profile = MatchProfile.objects.get(person_id=pk)
    assert (profile.trade_ids, profile.best_grade) == ([welding.pk], "2")
