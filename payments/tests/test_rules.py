from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from core.errors import DomainError
from core.models import Region
from payments import services
from payments.engine import compute_lines, summarise_lines
from payments.models import BenefitKind, Payout, PayoutResult
from payments.tests import helpers
from people.models import HonourTitle, Person
from people.services import add_honour, create_person


def person(region: Region, name: str, *, title: str | None, year: int = 2010, **fields: Any) -> Person:
    fields.setdefault("gender", "M")
    p = create_person(actor=None, region=region, name=name, **fields)
    if title:
        add_honour(actor=None, person=p, title=HonourTitle.objects.get(name=title), year=year)
    return p


def test_rule_edit_saves_a_new_version_and_a_round_keeps_the_one_it_used(cast: Any) -> None:
    first = helpers.draft(cast)
    rule_set = first.rule_version.rule_set
    version = services.save_rule_version(
        actor=cast.city, rule_set=rule_set, rules={**helpers.RULES, "amount_city": "1200"}, note="提高市级标准"
    )
    assert version.number == 2
    assert [v.number for v in rule_set.versions.all()] == [2, 1]
    first.refresh_from_db()
    assert first.rule_version.number == 1
    assert helpers.line_of(first, cast.person_a).amount == Decimal("1000.00")
    second = services.draft_round(
        actor=cast.city, rule_set=rule_set, title="2026年春节慰问金（第二批）", reference_date=helpers.DAY
    )
    assert second.rule_version == version
    assert helpers.line_of(second, cast.person_a).amount == Decimal("1200.00")
    assert helpers.line_of(second, cast.person_a).reason == "宁波市劳动模范（2019）→ 市级 1,200.00；规则 v2"


def test_rule_edit_needs_a_change_and_a_note(cast: Any) -> None:
    rule_set = helpers.spring_rules(cast)
    with pytest.raises(DomainError, match="没有变化"):
        services.save_rule_version(actor=cast.city, rule_set=rule_set, rules=helpers.RULES, note="x")
    with pytest.raises(DomainError, match="修改说明"):
        services.save_rule_version(
            actor=cast.city, rule_set=rule_set, rules={**helpers.RULES, "amount_city": 1}, note=""
        )
    with pytest.raises(DomainError, match="已存在"):
        services.create_rule_set(actor=cast.city, kind=rule_set.kind, year=2026, name="", rules=helpers.RULES)


def test_lines_follow_level_status_topups_and_exclusions(cast: Any) -> None:
    a = cast.region_a
    person(a, "应阿大", title="宁波市劳动模范", year=1990, birth_date=dt.date(1940, 5, 1), hardship=True)
    medal = person(a, "胡五一", title="全国五一劳动奖章", year=2012)  # national union award → provincial treatment
    person(a, "钱故去", title="全国劳动模范", status="deceased")
    person(a, "孙迁出", title="全国劳动模范", status="moved_away")
    person(a, "工匠甲", title="港城工匠")  # craftsman titles do not count under these rules
    barred = person(a, "李排除", title="宁波市劳动模范")
    future = person(a, "新劳模", title="浙江省劳动模范", year=2026)
    rule_set = helpers.spring_rules(cast)
    version = services.save_rule_version(
        actor=cast.city, rule_set=rule_set, rules={**helpers.RULES, "excluded_person_ids": [barred.pk]}, note="排除"
    )
    lines = {ln.name: ln for ln in compute_lines(version, reference_date=helpers.DAY)}
    assert sorted(lines) == sorted(["万亚勇", "单秀英", "应阿大", "胡五一", "新劳模"])
    assert lines["应阿大"].amount == Decimal("2500.00")
    assert (
        lines["应阿大"].reason
        == "宁波市劳动模范（1990）→ 市级 1,000.00；困难劳模加发 1,000.00；满80周岁加发 500.00；规则 v2"
    )
    assert (lines["胡五一"].level, lines["胡五一"].amount) == ("provincial", Decimal("1500.00"))
    assert lines["单秀英"].amount == Decimal("1500.00")
    # A title of 2026 does not count for a round dated 2025.
    earlier = {ln.name for ln in compute_lines(version, reference_date=dt.date(2025, 1, 10))}
    assert "新劳模" not in earlier
    assert medal.pk in {ln.person_id for ln in compute_lines(version, reference_date=helpers.DAY)}
    assert future.pk == lines["新劳模"].person_id


def test_best_honour_decides_and_an_excluded_title_bars(cast: Any) -> None:
    helpers.honour_cast(cast)
    add_honour(actor=None, person=cast.person_a, title=HonourTitle.objects.get(name="全国劳动模范"), year=2020)
    rule_set = helpers.spring_rules(cast)
    lines = {ln.person_id: ln for ln in compute_lines(rule_set.current, reference_date=helpers.DAY)}  # type: ignore[arg-type]
    assert (lines[cast.person_a.pk].honour_name, lines[cast.person_a.pk].amount) == ("全国劳动模范", Decimal("3000.00"))
    provincial = HonourTitle.objects.get(name="浙江省劳动模范")
    version = services.save_rule_version(
        actor=cast.city, rule_set=rule_set, rules={**helpers.RULES, "excluded_title_ids": [provincial.pk]}, note="x"
    )
    assert [ln.name for ln in compute_lines(version, reference_date=helpers.DAY)] == ["万亚勇"]


def test_preview_counts_people_and_totals_by_district_and_level(cast: Any) -> None:
    person(cast.region_a, "应阿大", title="浙江省劳动模范")
    rule_set = helpers.spring_rules(cast)
    lines = compute_lines(rule_set.current, reference_date=helpers.DAY)  # type: ignore[arg-type]
    preview = summarise_lines(lines, {cast.region_a.pk: "鄞州区", cast.region_b.pk: "海曙区"})
    assert (preview.people, preview.total, preview.first_time) == (3, Decimal("4000.00"), 3)
    assert preview.by_district == [
        {"district": "海曙区", "people": 1, "total": Decimal("1500.00")},
        {"district": "鄞州区", "people": 2, "total": Decimal("2500.00")},
    ]
    assert [(r["level"], r["people"], r["total"]) for r in preview.by_level] == [
        ("省部级", 2, Decimal("3000.00")),
        ("市级", 1, Decimal("1000.00")),
    ]


def test_first_time_means_never_paid_this_kind_before(cast: Any) -> None:
    earlier = helpers.approved(cast)
    services.mark_result(actor=cast.city, payout=helpers.line_of(earlier, cast.person_a), result=PayoutResult.PAID)
    services.mark_result(
        actor=cast.city, payout=helpers.line_of(earlier, cast.person_b), result=PayoutResult.FAILED, reason="账户已销户"
    )
    later = services.draft_round(
        actor=cast.city,
        rule_set=earlier.rule_version.rule_set,
        title="第二轮",
        reference_date=helpers.DAY,
    )
    flags = dict(Payout.objects.filter(round=later).values_list("person__name", "first_time"))
    assert flags == {"万亚勇": False, "单秀英": True}
    other_kind = BenefitKind.objects.get(code="honour_allowance")
    other = services.create_rule_set(actor=cast.city, kind=other_kind, year=2026, name="", rules=helpers.RULES)
    third = services.draft_round(actor=cast.city, rule_set=other, title="津贴", reference_date=helpers.DAY)
    assert set(Payout.objects.filter(round=third).values_list("first_time", flat=True)) == {True}
