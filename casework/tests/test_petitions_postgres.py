"""信访 under real concurrency (PostgreSQL, one connection per thread): two clerks closing or
extending one case at once — exactly one succeeds; one Idempotency-Key sent six times at once
registers one case."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from casework.models import PetitionCase, PetitionExtension
from casework.petitions import services
from core.errors import DomainError
from core.models import IdempotencyKey
from core.workdays import add_working_days
from tests.cast import build_cast, login, make_user
from tests.concurrency import race

pytestmark = pytest.mark.postgres


@pytest.fixture
def tcast(transactional_db: None) -> Any:
    return build_cast()


def _case(cast: Any) -> PetitionCase:
    return services.register_case(
        actor=cast.city, channel="visit", name="赵六", matter="拆迁补偿", district=cast.region_a
    )


def test_two_clerks_close_one_case_at_once_one_wins(tcast: Any) -> None:
    case = _case(tcast)
    clerks = [tcast.city, tcast.district_a]
    results = race(2, lambda i: services.close_case(actor=clerks[i], case=case, answer=f"答复{i}", satisfaction=""))
    done = [r for r in results if isinstance(r, PetitionCase)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(done), len(refused)) == (1, 1)
    case.refresh_from_db()
    assert case.answer == done[0].answer


def test_two_extension_requests_at_once_one_wins(tcast: Any) -> None:
    case = _case(tcast)
    results = race(4, lambda i: services.request_extension(actor=tcast.city, case=case, days=30, reason=f"理由{i}"))
    assert sum(isinstance(r, PetitionExtension) for r in results) == 1
    assert PetitionExtension.objects.filter(case=case).count() == 1


def test_two_approvers_at_once_one_wins(tcast: Any) -> None:
    case = _case(tcast)
    due = case.due
    services.request_extension(actor=tcast.district_a, case=case, days=10, reason="需会商")
    approvers = [tcast.city, make_user("city2", role="city_staff")]
    results = race(2, lambda i: services.decide_extension(actor=approvers[i], case=case, approve=i == 0))
    done = [r for r in results if isinstance(r, PetitionExtension)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(done), len(refused)) == (1, 1)
    case.refresh_from_db()
    extension = PetitionExtension.objects.get(case=case)
    assert extension.decided_by == done[0].decided_by
    assert case.due == (add_working_days(due, 10) if extension.status == "approved" else due)


def test_one_idempotency_key_sent_at_once_registers_one_case(tcast: Any) -> None:
    clients = [login(Client(), tcast.district_a) for _ in range(6)]
    body = {"channel": "call", "name": "赵六", "matter": "咨询", "district_id": tcast.region_a.pk}

    def call(i: int) -> tuple[int, int]:
        response = clients[i].post(
            "/api/casework/cases", body, content_type="application/json", headers={"Idempotency-Key": "call-0001"}
        )
        return response.status_code, response.json()["id"]

    results = race(6, call)
    assert {status for status, _id in results} == {201}
    assert len({pk for _s, pk in results}) == 1
    assert PetitionCase.objects.count() == 1
    assert IdempotencyKey.objects.filter(key="call-0001").count() == 1
