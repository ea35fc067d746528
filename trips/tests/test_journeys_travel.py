"""trips.journeys travel lists: companions, rooming and seats, printable lists, boarding."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from types import SimpleNamespace
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.audit import AuditEntry
from core.crypto import decrypt
from core.errors import DomainError
from core.idnumber import check_char
from people.models import Person
from tests.cast import WORKER_A_ID, login
from trips.journeys import services, travel
from trips.models import (
    Attendance,
    Batch,
    BatchQuota,
    Checklist,
    Companion,
    Nomination,
    NominationStatus,
    TravelDetails,
    TravelPlace,
    TripRoute,
)

pytestmark = pytest.mark.django_db


def ident(birth: str = "19700315", seq: str = "024") -> str:
    """A valid ID number: the last digit of ``seq`` odd for a man, even for a woman."""
    first17 = "330212" + birth + seq
    return first17 + check_char(first17)


def _batch(cast: Any, *, start: dt.date = dt.date(2031, 5, 10), capacity: int = 10) -> Batch:
    route = TripRoute.objects.create(name="象山线", destination="象山", days=5, cost_per_day=300)
    b = Batch.objects.create(
        route=route,
        name="象山第1批",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        capacity=capacity,
        departure="市总工会门口",
        escorts="王领队",
        checklist_items=["健康声明"],
    )
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=capacity)
    return b


def _accepted(b: Batch, person: Person, rank: int = 1) -> Nomination:
    return Nomination.objects.create(
        batch=b, person=person, district=person.district, status=NominationStatus.ACCEPTED, rank=rank
    )


def _person(cast: Any, name: str, gender: str) -> Person:
    p = Person.objects.get(pk=cast.person_a.pk)
    p.pk = None
    p.user = None
    p.id_number_hash = None
    p.id_number_masked = ""
    p.name = name
    p.gender = gender
    p.save()
    return p


def _add(cast: Any, n: Nomination, **kw: Any) -> Companion:
    args: dict[str, Any] = {
        "name": "万小红",
        "relation": "spouse",
        "id_number": ident(),
        "mobile": "13905741234",
        "paid": "1280.50",
    }
    args.update(kw)
    return travel.add_companion(actor=cast.district_a, nomination=n, **args)


# --- companions -----------------------------------------------------------------------------------


def test_companion_id_number_encrypted_and_masked_everywhere(cast: Any) -> None:
    n = _accepted(_batch(cast), cast.person_a)
    number = ident()
    c = _add(cast, n, id_number=number)
    c.refresh_from_db()
    assert c.id_number_encrypted != number and decrypt(c.id_number_encrypted) == number
    assert c.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert c.gender == "F" and c.birth_date == dt.date(1970, 3, 15)
    assert str(c.paid) == "1280.50"
    entry = AuditEntry.objects.get(action="trips.companion_added")
    assert number not in str(entry.changes)
    page = login(Client(), cast.district_a).get(reverse("trips:journeys_companions", args=[n.pk])).content.decode()
    assert c.id_number_masked in page and number not in page


def test_companion_missing_details_is_one_clear_error(cast: Any) -> None:
    n = _accepted(_batch(cast), cast.person_a)
    with pytest.raises(DomainError) as exc:
        _add(cast, n, name=" ", mobile="", relation="")
    assert exc.value.message == "随行家属的信息不全，请填写：姓名、关系、手机号。"
    assert not Companion.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "330212197003150020", "身份证号校验位不对"),
        ("mobile", "12345", "不是有效的手机号"),
        ("paid", "12.345", "最多精确到分"),
        ("paid", "-1", "0 到 99,999.99"),
        ("paid", "", "不收费请填 0"),
    ],
)
def test_companion_bad_detail_names_the_field(cast: Any, field: str, value: str, message: str) -> None:
    n = _accepted(_batch(cast), cast.person_a)
    with pytest.raises(DomainError) as exc:
        _add(cast, n, **{field: value})
    assert exc.value.field == field and message in exc.value.message


def test_companion_limit_is_a_setting(cast: Any, settings: Any) -> None:
    n = _accepted(_batch(cast), cast.person_a)
    _add(cast, n)
    with pytest.raises(DomainError, match="最多可带 1 名"):
        _add(cast, n, name="万小明", relation="child", id_number=ident("19980101", "013"))
    settings.TRIPS_MAX_COMPANIONS = 2
    _add(cast, n, name="万小明", relation="child", id_number=ident("19980101", "013"))
    assert Companion.objects.filter(nomination=n).count() == 2


def test_companion_needs_acceptance_and_not_own_id_and_not_after_lock(cast: Any) -> None:
    b = _batch(cast)
    invited = Nomination.objects.create(
        batch=b, person=cast.person_a, district=cast.region_a, status=NominationStatus.INVITED, rank=1
    )
    with pytest.raises(DomainError, match="请先确认参加"):
        _add(cast, invited)
    invited.status = NominationStatus.ACCEPTED
    invited.save()
    with pytest.raises(DomainError, match="劳模本人的身份证号"):
        _add(cast, invited, id_number=WORKER_A_ID)
    late = timezone.make_aware(dt.datetime(2031, 5, 9, 12, 0))
    with pytest.raises(DomainError, match="出发前24小时"):
        travel.add_companion(
            actor=cast.district_a,
            nomination=invited,
            name="万小红",
            relation="spouse",
            id_number=ident(),
            mobile="13905741234",
            paid="0",
            now=late,
        )


def test_companions_take_no_quota_place(cast: Any) -> None:
    b = _batch(cast, capacity=1)
    n = _accepted(b, cast.person_a)
    _add(cast, n)
    assert services.accepted_counts(b) == {cast.region_a.pk: 1}


def test_phone_accept_leads_to_companions_and_form_errors_are_words(cast: Any) -> None:
    b = _batch(cast)
    n = Nomination.objects.create(
        batch=b, person=cast.person_a, district=cast.region_a, status=NominationStatus.INVITED, rank=1
    )
    phone = login(Client(), cast.worker_a)
    r = phone.post(reverse("trips:journeys_my_answer", args=[n.pk]), {"answer": "yes"})
    assert r.status_code == 302 and r["Location"] == reverse("trips:journeys_my_companions", args=[n.pk])
    url = reverse("trips:journeys_my_companions", args=[n.pk])
    page = phone.post(url, {"name": "", "relation": "", "id_number": "", "mobile": "", "paid": ""}).content.decode()
    for words in ("请填写家属姓名", "请选择与劳模的关系", "请填写家属身份证号（办理保险用）", "请填写家属手机号"):
        assert words in page
    number = ident()
    data = {"name": "万小红", "relation": "spouse", "id_number": number, "mobile": "13905741234", "paid": "1280"}
    r = phone.post(url, data)
    assert r.status_code == 302
    page = phone.get(url).content.decode()
    assert "万小红" in page and number not in page and number[-4:] in page
    other = login(Client(), cast.worker_b)
    assert other.get(url).status_code == 404


# --- rooming and seats ---------------------------------------------------------------------------------


def _occupant(nom_pk: int, gender: str, companion: tuple[int, str] | None = None) -> travel.Occupant:
    c = SimpleNamespace(pk=companion[0], relation=companion[1]) if companion else None
    return travel.Occupant(cast(Any, SimpleNamespace(pk=nom_pk)), cast(Any, c), gender)


def test_rooms_pair_by_gender_couples_together_odd_one_alone() -> None:
    groups = [
        [_occupant(1, "M"), _occupant(1, "F", (10, "spouse"))],
        [_occupant(2, "M")],
        [_occupant(3, "F"), _occupant(3, "F", (11, "child"))],
        [_occupant(4, "M")],
        [_occupant(5, "M")],
    ]
    rooms = travel.propose_rooms(groups)
    assert rooms[(1, None)] == rooms[(1, 10)]
    assert rooms[(3, None)] == rooms[(3, 11)]
    assert rooms[(2, None)] == rooms[(4, None)]
    assert rooms[(5, None)] not in {r for k, r in rooms.items() if k != (5, None)}
    assert len(set(rooms.values())) == 4


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=60),
    capacity=st.integers(min_value=3, max_value=53),
)
def test_seats_keep_each_household_side_by_side_on_one_bus(sizes: list[int], capacity: int) -> None:
    groups = [
        [_occupant(i, "M")] + [_occupant(i, "F", (1000 * i + j, "child")) for j in range(1, k)]
        for i, k in enumerate(sizes, start=1)
    ]
    seats = travel.propose_seats(groups, capacity)
    assert len(set(seats.values())) == sum(sizes)  # no seat twice
    assert all(1 <= s <= capacity for _b, s in seats.values())
    for group in groups:
        taken = [seats[p.key] for p in group]
        assert len({b for b, _s in taken}) == 1
        numbers = sorted(s for _b, s in taken)
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        if len(group) >= 2:
            assert numbers[0] % 2 == 1  # a traveller and a companion share a pair (1-2, 3-4, …)


def test_propose_and_swap_saved_as_rows(cast: Any) -> None:
    b = _batch(cast)
    a = _accepted(b, cast.person_a, rank=1)  # 万亚勇 (man) with his wife
    wife = _add(cast, a)
    men = [_accepted(b, _person(cast, f"男{i}", "M"), rank=2 + i) for i in range(2)]
    woman = _accepted(b, _person(cast, "女一", "F"), rank=9)
    assert travel.propose_places(actor=cast.city, batch=b, bus_capacity=4) == 5
    rows = {(t.nomination_id, t.companion_id): t for t in TravelPlace.objects.filter(batch=b)}
    assert rows[(a.pk, None)].room == rows[(a.pk, wife.pk)].room
    assert rows[(men[0].pk, None)].room == rows[(men[1].pk, None)].room
    assert (rows[(a.pk, None)].bus, rows[(a.pk, None)].seat) == (1, 1)
    assert (rows[(a.pk, wife.pk)].bus, rows[(a.pk, wife.pk)].seat) == (1, 2)
    assert rows[(woman.pk, None)].bus == 2  # four seats a bus
    one, two = rows[(men[1].pk, None)], rows[(woman.pk, None)]
    travel.swap_places(actor=cast.city, batch=b, first=one.pk, second=two.pk, what="seat")
    one.refresh_from_db()
    two.refresh_from_db()
    assert (two.bus, two.seat) == (1, 4) and one.bus == 2
    travel.swap_places(actor=cast.city, batch=b, first=one.pk, second=rows[(a.pk, wife.pk)].pk, what="room")
    one.refresh_from_db()
    assert one.room == rows[(a.pk, None)].room
    _add(cast, men[0], name="男零之子", relation="child", id_number=ident("20000101", "013"))
    page = login(Client(), cast.city).get(reverse("trips:journeys_travel", args=[b.pk])).content.decode()
    assert "1 人尚未安排房间和座位" in page
    with pytest.raises(DomainError, match="两个不同的人"):
        travel.swap_places(actor=cast.city, batch=b, first=one.pk, second=one.pk, what="room")


# --- printable lists ----------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607 - poppler-utils on PATH
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


def test_lists_in_excel_and_pdf_masked_logged_and_scoped(cast: Any) -> None:
    b = _batch(cast)
    n = _accepted(b, cast.person_a)
    number = ident()
    wife = _add(cast, n, id_number=number)
    travel.save_details(
        actor=cast.district_a,
        nomination=n,
        diet="清真",
        emergency_name="万大伟",
        emergency_relation="儿子",
        emergency_mobile="13600001111",
    )
    travel.propose_places(actor=cast.city, batch=b, bus_capacity=45)
    client = login(Client(), cast.district_a)
    for kind, words in {
        "roster": ["名单", "万亚勇", "万小红", "随行家属（配偶）", wife.id_number_masked, "清真"],
        "rooms": ["分房表", "万亚勇", "万小红"],
        "seats": ["乘车表", "万亚勇", "万小红"],
        "contacts": ["紧急联系表", "万大伟", "13600001111", "儿子"],
    }.items():
        r = client.get(reverse("trips:journeys_list", args=[b.pk, kind, "pdf"]))
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
        text = _pdf_text(r.content)
        flat = "".join(text.split())
        for w in words:
            assert w in flat, (kind, w)
        assert number not in flat
        r = client.get(reverse("trips:journeys_list", args=[b.pk, kind, "xlsx"]))
        assert r.status_code == 200
        cells = [str(c) for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for c in row]
        assert number not in " ".join(cells)
        for w in words[1:]:
            assert any(w in c for c in cells), (kind, w)
    exports = AuditEntry.objects.filter(action="trips.list_exported", object_id=str(b.pk))
    assert exports.count() == 8
    assert exports.filter(actor=cast.district_a).count() == 8
    # district B sees the batch but none of district A's travellers
    other = login(Client(), cast.district_b).get(reverse("trips:journeys_list", args=[b.pk, "contacts", "xlsx"]))
    seen = " ".join(
        str(c) for row in load_workbook(io.BytesIO(other.content)).active.iter_rows(values_only=True) for c in row
    )
    assert "万亚勇" not in seen and "万大伟" not in seen
    assert client.get(reverse("trips:journeys_list", args=[b.pk, "bank", "xlsx"])).status_code == 404
    assert client.get(reverse("trips:journeys_list", args=[b.pk, "roster", "csv"])).status_code == 404
    assert client.get(reverse("trips:journeys_list", args=[b.pk + 999, "roster", "pdf"])).status_code == 404


def test_details_refuse_bad_mobile(cast: Any) -> None:
    n = _accepted(_batch(cast), cast.person_a)
    with pytest.raises(DomainError) as exc:
        travel.save_details(
            actor=cast.district_a,
            nomination=n,
            diet="",
            emergency_name="甲",
            emergency_relation="",
            emergency_mobile="123",
        )
    assert exc.value.field == "emergency_mobile"
    assert not TravelDetails.objects.exists()


# --- boarding ------------------------------------------------------------------------------------------


def test_boarding_refuses_uncleared_then_counts_on_batch_page(cast: Any) -> None:
    today = timezone.localdate()
    b = _batch(cast, start=today)
    n = _accepted(b, cast.person_a)
    client = login(Client(), cast.district_a)
    r = client.post(reverse("trips:journeys_boarding_mark", args=[n.pk]), {"mark": "present"}, follow=True)
    assert "万亚勇 的出发前核查未完成，也没有市总特许，不能登车。请联系市总工会办理特许登车。" in r.content.decode()
    assert not TravelDetails.objects.filter(nomination=n, attendance=Attendance.PRESENT).exists()
    # absent can always be marked
    travel.mark_boarding(actor=cast.district_a, nomination=n, present=False)
    Checklist.objects.create(nomination=n, done=[], cleared=False, override_reason="已电话核实健康状况")
    r = client.post(reverse("trips:journeys_boarding_mark", args=[n.pk]), {"mark": "present"}, follow=True)
    assert "万亚勇：已到" in r.content.decode()
    assert travel.boarding_count(b) == travel.BoardingCount(expected=1, present=1, absent=0)
    page = client.get(reverse("trips:journeys_batch", args=[b.pk])).content.decode()
    assert "登车：应到 1 人，已到 1 人，未到 0 人" in page


def test_boarding_only_on_the_days_of_the_trip(cast: Any) -> None:
    b = _batch(cast, start=dt.date(2031, 5, 10))
    n = _accepted(b, cast.person_a)
    Checklist.objects.create(nomination=n, done=["健康声明"], cleared=True)
    early = timezone.make_aware(dt.datetime(2031, 5, 9, 20, 0))
    with pytest.raises(DomainError, match="出发当天（2031-05-10）开放"):
        travel.mark_boarding(actor=cast.district_a, nomination=n, present=True, now=early)
    on_day = timezone.make_aware(dt.datetime(2031, 5, 10, 7, 0))
    assert travel.mark_boarding(actor=cast.district_a, nomination=n, present=True, now=on_day).attendance == "present"
