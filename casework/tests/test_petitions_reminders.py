"""信访: the daily deadline reminders (``manage.py petitions_remind``), on a fixed date just before
National Day 2021, when "3 working days" reaches across the holiday to the make-up Saturday."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from casework.models import PetitionCase, PetitionReminder, PetitionStatus
from casework.petitions import reminders, services
from core.models import Notification, Role
from core.workdays import load_year
from tests.cast import make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 9, 29)  # Wednesday; 30 Sep, then 1–7 Oct off, 8 Oct, 9 Oct (make-up Saturday)


def _case(cast: Any, *, district: Any = None, handler: Any = None, **fields: Any) -> PetitionCase:
    case = services.register_case(
        actor=cast.city,
        channel="letter",
        name="孙立",
        matter="反映企业未缴社保",
        district=district or cast.region_a,
        received_on=dt.date(2021, 8, 1),
        handler=handler,
    )
    PetitionCase.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


@pytest.fixture
def office(cast: Any) -> dict[str, Any]:
    load_year(2021)
    other_clerk = make_user("district_a2", Role.DISTRICT_STAFF, cast.region_a)
    handling = {"status": PetitionStatus.HANDLING, "notice_due": dt.date(2021, 8, 16)}
    return {
        "other_clerk": other_clerk,
        # handler's own: due on the make-up Saturday = 3 working days away → reminded
        "soon": _case(cast, handler=cast.district_a, due=dt.date(2021, 10, 9), **handling),
        # overdue → reminded
        "late": _case(cast, handler=cast.district_a, due=dt.date(2021, 9, 20), **handling),
        # 11 Oct is the 4th working day → not yet
        "later": _case(cast, handler=cast.district_a, due=dt.date(2021, 10, 11), **handling),
        # no handler, notice due today → the district's staff
        "notice": _case(cast, notice_due=TODAY, due=dt.date(2021, 11, 20)),
        # closed long ago → never
        "closed": _case(cast, handler=cast.district_a, status=PetitionStatus.CLOSED, due=dt.date(2021, 9, 1)),
        # district B, no handler, due today
        "b": _case(cast, district=cast.region_b, due=TODAY, **handling),
    }


def _inbox(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, channel="inapp", subject__startswith="信访件期限提醒"))


def test_reminders_reach_handler_district_and_supervisor_once_a_day(cast: Any, office: dict[str, Any]) -> None:
    items = reminders.due_cases(TODAY)
    assert sorted((i.case.pk, i.deadline) for i in items) == sorted(
        [
            (office["soon"].pk, "handling"),
            (office["late"].pk, "handling"),
            (office["notice"].pk, "notice"),
            (office["b"].pk, "handling"),
        ]
    )
    assert reminders.send_reminders(on=TODAY) == 4  # district_a, district_a2, district_b, city
    handler = _inbox(cast.district_a)
    assert len(handler) == 1
    body = handler[0].body
    assert office["soon"].number in body and office["late"].number in body and office["notice"].number in body
    assert "已超期9日" in body and "告知期限今天到期" in body and "2021-10-09到期" in body
    assert office["later"].number not in body and office["b"].number not in body
    assert handler[0].link == reverse("casework:petitions_list") + "?view=overdue"
    # the other clerk of the district: only the case without a handler, linked to that case
    other = _inbox(office["other_clerk"])
    assert [(m.subject, m.link) for m in other] == [
        ("信访件期限提醒：1件即将到期或已超期", reverse("casework:petitions_detail", args=[office["notice"].pk]))
    ]
    assert [m.body.count("XF") for m in _inbox(cast.district_b)] == [1]
    city = _inbox(cast.city)
    assert len(city) == 1 and city[0].body.count("XF") == 4
    assert _inbox(cast.worker_a) == []
    # a second run the same day: nothing new
    count = Notification.objects.count()
    assert reminders.send_reminders(on=TODAY) == 0
    assert Notification.objects.count() == count
    assert PetitionReminder.objects.filter(day=TODAY).count() == 3 + 1 + 1 + 4
    # the next working day: reminded again
    assert reminders.send_reminders(on=dt.date(2021, 9, 30)) == 4


def test_command_takes_a_date_and_is_idempotent(cast: Any, office: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("petitions_remind", "--date", "2021-09-29", stdout=out)
    call_command("petitions_remind", "--date", "2021-09-29", stdout=out)
    assert out.getvalue().split("\n")[:2] == ["reminded 4", "reminded 0"]


def test_an_inactive_handler_falls_back_to_the_district(cast: Any, office: dict[str, Any]) -> None:
    cast.district_a.is_active = False
    cast.district_a.save(update_fields=["is_active"])
    reminders.send_reminders(on=TODAY)
    assert _inbox(cast.district_a) == []
    assert _inbox(office["other_clerk"])[0].body.count("XF") == 3
