"""volunteering.incidents: its routes x the cast."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.tests.matrix import SIGNED_IN, Route, allow
from volunteering.incidents import services
from volunteering.models import CallOutAnswer, Specialty

WORKERS = ("worker_a", "worker_b")


def _called_a(cast: Any) -> dict[str, Any]:
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
    return {"pk": CallOutAnswer.objects.get(callout=callout).pk}


ROUTES: list[Route] = [
    Route("volunteering:my_callouts", expect=allow(*WORKERS)),
    Route(
        "volunteering:my_callout_answer",
        method="post",
        setup=_called_a,
        data={"answer": "yes"},
        expect=dict.fromkeys(SIGNED_IN, 403) | {"worker_a": 302, "worker_b": 404, "anonymous": 302},
    ),
]
