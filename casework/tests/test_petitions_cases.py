"""信访: register a call, deadlines, repeats, extension rules, closing, work lists, scope, bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import DeadlineRule, PetitionCase, PetitionStatus
from casework.petitions import selectors, services
from core.errors import DomainError
from core.workdays import add_working_days
from tests.cast import login

pytestmark = pytest.mark.django_db


def _case(cast: Any, **kw: Any) -> PetitionCase:
    args = {"channel": "call", "name": "张三", "matter": "工资拖欠", "district": cast.region_a, "mobile": "13800000001"}
    return services.register_case(actor=cast.city, **(args | kw))


def test_deadlines_and_repeat(cast: Any) -> None:
    received = timezone.localdate() - dt.timedelta(days=100)
    first = _case(cast, received_on=received, id_number="")
    assert first.notice_due == add_working_days(received, 15)  # the default rules: working days
    assert first.due == add_working_days(received, 60)
    second = _case(cast, matter="又来反映")
    assert second.repeat_of == first
    other = _case(cast, mobile="13900000009")
    assert other.repeat_of is None


def test_extension_once_with_reason_at_most_30_days(cast: Any) -> None:
    case = _case(cast)
    with pytest.raises(DomainError):
        services.request_extension(actor=cast.district_a, case=case, days=31, reason="复杂")
    with pytest.raises(DomainError):
        services.request_extension(actor=cast.district_a, case=case, days=10, reason=" ")
    due = case.due
    services.request_extension(actor=cast.district_a, case=case, days=30, reason="涉及多部门")
    services.decide_extension(actor=cast.city, case=case, approve=True)
    case.refresh_from_db()
    assert case.due == add_working_days(due, 30)
    with pytest.raises(DomainError, match="一次"):
        services.request_extension(actor=cast.district_a, case=case, days=5, reason="再延")


def test_work_lists(cast: Any) -> None:
    DeadlineRule.objects.update(working_days=False)  # 60 calendar days, counted by hand below
    today = timezone.localdate()
    late = _case(cast, received_on=today - dt.timedelta(days=70), mobile="")
    soon = _case(cast, received_on=today - dt.timedelta(days=59), mobile="")
    fresh = _case(cast, mobile="")
    assert list(selectors.work_list(cast.city, "overdue")) == [late]
    assert soon in selectors.work_list(cast.city, "due_soon")
    assert fresh not in selectors.work_list(cast.city, "due_soon")
    assert set(selectors.work_list(cast.city, "notice")) == {late, soon, fresh}
    assert list(selectors.work_list(cast.district_b, "")) == []


def test_clerk_logs_a_call_and_closes_it(cast: Any, client: Any) -> None:
    login(client, cast.district_a)
    response = client.post(
        reverse("casework:petitions_create"),
        {
            "channel": "call",
            "name": "李四",
            "mobile": "13811112222",
            "id_number": "",
            "district": cast.region_a.pk,
            "matter": "社保转移",
        },
    )
    case = PetitionCase.objects.get(name="李四")
    assert response["Location"] == reverse("casework:petitions_detail", args=[case.pk])
    page = client.get(response["Location"]).content.decode()
    assert "138****2222" in page and "13811112222" not in page
    client.post(reverse("casework:petitions_accept", args=[case.pk]))
    client.post(
        reverse("casework:petitions_close", args=[case.pk]), {"answer": "已协调办理", "satisfaction": "unsatisfied"}
    )
    case.refresh_from_db()
    assert case.status == PetitionStatus.CLOSED and case.satisfaction == "unsatisfied"
    assert "复查" in client.get(reverse("casework:petitions_detail", args=[case.pk])).content.decode()
    # Closing twice: a message, not a 500; the first answer stays.
    client.post(reverse("casework:petitions_close", args=[case.pk]), {"answer": "再次办结"})
    case.refresh_from_db()
    assert case.answer == "已协调办理"
    export = client.get(reverse("casework:petitions_export"))
    assert export.status_code == 200


def test_a_registry_person_as_petitioner(cast: Any, client: Any) -> None:
    login(client, cast.district_a)
    data = {"channel": "visit", "name": "", "district": cast.region_a.pk, "matter": "劳模待遇落实"}
    page = client.post(reverse("casework:petitions_create"), data)
    assert page.status_code == 200 and "请填写信访人，或选择人员库中的劳模工匠" in page.content.decode()
    page = client.post(reverse("casework:petitions_create"), data | {"person": str(cast.person_b.pk)})
    assert page.status_code == 200 and "人员库中没有找到" in page.content.decode()  # another district's person
    assert not PetitionCase.objects.exists()
    response = client.post(reverse("casework:petitions_create"), data | {"person": str(cast.person_a.pk)})
    case = PetitionCase.objects.get()
    assert response.status_code == 302
    assert (case.person, case.name, case.mobile) == (cast.person_a, cast.person_a.name, cast.person_a.mobile)


def test_bad_input(cast: Any, client: Any) -> None:
    login(client, cast.district_a)
    page = client.post(
        reverse("casework:petitions_create"),
        {"channel": "fax", "name": "", "mobile": "123", "id_number": "123", "district": cast.region_b.pk, "matter": ""},
    )
    assert page.status_code == 200 and not PetitionCase.objects.exists()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    page = client.post(
        reverse("casework:petitions_create"),
        {"channel": "call", "name": "王五", "district": cast.region_a.pk, "matter": "事项", "received_on": future},
    )
    assert page.status_code == 200 and "不能晚于今天" in page.content.decode()
    assert (
        client.get(reverse("casework:petitions_list"), {"view": "zzz", "channel": "x", "page": "abc"}).status_code
        == 200
    )
    case = _case(cast)
    assert client.post(reverse("casework:petitions_extend", args=[case.pk]), {"days": "abc"}).status_code == 302
    login(client, cast.district_b)
    assert client.get(reverse("casework:petitions_detail", args=[case.pk])).status_code == 404


def test_id_number_is_encrypted_and_hashed(cast: Any) -> None:
    case = _case(cast, id_number="11010519491231002X")
    assert "11010519491231002X" not in case.id_number_encrypted and case.id_number_hash
    again = _case(cast, mobile="", id_number="11010519491231002X")
    assert again.repeat_of == case


def test_a_missing_calendar_year_is_said_on_the_work_list_and_due_soon_widens(cast: Any, client: Any) -> None:
    from core.models import CalendarDay  # noqa: PLC0415

    today = timezone.localdate()
    CalendarDay.objects.filter(date__year=today.year + 1).delete()
    assert str(today.year + 1) in selectors.calendar_warning(today)
    login(client, cast.district_a)
    page = client.get(reverse("casework:petitions_list")).content.decode()
    assert "工作日历缺少" in page and reverse("system:calendar") in page
    CalendarDay.objects.all().delete()
    assert selectors.due_soon_limit(today) == today + dt.timedelta(days=7)  # nothing due soon left off
