"""Writes to the registry: each through a service, each with its audit entry."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import DomainError
from core.models import AuditEntry, Region
from people import services
from people.models import Honour, HonourTitle, Person, PersonNameToken, PersonStatus, Skill, Trade
from people.services import add_honour, revoke_honour, update_person
from people.tests.factories import make_id, make_person
from tests.cast import WORKER_A_ID, Cast


def _title(name: str) -> HonourTitle:
    return HonourTitle.objects.get(name=name)


def test_create_person_derives_birth_and_gender_from_the_id(cast: Cast) -> None:
    number = make_id(dt.date(1972, 8, 9), 7, male=False)
    person = services.create_person(actor=cast.city, region=cast.region_a, name=" 单  丽娟 ", id_number=number)
    person.refresh_from_db()
    assert (person.name, person.gender, person.birth_date) == ("单丽娟", "F", dt.date(1972, 8, 9))
    assert person.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert person.id_last4 == number[-4:]
    assert number not in person.id_number_encrypted
    assert (person.name_pinyin, person.name_initials) == ("shanlijuan", "slj")
    assert set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True)) == {
        "单丽",
        "单娟",
        "丽娟",
    }
    entry = AuditEntry.objects.get(action="people.person.created", object_id=str(person.pk))
    assert entry.actor == cast.city
    assert entry.changes["id_number"] == [None, person.id_number_masked]
    assert number not in str(entry.changes)


def test_create_person_with_honours_logs_one_entry(cast: Cast) -> None:
    person = services.create_person(
        actor=cast.city,
        region=cast.region_a,
        name="王小明",
        id_number=make_id(dt.date(1965, 3, 12), 9),
        honours=[(_title("宁波市劳动模范"), 2010), (_title("浙江省劳动模范"), 2015)],
    )
    person.refresh_from_db()
    assert person.top_level == "provincial"
    assert sorted(Honour.objects.filter(person=person).values_list("title__name", "year")) == [
        ("宁波市劳动模范", 2010),
        ("浙江省劳动模范", 2015),
    ]
    [entry] = AuditEntry.objects.filter(object_type="people.person", object_id=str(person.pk))
    assert entry.action == "people.person.created"
    assert entry.changes["honour"] == [None, "宁波市劳动模范（2010）；浙江省劳动模范（2015）"]


def test_create_person_with_a_collective_honour_writes_nothing(cast: Cast) -> None:
    collective = HonourTitle.objects.filter(for_collectives=True).first()
    assert collective is not None
    before = Person.objects.count()
    with pytest.raises(DomainError):
        services.create_person(
            actor=cast.city,
            region=cast.region_a,
            name="王小明",
            id_number=make_id(dt.date(1965, 3, 12), 9),
            honours=[(collective, 2010)],
        )
    assert Person.objects.count() == before


def test_create_person_refuses_birth_date_that_contradicts_the_id(cast: Cast) -> None:
    with pytest.raises(DomainError) as exc:
        services.create_person(
            actor=cast.city,
            region=cast.region_a,
            name="张三",
            id_number=make_id(dt.date(1980, 1, 2)),
            birth_date=dt.date(1980, 1, 3),
        )
    assert exc.value.field == "birth_date"
    assert exc.value.message == "出生日期 1980-01-03 与身份证号中的 1980-01-02 不一致"


def test_create_person_refuses_sex_that_contradicts_the_id(cast: Cast) -> None:
    with pytest.raises(DomainError) as exc:
        services.create_person(
            actor=cast.city, region=cast.region_a, name="张三", id_number=make_id(dt.date(1980, 1, 2)), gender="F"
        )
    assert (exc.value.field, exc.value.message) == ("gender", "性别与身份证号第17位不一致（奇数为男，偶数为女）")


def test_create_person_refuses_a_wrong_check_digit(cast: Cast) -> None:
    good = make_id(dt.date(1980, 1, 2))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(DomainError) as exc:
        services.create_person(actor=cast.city, region=cast.region_a, name="张三", id_number=bad)
    assert exc.value.field == "id_number"
    assert exc.value.message.startswith("身份证号校验位不对")


def test_create_person_refuses_an_id_already_registered(cast: Cast) -> None:
    with pytest.raises(DomainError) as exc:
        services.create_person(actor=cast.city, region=cast.region_b, name="万亚勇", id_number=WORKER_A_ID)
    assert (exc.value.field, exc.value.message) == ("id_number", "该身份证号已登记在“万亚勇”名下，不能重复登记")
    assert Person.objects.filter(name="万亚勇").count() == 1


def test_create_person_puts_a_street_under_its_district(cast: Cast) -> None:
    street = Region.objects.filter(parent=cast.region_a, kind="street").first()
    assert street is not None
    person = make_person("李四", street)
    assert (person.region, person.district) == (street, cast.region_a)


def test_update_person_logs_before_and_after(cast: Cast) -> None:
    services.update_person(actor=cast.district_a, person=cast.person_a, employer="宁波大学", name="万亚雄")
    person = Person.objects.get(pk=cast.person_a.pk)
    assert (person.employer, person.name_initials) == ("宁波大学", "wyx")
    entry = AuditEntry.objects.get(action="people.person.updated", object_id=str(person.pk))
    assert entry.changes == {"name": ["万亚勇", "万亚雄"], "employer": ["宁波精华电子科技股份有限公司", "宁波大学"]}
    assert set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True)) == {
        "万亚",
        "万雄",
        "亚雄",
    }


def test_update_person_without_change_writes_nothing(cast: Cast) -> None:
    before = AuditEntry.objects.count()
    services.update_person(actor=cast.district_a, person=cast.person_a, employer=cast.person_a.employer)
    assert AuditEntry.objects.count() == before


def test_update_person_cross_checks_a_new_id(cast: Cast) -> None:
    with pytest.raises(DomainError) as exc:
        services.update_person(
            actor=cast.city, person=cast.person_a, id_number=make_id(dt.date(1966, 3, 12), 3, male=True)
        )
    assert exc.value.field == "birth_date"
    assert Person.objects.get(pk=cast.person_a.pk).id_last4 == WORKER_A_ID[-4:]


def test_top_level_follows_the_best_unrevoked_honour(cast: Cast) -> None:
    person = cast.person_a
    city = services.add_honour(actor=cast.city, person=person, title=_title("宁波市劳动模范"), year=2010)
    assert Person.objects.get(pk=person.pk).top_level == "city"
    province = services.add_honour(actor=cast.city, person=person, title=_title("浙江省劳动模范"), year=2015)
    assert Person.objects.get(pk=person.pk).top_level == "provincial"
    services.revoke_honour(actor=cast.city, honour=province, reason="弄虚作假")
    assert Person.objects.get(pk=person.pk).top_level == "city"
    services.remove_honour(actor=cast.city, honour=city)
    assert Person.objects.get(pk=person.pk).top_level == ""
    actions = list(
        AuditEntry.objects.filter(object_id=str(person.pk), action__startswith="people.honour")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["people.honour.added", "people.honour.added", "people.honour.revoked", "people.honour.removed"]


def test_add_honour_refuses_collective_titles_and_repeats(cast: Cast) -> None:
    with pytest.raises(DomainError) as exc:
        services.add_honour(actor=cast.city, person=cast.person_a, title=_title("宁波市模范集体"), year=2010)
    assert exc.value.message == "“宁波市模范集体”授予集体，不能授予个人"
    services.add_honour(actor=cast.city, person=cast.person_a, title=_title("港城工匠"), year=2020)
    with pytest.raises(DomainError) as exc:
        services.add_honour(actor=cast.city, person=cast.person_a, title=_title("港城工匠"), year=2020)
    assert exc.value.message == "“万亚勇”已有 2020 年的“港城工匠”"


def test_mark_deceased_sets_status_and_refuses_twice(cast: Cast) -> None:
    services.mark_deceased(actor=cast.district_a, person=cast.person_a, date=dt.date(2024, 5, 1), note="家属告知")
    person = Person.objects.get(pk=cast.person_a.pk)
    assert (person.status, person.status_date, person.notes) == (PersonStatus.DECEASED, dt.date(2024, 5, 1), "家属告知")
    entry = AuditEntry.objects.get(action="people.person.deceased")
    assert entry.changes == {"status": ["working", "deceased"], "date": "2024-05-01"}
    with pytest.raises(DomainError) as exc:
        services.mark_deceased(actor=cast.district_a, person=person, date=dt.date(2024, 5, 1))
    assert exc.value.message == "“万亚勇”已标记为去世"


def test_mark_deceased_refuses_a_future_date(cast: Cast) -> None:
    with pytest.raises(DomainError) as exc:
        services.mark_deceased(actor=cast.district_a, person=cast.person_a, date=dt.date.today() + dt.timedelta(days=1))
    assert exc.value.field == "date"


def test_merge_moves_honours_and_skills_and_fills_blanks(cast: Cast) -> None:
    keep = cast.person_a
    duplicate = make_person("万亚勇", cast.region_a, address="鄞州区钱湖北路 1 号", post="高级工程师")
    services.add_honour(actor=None, person=keep, title=_title("宁波市劳动模范"), year=2010)
    services.add_honour(actor=None, person=duplicate, title=_title("宁波市劳动模范"), year=2010)
    services.add_honour(actor=None, person=duplicate, title=_title("浙江省劳动模范"), year=2016)
    services.set_skill(actor=None, person=duplicate, trade=Trade.objects.get(name="电工"), grade="1")
    services.merge_people(actor=cast.city, keep=keep, duplicate=duplicate)
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert (keep.address, keep.post, keep.top_level) == ("鄞州区钱湖北路 1 号", "高级工程师", "provincial")
    assert sorted(Honour.objects.filter(person=keep).values_list("title__name", "year")) == [
        ("宁波市劳动模范", 2010),
        ("浙江省劳动模范", 2016),
    ]
    assert Honour.objects.filter(person=duplicate).count() == 0
    assert list(Skill.objects.filter(person=keep).values_list("trade__name", flat=True)) == ["电工"]
    entry = AuditEntry.objects.get(action="people.person.merged")
    assert entry.changes == {
        "duplicate": duplicate.pk,
        "filled": {"post": "高级工程师", "address": "鄞州区钱湖北路 1 号"},
    }
    assert list(Person.objects.active().filter(name="万亚勇")) == [keep]


def test_merge_refuses_two_different_id_numbers(cast: Cast) -> None:
    other = make_person("万亚勇", cast.region_a, id_number=make_id(dt.date(1970, 1, 1), 5))
    with pytest.raises(DomainError) as exc:
        services.merge_people(actor=cast.city, keep=cast.person_a, duplicate=other)
    assert exc.value.message == "两条记录的身份证号不同，不是同一人，不能合并"
    with pytest.raises(DomainError) as exc:
        services.merge_people(actor=cast.city, keep=cast.person_a, duplicate=cast.person_a)
    assert exc.value.message == "不能与自己合并"


def test_collective_create_update_delete(cast: Cast) -> None:
    title = _title("宁波市模范集体")
    collective = services.create_collective(
        actor=cast.city, name="  北仑港 集装箱 码头 ", region=cast.region_a, title=title, year=2020
    )
    assert collective.name == "北仑港 集装箱 码头"
    with pytest.raises(DomainError) as exc:
        services.create_collective(
            actor=cast.city, name="北仑港 集装箱 码头", region=cast.region_a, title=title, year=2020
        )
    assert exc.value.message == "“北仑港 集装箱 码头”已有 2020 年的“宁波市模范集体”"
    with pytest.raises(DomainError) as exc:
        services.create_collective(
            actor=cast.city, name="某班组", region=cast.region_a, title=_title("宁波市劳动模范"), year=2020
        )
    assert (exc.value.field, exc.value.message) == ("title", "“宁波市劳动模范”授予个人，不能授予集体")
    services.update_collective(actor=cast.city, collective=collective, employer="宁波舟山港集团")
    assert AuditEntry.objects.get(action="people.collective.updated").changes == {"employer": ["", "宁波舟山港集团"]}
    pk = collective.pk
    services.delete_collective(actor=cast.city, collective=collective)
    assert AuditEntry.objects.filter(action="people.collective.deleted", object_id=str(pk)).count() == 1


def test_update_refuses_sex_or_birth_date_against_the_stored_id(cast: Cast) -> None:

    with pytest.raises(DomainError) as exc:
        update_person(actor=None, person=cast.person_a, gender="F")
    assert exc.value.field == "gender"
    with pytest.raises(DomainError) as exc:
        update_person(actor=None, person=cast.person_a, birth_date=dt.date(1966, 1, 1))
    assert exc.value.field == "birth_date"


def test_an_honour_is_revoked_once(cast: Cast) -> None:

    honour = add_honour(
        actor=None, person=cast.person_a, title=HonourTitle.objects.get(name="宁波市劳动模范"), year=2019
    )
    revoke_honour(actor=None, honour=honour, reason="撤销")
    with pytest.raises(DomainError) as exc:
        revoke_honour(actor=None, honour=honour, reason="再次撤销")
    assert exc.value.message == "“宁波市劳动模范（2019）”已撤销"
