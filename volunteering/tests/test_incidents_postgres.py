"""Answers under real concurrency (PostgreSQL, one connection per thread): a person tapping twice
at once is recorded once; an answer racing a withdrawal never lands on a withdrawn call-out."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from core.reference.loader import load_all_reference
from tests.cast import build_cast
from tests.concurrency import race
from volunteering.incidents import services
from volunteering.models import Answer, CallOutAnswer, Specialty

pytestmark = pytest.mark.postgres


@pytest.fixture
def row(transactional_db: None) -> Any:
    cast = build_cast()
    load_all_reference()
    incident = services.open_incident(
        actor=None, title="台风", kind="typhoon", started=timezone.now(), areas=[cast.region_a]
    )
    need = services.create_need(
        actor=None,
        incident=incident,
        region=cast.region_a,
        place="某厂",
        specialty=Specialty.objects.get(code="electric"),
        people_needed=1,
    )
    callout = services.send_callout(actor=None, need=need, person_ids=[cast.person_a.pk])
    return CallOutAnswer.objects.get(callout=callout)


def test_two_taps_at_once_record_one_answer(row: Any) -> None:
    results = race(6, lambda i: services.answer_callout(actor=None, row=row, answer=Answer.YES if i % 2 else Answer.NO))
    recorded = [r for r in results if isinstance(r, tuple) and r[1]]
    assert len(recorded) == 1
    row.refresh_from_db()
    assert row.answer == recorded[0][0].answer
