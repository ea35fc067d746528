"""volunteering.operations: its routes x the cast."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.tests.matrix import SIGNED_IN, Route, allow
from people.models import Person
from volunteering.incidents import services as inc
from volunteering.models import Answer, CallOutAnswer, EquipmentItem, Need, Specialty
from volunteering.operations import services

WORKERS = ("worker_a", "worker_b")
VIEW = ("city", "district_a", "district_b", "team_leader")


def _incident(cast: Any) -> Any:
    return inc.open_incident(actor=None, title="台风", kind="typhoon", started=timezone.now(), areas=[cast.region_a])


def _need(cast: Any, incident: Any) -> Any:
    return inc.create_need(
        actor=None,
        incident=incident,
        region=cast.region_a,
        place="某厂",
        enterprise="某厂",
        specialty=Specialty.objects.get(code="electric"),
        people_needed=1,
    )


def _board(cast: Any) -> dict[str, Any]:
    return {"pk": _incident(cast).pk}


def _dispatchable(cast: Any) -> dict[str, Any]:
    incident = _incident(cast)
    need = _need(cast, incident)
    callout = inc.send_callout(actor=None, need=need, person_ids=[cast.person_a.pk])
    CallOutAnswer.objects.filter(callout=callout).update(answer=Answer.YES)
    return {"pk": incident.pk, "need": need.pk, "person": cast.person_a.pk}


def _lendable(cast: Any) -> dict[str, Any]:
    incident = _incident(cast)
    need = _need(cast, incident)
    item = EquipmentItem.objects.create(
        name="水泵", owner="工会", place="仓库", district=cast.region_a, count_held=5, count_out=0
    )
    return {"pk": incident.pk, "need": need.pk, "item": item.pk}


def _item(cast: Any) -> dict[str, Any]:
    return {"pk": _lendable(cast)["item"]}


def _loan(cast: Any) -> dict[str, Any]:
    d = _lendable(cast)
    loan = services.lend_equipment(
        actor=None,
        item=EquipmentItem.objects.get(pk=d["item"]),
        need=Need.objects.get(pk=d["need"]),
        count=2,
    )
    return {"pk": loan.pk}


def _task_a(cast: Any) -> dict[str, Any]:
    d = _dispatchable(cast)
    dispatch = services.dispatch_person(
        actor=None, need=Need.objects.get(pk=d["need"]), person=Person.objects.get(pk=d["person"])
    )
    return {"pk": dispatch.pk}


IN_A = dict.fromkeys(SIGNED_IN, 403) | {
    "city": 200,
    "district_a": 200,
    "district_b": 404,
    "team_leader": 404,
    "anonymous": 302,
}

ROUTES: list[Route] = [
    Route("volunteering:operations_incidents", expect=allow(*VIEW)),
    Route("volunteering:operations_board", setup=_board, expect=IN_A),
    Route("volunteering:operations_board_live", setup=_board, expect=IN_A),
    Route("volunteering:operations_figures", setup=_board, expect=IN_A),
    Route(
        "volunteering:operations_dispatch",
        method="post",
        setup=_board,
        expect=dict.fromkeys(SIGNED_IN, 403)
        | {"city": 404, "district_a": 404, "district_b": 404, "team_leader": 404, "anonymous": 302},
    ),
    Route(
        "volunteering:operations_lend",
        method="post",
        setup=_board,
        expect=dict.fromkeys(SIGNED_IN, 403)
        | {"city": 404, "district_a": 404, "district_b": 404, "team_leader": 404, "anonymous": 302},
    ),
    Route(
        "volunteering:operations_close",
        method="post",
        setup=_board,
        expect=dict.fromkeys(SIGNED_IN, 403) | {"city": 302, "anonymous": 302},
    ),
    Route(
        "volunteering:operations_return",
        method="post",
        setup=_loan,
        data={"count": 1},
        expect=dict.fromkeys(SIGNED_IN, 403)
        | {"city": 302, "district_a": 302, "district_b": 404, "team_leader": 404, "anonymous": 302},
    ),
    Route("volunteering:operations_equipment", expect=allow(*VIEW)),
    Route("volunteering:operations_equipment_new", expect=allow("city", "district_a", "district_b", "team_leader")),
    Route(
        "volunteering:operations_equipment_edit",
        setup=_item,
        expect=dict.fromkeys(SIGNED_IN, 403)
        | {"city": 200, "district_a": 200, "district_b": 404, "team_leader": 404, "anonymous": 302},
    ),
    Route(
        "volunteering:operations_equipment_loans",
        setup=_item,
        expect=dict.fromkeys(SIGNED_IN, 403)
        | {"city": 200, "district_a": 200, "district_b": 404, "team_leader": 404, "anonymous": 302},
    ),
    Route("volunteering:operations_my_tasks", expect=allow(*WORKERS)),
    Route(
        "volunteering:operations_check_in",
        method="post",
        setup=_task_a,
        expect=dict.fromkeys(SIGNED_IN, 403) | {"worker_a": 302, "worker_b": 404, "anonymous": 302},
    ),
    Route(
        "volunteering:operations_check_out",
        method="post",
        setup=_task_a,
        data={"problems_solved": 1},
        expect=dict.fromkeys(SIGNED_IN, 403) | {"worker_a": 302, "worker_b": 404, "anonymous": 302},
    ),
]

# The API: scoped as the pages (404 outside the caller's part), 401 signed out. Writes are sent
# without an Idempotency-Key, so those let through the permission and scope checks get 422.
API_IN_A = IN_A | {"anonymous": 401}
API_WRITE_A = IN_A | {"city": 422, "district_a": 422, "anonymous": 401}

ROUTES += [
    Route(
        "api:volunteering_ops_dispatch",
        method="post",
        setup=lambda c: {"pk": _dispatchable(c)["need"]},
        data={"person_id": 1},
        content_type="application/json",
        expect=API_WRITE_A,
    ),
    Route("api:volunteering_ops_my_tasks", expect=allow(*WORKERS, anonymous=401)),
    Route(
        "api:volunteering_ops_check_in",
        method="post",
        setup=_task_a,
        expect=dict.fromkeys(SIGNED_IN, 403)
        | {
            "city": 422,
            "district_a": 422,
            "district_b": 404,
            "team_leader": 404,
            "worker_a": 422,
            "worker_b": 404,
            "anonymous": 401,
        },
    ),
    Route(
        "api:volunteering_ops_check_out",
        method="post",
        setup=_task_a,
        data={"problems_solved": 1},
        content_type="application/json",
        expect=dict.fromkeys(SIGNED_IN, 403)
        | {
            "city": 422,
            "district_a": 422,
            "district_b": 404,
            "team_leader": 404,
            "worker_a": 422,
            "worker_b": 404,
            "anonymous": 401,
        },
    ),
    Route(
        "api:volunteering_ops_lend",
        method="post",
        setup=lambda c: {"pk": _lendable(c)["need"]},
        data={"item_id": 1, "count": 1},
        content_type="application/json",
        expect=API_WRITE_A,
    ),
    Route(
        "api:volunteering_ops_return",
        method="post",
        setup=_loan,
        data={"count": 1},
        content_type="application/json",
        expect=API_WRITE_A,
    ),
    Route(
        "api:volunteering_ops_close",
        method="post",
        setup=_board,
        expect=dict.fromkeys(SIGNED_IN, 403) | {"city": 422, "anonymous": 401},
    ),
    Route("api:volunteering_ops_board", setup=_board, expect=API_IN_A),
    Route("api:volunteering_ops_figures", setup=_board, expect=API_IN_A),
    Route("api:volunteering_ops_equipment", expect=allow(*VIEW, anonymous=401)),
    Route("api:volunteering_ops_equipment_loans", setup=_item, expect=API_IN_A),
]
