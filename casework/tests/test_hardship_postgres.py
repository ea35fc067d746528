"""Two clerks acting on one hardship file at once: one wins (PostgreSQL row locks, one connection per thread)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from casework.hardship import services
from casework.models.hardship import FileEvent, HardshipFile, HelpRecord, HelpStatus, Step
from casework.tests import hardship_factories as hf
from core.errors import DomainError
from tests.cast import build_cast
from tests.concurrency import race

pytestmark = pytest.mark.postgres


@pytest.fixture
def tcast(transactional_db: None) -> Any:
    return build_cast()


def test_two_clerks_moving_one_file_on_at_once_one_wins(tcast: Any) -> None:
    file = hf.new_file(tcast)
    actors = [tcast.city, tcast.district_a]
    results = race(2, lambda i: services.advance_file(actor=actors[i], file=file, to_step=Step.VERIFY))
    done = [r for r in results if isinstance(r, HardshipFile)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(done), len(refused)) == (1, 1)
    assert "当前环节为「基层核实」" in refused[0].message
    assert FileEvent.objects.filter(file=file, step=Step.APPLY).count() == 2  # 申请 + one advance


def test_two_approvers_of_one_cash_help_at_once_one_wins(tcast: Any) -> None:
    record = services.add_help(
        actor=tcast.district_a,
        file=hf.filed_file(tcast),
        kind="cash",
        amount="9000",
        given_on=timezone.localdate(),
    )
    assert record.status == HelpStatus.PENDING
    results = race(2, lambda i: services.decide_help(actor=tcast.city, record=record, approve=True))
    assert sum(isinstance(r, HelpRecord) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1
