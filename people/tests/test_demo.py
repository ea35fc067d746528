"""The demo registry: realistic, deterministic, and with exactly the derived fields the services
would have written."""

from __future__ import annotations

import io
import random
from collections import Counter
from typing import Any

import pytest

from core import crypto
from core.demo import build as build_accounts
from core.idnumber import parse_id_number
from core.models import User
from core.reference.loader import load_all_reference
from people import demo, names
from people.models import Collective, Honour, HonourTitle, Level, Person, PersonStatus, Skill
from people.services import PLAIN_FIELDS, add_honour, create_person, district_of, set_skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry() -> Any:
    def make(size: int, seed: int = 2026) -> io.StringIO:
        out = io.StringIO()
        demo.build(size=size, seed=seed, stdout=out)
        return out

    load_all_reference()
    build_accounts(size=0, seed=0, stdout=io.StringIO())
    return make


def snapshot() -> list[tuple[Any, ...]]:
    rows = []
    for p in Person.objects.order_by("pk").prefetch_related("honours__title", "skills__trade", "name_tokens"):
        rows.append(
            (
                p.name,
                p.gender,
                p.birth_date,
                crypto.decrypt(p.id_number_encrypted),
                crypto.decrypt(p.bank_account_encrypted),
                p.mobile,
                p.region.code,
                p.status,
                p.status_date,
                p.employer,
                p.hardship,
                p.top_level,
                sorted((h.title.name, h.year, h.certificate_no) for h in p.honours.all()),
                sorted((s.trade.code, s.grade, s.specialties) for s in p.skills.all()),
                sorted(t.token for t in p.name_tokens.all()),
            )
        )
    return rows


def test_same_seed_same_registry(registry: Any) -> None:
    registry(150, seed=5)
    first = snapshot()
    Person.objects.update(user=None)
    Person.objects.all().delete()
    Collective.objects.all().delete()
    registry(150, seed=5)
    assert snapshot() == first
    Person.objects.update(user=None)
    Person.objects.all().delete()
    Collective.objects.all().delete()
    registry(150, seed=6)
    assert [r[0] for r in snapshot()] != [r[0] for r in first]


@pytest.mark.parametrize("n", [0, 1, 50, 2292, 100_000])
def test_best_titles_are_the_census_mix_scaled(n: int) -> None:
    census = sum(count for _, count in demo.CENSUS_BEST_TITLE)
    dealt = Counter(demo._deal_best_titles(random.Random(n), n))
    assert dealt.total() == n
    for title, count in demo.CENSUS_BEST_TITLE:
        assert abs(dealt[title] - count * n / census) < 1, title


def test_second_build_leaves_the_registry_alone(registry: Any) -> None:
    registry(20)
    assert "left alone" in registry(20).getvalue()
    assert Person.objects.count() == 20


def test_registry_is_plausible(registry: Any) -> None:
    out = registry(2293)
    people = list(Person.objects.select_related("district", "region", "user"))
    assert len(people) == 2293
    assert "2293 people" in out.getvalue()

    wan = Person.objects.get(name="万亚勇")
    assert (wan.district.name, wan.top_level, wan.user) == (
        "慈溪市",
        Level.NATIONAL,
        User.objects.get(username="worker"),
    )
    assert [(h.title.name, h.year) for h in wan.honours.select_related("title")] == [
        ("全国劳动模范", 2015),
        ("浙江省劳动模范", 2010),
        ("宁波市劳动模范", 2004),
    ]

    ids = set()
    for p in people:
        number = crypto.decrypt(p.id_number_encrypted)
        info = parse_id_number(number)
        ids.add(number)
        assert (info.gender, info.birth_date) == (p.gender, p.birth_date)
        assert 1940 <= info.birth_date.year <= 1995
        area = demo.ZONE_ID_AREA.get(p.district.code, p.district.code)
        assert info.area_code in {area, demo.OLD_AREA.get(area)}
        assert district_of(p.region) == p.district
    assert len(ids) == 2293

    levels = Counter(p.top_level for p in people)
    dealt: Counter[str] = Counter({Level.NATIONAL: 1})  # 万亚勇
    for title, count in demo.CENSUS_BEST_TITLE:
        dealt[HonourTitle.objects.get(name=title).effective_level] += count
    assert levels == dealt
    assert 0.015 < levels[Level.NATIONAL] / 2293 < 0.05
    assert 0.18 < levels[Level.PROVINCIAL] / 2293 < 0.35
    statuses = Counter(p.status for p in people)
    assert 0.01 < statuses[PersonStatus.DECEASED] / 2293 < 0.06
    assert 0 < statuses[PersonStatus.MOVED_AWAY] < statuses[PersonStatus.DECEASED]
    assert statuses[PersonStatus.WORKING] + statuses[PersonStatus.RETIRED] > 0.9 * 2293
    assert 0 < sum(p.hardship for p in people) < 0.05 * 2293
    assert sum(bool(p.bank_account_encrypted) for p in people) > 0.8 * 2293
    assert {p.name[0] for p in people} >= {"单", "曾", "查", "仇", "解"}
    assert {len(p.name) for p in people} == {2, 3}
    assert Counter(p.district.code for p in people).most_common(1)[0][0] == "330212"  # 鄞州, the largest

    city_rounds = set(demo.AWARD_YEARS["宁波市劳动模范"])
    city_years = set(Honour.objects.filter(title__name="宁波市劳动模范").values_list("year", flat=True))
    assert city_years <= city_rounds and {2000, 2004, 2009, 2014, 2019, 2024} <= city_years
    several = Counter(Honour.objects.values_list("person_id", flat=True))
    assert sum(1 for n in several.values() if n > 1) > 0.1 * 2293
    assert not Honour.objects.filter(title__for_collectives=True).exists()
    assert Skill.objects.filter(specialties__contains="PLC编程").count() > 20
    assert Collective.objects.count() == len(demo.COLLECTIVES)


def test_derived_fields_equal_what_services_compute(registry: Any) -> None:
    registry(400, seed=11)
    sample = list(Person.objects.order_by("pk")[:25]) + list(
        Person.objects.filter(name__regex=r"^(单|曾|区|解|仇|查|朴|盖|欧阳)")[:10]
    )
    assert any(p.name.startswith(("单", "曾")) for p in sample)
    for generated in sample:
        honours = [(h.title, h.year) for h in generated.honours.select_related("title")]
        skills = [(s.trade, s.grade, s.specialties) for s in generated.skills.select_related("trade")]
        tokens = set(generated.name_tokens.values_list("token", flat=True))
        fields = {f: getattr(generated, f) for f in PLAIN_FIELDS}
        id_number = crypto.decrypt(generated.id_number_encrypted)
        bank = crypto.decrypt(generated.bank_account_encrypted)
        Person.objects.filter(pk=generated.pk).update(user=None)
        generated.delete()

        made = create_person(actor=None, region=generated.region, id_number=id_number, bank_account=bank, **fields)
        for title, year in honours:
            add_honour(actor=None, person=made, title=title, year=year)
        for trade, grade, specialties in skills:
            set_skill(actor=None, person=made, trade=trade, grade=grade, specialties=specialties)
        made.refresh_from_db()
        for attr in (
            "name",
            "name_pinyin",
            "name_initials",
            "gender",
            "birth_date",
            "district_id",
            "top_level",
            "id_number_hash",
            "id_number_masked",
            "id_last4",
            "bank_account_masked",
        ):
            assert getattr(made, attr) == getattr(generated, attr), (generated.name, attr)
        assert set(made.name_tokens.values_list("token", flat=True)) == tokens == names.name_pairs(generated.name)


def test_surname_readings_in_the_demo(registry: Any) -> None:
    registry(600, seed=3)
    for person in Person.objects.filter(name__regex=r"^(单|曾|查|仇|解)"):
        expected = {"单": "shan", "曾": "zeng", "查": "zha", "仇": "qiu", "解": "xie"}[person.name[0]]
        assert person.name_pinyin.startswith(expected)
        assert person.name_initials[0] == expected[0]


def test_collective_titles_only_go_to_collectives(registry: Any) -> None:
    registry(50)
    assert set(Collective.objects.values_list("title__for_collectives", flat=True)) == {True}
    assert HonourTitle.objects.filter(for_collectives=True).count() == 4
