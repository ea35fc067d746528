"""The invariants that need a real database with row locks and concurrent connections."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from core.errors import DomainError
from core.models import AuditEntry, IdempotencyKey
from payments import services
from payments.models import Payout, PayoutChange, PayoutRound, RoundStatus
from payments.tests import helpers
from tests.cast import build_cast, login
from tests.concurrency import race

pytestmark = pytest.mark.postgres


def test_a_person_appears_at_most_once_per_round_by_database_constraint(cast: Any) -> None:
    round_ = helpers.draft(cast)
    line = helpers.line_of(round_, cast.person_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.create(
            round=round_, person=cast.person_a, district=line.district, level="city", honour_name="x", reason="x"
        )
    assert Payout.objects.filter(round=round_, person=cast.person_a).count() == 1


@pytest.fixture
def tcast(transactional_db: None) -> Any:
    return build_cast()


def test_twenty_simultaneous_approvals_give_one_approval_and_one_payout_per_person(tcast: Any) -> None:
    cast = tcast
    round_ = helpers.draft(cast, creator=helpers.second_city_user())
    approvers = [cast.city] + [helpers.second_city_user(f"approver{i}") for i in range(19)]

    results = race(20, lambda i: services.approve_round(actor=approvers[i], round_=round_))

    approved = [r for r in results if isinstance(r, PayoutRound)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(approved), len(refused)) == (1, 19)
    assert {r.message for r in refused} == {"该批次已经批准，不能重复批准"}
    assert PayoutRound.objects.get(pk=round_.pk).status == RoundStatus.APPROVED
    assert AuditEntry.objects.filter(action="payments.round.approved").count() == 1
    per_person = list(Payout.objects.filter(round=round_).values_list("person_id", flat=True))
    assert sorted(per_person) == sorted({cast.person_a.pk, cast.person_b.pk})


def test_replayed_requests_with_one_idempotency_key_pay_once_even_at_once(tcast: Any) -> None:
    cast = tcast
    round_ = helpers.approved(cast)
    line = helpers.line_of(round_, cast.person_a)
    url = f"/api/payments/payouts/{line.pk}/result"

    clients = [login(Client(), cast.district_a) for _ in range(10)]

    def call(i: int) -> tuple[int, bool]:
        response = clients[i].post(
            url, {"result": "paid"}, content_type="application/json", headers={"Idempotency-Key": "return-0001"}
        )
        return response.status_code, response.json()["replayed"]

    results = race(10, call)
    assert sorted(results) == [(200, False)] + [(200, True)] * 9
    assert IdempotencyKey.objects.filter(key="return-0001").count() == 1
    assert PayoutChange.objects.filter(payout=line, action="result").count() == 1
    assert AuditEntry.objects.filter(action="payments.payout.result").count() == 1
    line.refresh_from_db()
    assert (line.result, line.amount) == ("paid", Decimal("1000.00"))


def test_two_rounds_of_one_kind_and_year_approved_at_once_pay_each_person_once(tcast: Any) -> None:
    """Both drafts hold the same two people; approved at the same moment, one wins and the other
    is refused (the approvals take turns on the kind's row lock)."""
    cast = tcast
    first = helpers.draft(cast, creator=helpers.second_city_user(), title="第一批")
    second = helpers.draft(cast, creator=helpers.second_city_user(), title="第二批")
    approvers = [cast.city, helpers.second_city_user("approver_b")]
    rounds = [first, second]

    results = race(2, lambda i: services.approve_round(actor=approvers[i], round_=rounds[i]))

    approved = [r for r in results if isinstance(r, PayoutRound)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(approved), len(refused)) == (1, 1), results
    assert refused[0].message.startswith("有 2 人本年度已在其他批次批准或发放，不能重复发放")
    statuses = sorted(PayoutRound.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True))
    assert statuses == [RoundStatus.APPROVED, RoundStatus.DRAFT]
    paid = list(
        Payout.objects.filter(round__status=RoundStatus.APPROVED, excluded=False).values_list("person_id", flat=True)
    )
    assert sorted(paid) == sorted([cast.person_a.pk, cast.person_b.pk])


def test_a_line_for_a_person_that_does_not_exist_is_refused_by_the_database(cast: Any) -> None:
    round_ = helpers.draft(cast)
    district = helpers.line_of(round_, cast.person_a).district
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        Payout.objects.create(round=round_, person_id=99_999_999, district=district, level="city", honour_name="x")
