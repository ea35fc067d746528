"""信访 reminders and material under real concurrency (PostgreSQL, one connection per thread): four
reminder runs at once still send one message per person; the petitioner's material limit holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from casework.models import PetitionCase, PetitionStatus
from casework.petitions import reminders, services
from core.errors import DomainError
from core.models import Notification
from core.workdays import load_year
from tests.cast import build_cast
from tests.concurrency import race

pytestmark = pytest.mark.postgres

TODAY = dt.date(2021, 9, 29)


@pytest.fixture
def tcast(transactional_db: None) -> Any:
    return build_cast()


def test_four_reminder_runs_at_once_send_one_message_per_person(tcast: Any) -> None:
    load_year(2021)
    for district in (tcast.region_a, tcast.region_b):
        case = services.register_case(
            actor=tcast.city,
            channel="letter",
            name="孙立",
            matter="反映企业未缴社保",
            district=district,
            received_on=dt.date(2021, 8, 1),
        )
        PetitionCase.objects.filter(pk=case.pk).update(status=PetitionStatus.HANDLING, due=TODAY)
    results = race(4, lambda i: reminders.send_reminders(on=TODAY))
    assert all(isinstance(r, int) for r in results) and sum(results) == 3, results
    sent = Notification.objects.filter(subject__startswith="信访件期限提醒")
    assert sorted(sent.values_list("recipient__username", flat=True)) == ["city", "district_a", "district_b"]


def test_material_limit_holds_when_sent_at_once(tcast: Any, settings: Any) -> None:
    case = services.register_case(
        actor=tcast.city, channel="call", name="赵六", matter="工资", district=tcast.region_a, mobile="13800000001"
    )
    limit = services.MAX_PETITIONER_ATTACHMENTS
    for i in range(limit - 1):
        services.add_attachment(actor=None, case=case, note=f"第{i}份", by_petitioner=True)
    results = race(4, lambda i: services.add_attachment(actor=None, case=case, note=f"同时{i}", by_petitioner=True))
    assert sum(isinstance(r, DomainError) for r in results) == 3
    assert case.attachments.count() == limit
