"""信访 demo: deterministic, over a thousand cases at the default size, today's work lists alive."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone

from casework.models import PetitionCase, PetitionStatus
from casework.petitions import demo, selectors

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        PetitionCase.objects.order_by("id").values_list(
            "received_on", "channel", "kind", "name", "mobile", "status", "due", "satisfaction", "extended_days"
        )
    )


def test_demo_is_deterministic_with_live_work_lists(cast: Any) -> None:
    out = io.StringIO()
    demo.build(size=2293, seed=2026, stdout=out)
    cases = PetitionCase.objects.all()
    old = cases.filter(received_on__year__in=[2020, 2021])
    assert old.count() > 1000
    assert old.filter(status=PetitionStatus.CLOSED).count() == old.count()
    assert old.exclude(repeat_of=None).exists()
    assert old.exclude(extended_days=0).exists()
    assert old.filter(satisfaction="unsatisfied").exists()
    assert all(c.number == f"XF{c.received_on:%Y}{c.pk:07d}" for c in cases[:50])
    for view in ("notice", "due_soon", "overdue"):
        assert selectors.work_list(cast.city, view).exists(), view
    assert "letters/calls/visits" in out.getvalue()
    first = _snapshot()
    PetitionCase.objects.all().delete()
    demo.build(size=2293, seed=2026, stdout=io.StringIO())
    assert _snapshot() == first
    assert timezone.localdate()  # built relative to today
