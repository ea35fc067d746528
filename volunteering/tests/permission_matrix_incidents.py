"""volunteering.incidents: its routes x the cast."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.tests.matrix import SIGNED_IN, Route, allow
from volunteering.incidents import services
from volunteering.models import CallOutAnswer, Specialty

WORKERS = ("worker_a", "worker_b")


def _incident_a(cast: Any) -> Any:
    return services.open_incident(
        actor=None, title="台风", kind="typhoon", started=timezone.now(), areas=[cast.region_a]
    )


def _need_a(cast: Any) -> Any:
    return services.create_need(
        actor=None,
        incident=_incident_a(cast),
        region=cast.region_a,
        place="某厂",
        specialty=Specialty.objects.get(code="electric"),
        people_needed=1,
    )


def _called_a(cast: Any) -> dict[str, Any]:
    incident = _incident_a(cast)
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


def _requested_a(cast: Any) -> dict[str, Any]:
    need = services.create_need(
        actor=cast.requester,
        requested_by=cast.requester,
        incident=_incident_a(cast),
        region=cast.region_a,
        place="某村",
        specialty=None,
        equipment="水泵",
        equipment_count=2,
    )
    return {"pk": need.pk}


STAFF = ("city", "district_a", "district_b", "team_leader")
# District b does not see a Yinzhou incident (404); the team leader leads no team in it (404).
SCOPED = dict.fromkeys(SIGNED_IN, 403) | {"city": 200, "district_a": 200, "district_b": 404, "team_leader": 404}
SCOPED["anonymous"] = 302

ROUTES: list[Route] = [
    Route("volunteering:incident_create", expect=allow("city")),
    Route("volunteering:incident_assign_team", setup=lambda c: {"pk": _incident_a(c).pk}, expect=SCOPED),
    Route(
        "volunteering:callout_withdraw",
        method="post",
        setup=lambda c: {"pk": CallOutAnswer.objects.get(pk=_called_a(c)["pk"]).callout_id},
        expect=SCOPED | {"city": 302, "district_a": 302},
    ),
    Route("volunteering:incident_list", expect=allow(*STAFF)),
    Route("volunteering:incident_detail", setup=lambda c: {"pk": _incident_a(c).pk}, expect=SCOPED),
    Route("volunteering:need_create", setup=lambda c: {"pk": _incident_a(c).pk}, expect=SCOPED),
    Route("volunteering:need_propose", setup=lambda c: {"pk": _need_a(c).pk}, expect=SCOPED),
    Route("volunteering:need_edit", setup=lambda c: {"pk": _need_a(c).pk}, expect=SCOPED),
    Route("volunteering:my_callouts", expect=allow(*WORKERS)),
    # Requesters' phone pages: sign-in by code (anyone signed in is sent on), their own needs.
    Route("volunteering:requester_login", expect=allow(status=302, others=302, anonymous=200)),
    Route("volunteering:requester_login_code", expect=allow(status=302, others=302, anonymous=302)),
    Route("volunteering:my_needs", expect=allow("requester")),
    Route("volunteering:my_need_create", expect=allow("requester")),
    Route("volunteering:my_need", setup=_requested_a, expect=allow("requester")),
    Route(
        "volunteering:my_callout_answer",
        method="post",
        setup=_called_a,
        data={"answer": "yes"},
        expect=dict.fromkeys(SIGNED_IN, 403) | {"worker_a": 302, "worker_b": 404, "anonymous": 302},
    ),
    Route("api:volunteering_incidents", expect=allow(*STAFF, anonymous=401)),
    Route(
        "api:volunteering_proposal",
        setup=lambda c: {"pk": _need_a(c).pk},
        expect=SCOPED | {"anonymous": 401},
    ),
    Route(
        "api:volunteering_callout_send",
        method="post",
        data={"person_ids": [1]},
        content_type="application/json",
        setup=lambda c: {"pk": _need_a(c).pk},
        # Without an Idempotency-Key the request is refused (422) after the scope check (404).
        expect=SCOPED | {"city": 422, "district_a": 422, "anonymous": 401},
    ),
    Route(
        "api:volunteering_answer",
        method="post",
        data={"answer": "yes"},
        content_type="application/json",
        setup=_called_a,
        expect=dict.fromkeys(SIGNED_IN, 403) | {"worker_a": 422, "worker_b": 404, "anonymous": 401},
    ),
]
