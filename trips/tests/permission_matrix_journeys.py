"""trips.journeys: its routes x the cast."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.tests.matrix import Route, allow
from trips.models import Batch, BatchQuota, Companion, Nomination, NominationStatus, TripRoute

STAFF = ("city", "district_a", "district_b")


def batch(cast: Any) -> Batch:
    route, _c = TripRoute.objects.get_or_create(
        name="矩阵线路", defaults={"destination": "象山", "days": 5, "cost_per_day": 300}
    )
    b = Batch.objects.create(
        route=route, name="矩阵批次", start_date=dt.date(2031, 5, 1), end_date=dt.date(2031, 5, 5), capacity=10
    )
    BatchQuota.objects.create(batch=b, district=cast.region_a, places=5)
    return b


def nomination(cast: Any) -> Nomination:
    b = batch(cast)
    return Nomination.objects.create(
        batch=b, person=cast.person_a, district=cast.region_a, status=NominationStatus.INVITED, rank=1
    )


def accepted(cast: Any) -> Nomination:
    n = nomination(cast)
    n.status = NominationStatus.ACCEPTED
    n.save(update_fields=["status"])
    return n


def companion(cast: Any) -> Companion:
    return Companion.objects.create(
        nomination=accepted(cast),
        name="万小红",
        relation="spouse",
        gender="F",
        birth_date=dt.date(1970, 1, 1),
        id_number_encrypted="x",
        id_number_hash="矩阵",
        id_number_masked="3302**********0023",
        mobile="13800000000",
        paid=1280,
    )


def district_a_object(status: int) -> dict[str, int]:
    return allow("city", "district_a", status=status) | {"district_b": 404}


ROUTES: list[Route] = [
    Route("trips:journeys_routes", expect=allow(*STAFF)),
    Route("trips:journeys_batches", expect=allow(*STAFF)),
    Route("trips:journeys_batch", expect=allow(*STAFF), kwargs=lambda c: {"pk": batch(c).pk}),
    Route(
        "trips:journeys_nominate",
        method="post",
        expect=allow(*STAFF, status=302),
        setup=lambda c: {"pk": batch(c).pk},
        data={},
    ),
    Route(
        "trips:journeys_answer",
        method="post",
        expect=district_a_object(302),
        setup=lambda c: {"pk": nomination(c).pk},
        data={"answer": "no", "reason": "家中有事"},
    ),
    Route("trips:journeys_my_trips", expect=allow("worker_a", "worker_b")),
    Route(
        "trips:journeys_my_answer",
        method="post",
        expect=allow("worker_a", status=302) | {"worker_b": 404},
        setup=lambda c: {"pk": nomination(c).pk},
        data={"answer": "no", "reason": "身体原因"},
    ),
    Route("trips:journeys_route_new", expect=allow("city")),
    Route(
        "trips:journeys_route_edit",
        expect=allow("city"),
        kwargs=lambda c: {"pk": batch(c).route_id},
    ),
    Route("trips:journeys_batch_new", expect=allow("city")),
    Route("trips:journeys_batch_edit", expect=allow("city"), kwargs=lambda c: {"pk": batch(c).pk}),
    Route("trips:journeys_quotas", expect=allow("city"), kwargs=lambda c: {"pk": batch(c).pk}),
    Route(
        "trips:journeys_quotas",
        method="post",
        expect=allow("city", status=302),
        setup=lambda c: {"pk": batch(c).pk},
        data={"mode": "split"},
    ),
    Route("trips:journeys_checklist", expect=allow(*STAFF), kwargs=lambda c: {"pk": batch(c).pk}),
    Route(
        "trips:journeys_checklist_save",
        method="post",
        expect=district_a_object(302),
        setup=lambda c: {"pk": nomination(c).pk},
        data={"done": ["健康声明"]},
    ),
    Route(
        "trips:journeys_override",
        method="post",
        expect=allow("city", status=302),
        setup=lambda c: {"pk": nomination(c).pk},
        data={"reason": "已核实"},
    ),
    Route("api:journeys_api_batches", expect=allow(*STAFF, anonymous=401)),
    Route("api:journeys_api_nominations", expect=allow(*STAFF, anonymous=401)),
    Route(
        "api:journeys_api_answer",
        method="post",
        setup=lambda c: {"pk": nomination(c).pk},
        data={"accept": False, "reason": "家中有事"},
        content_type="application/json",
        # Without an Idempotency-Key: 422 once allowed and in scope.
        expect=district_a_object(422) | {"anonymous": 401},
    ),
    Route("trips:journeys_roster", expect=allow(*STAFF), kwargs=lambda c: {"pk": batch(c).pk}),
]

# travel lists (triplists)
ROUTES += [
    Route(
        "trips:journeys_my_companions",
        expect=allow("worker_a") | {"worker_b": 404},
        kwargs=lambda c: {"pk": accepted(c).pk},
    ),
    Route(
        "trips:journeys_my_companion_remove",
        method="post",
        expect=allow("worker_a", status=302) | {"worker_b": 404},
        setup=lambda c: {"pk": companion(c).pk},
        data={},
    ),
    Route("trips:journeys_companions", expect=district_a_object(200), kwargs=lambda c: {"pk": accepted(c).pk}),
    Route(
        "trips:journeys_companion_remove",
        method="post",
        expect=district_a_object(302),
        setup=lambda c: {"pk": companion(c).pk},
        data={},
    ),
    Route("trips:journeys_travel", expect=allow(*STAFF), kwargs=lambda c: {"pk": accepted(c).batch_id}),
    Route(
        "trips:journeys_details_save",
        method="post",
        expect=district_a_object(302),
        setup=lambda c: {"pk": accepted(c).pk},
        data={f"n{0}-diet": "素食"},
    ),
    Route(
        "trips:journeys_places_propose",
        method="post",
        expect=allow("city", status=302),
        setup=lambda c: {"pk": accepted(c).batch_id},
        data={"bus_capacity": 45},
    ),
    Route(
        "trips:journeys_places_swap",
        method="post",
        expect=allow("city", status=302),
        setup=lambda c: {"pk": accepted(c).batch_id},
        data={"first": 1, "second": 2, "what": "room"},
    ),
    Route(
        "trips:journeys_list",
        expect=allow(*STAFF),
        kwargs=lambda c: {"pk": accepted(c).batch_id, "kind": "contacts", "fmt": "xlsx"},
    ),
    Route(
        "trips:journeys_list",
        expect=allow(*STAFF),
        kwargs=lambda c: {"pk": accepted(c).batch_id, "kind": "rooms", "fmt": "pdf"},
    ),
    Route("trips:journeys_boarding", expect=allow(*STAFF), kwargs=lambda c: {"pk": accepted(c).batch_id}),
    Route(
        "trips:journeys_boarding_mark",
        method="post",
        expect=district_a_object(302),
        setup=lambda c: {"pk": accepted(c).pk},
        data={"mark": "absent"},
    ),
]
# --- rules, costs, incidents, feedback, figures (triprules) ---


def rules_row(cast: Any) -> int:
    from trips.models import TripRules  # noqa: PLC0415

    return TripRules.objects.create(year=2031).pk


def cost(cast: Any) -> int:
    from trips.models import BatchCost  # noqa: PLC0415

    return BatchCost.objects.create(batch=batch(cast), item="meals", amount=100).pk


ROUTES += [
    Route("trips:journeys_rules", expect=allow(*STAFF)),
    Route("trips:journeys_rules_new", expect=allow("city")),
    Route(
        "trips:journeys_rules_new",
        method="post",
        expect=allow("city", status=302),
        data={"year": "2032", "statuses": ["working", "retired"], "gap_years": "1", "health": "warn"},
    ),
    Route("trips:journeys_rules_edit", expect=allow("city"), kwargs=lambda c: {"pk": rules_row(c)}),
    Route("trips:journeys_traveller_file", expect=district_a_object(200), kwargs=lambda c: {"pk": c.person_a.pk}),
    Route(
        "trips:journeys_traveller_file",
        method="post",
        expect=district_a_object(302),
        setup=lambda c: {"pk": c.person_a.pk},
        data={"front_line": "on"},
    ),
    Route("trips:journeys_costs", expect=allow(*STAFF), kwargs=lambda c: {"pk": batch(c).pk}),
    Route(
        "trips:journeys_costs",
        method="post",
        expect=allow("city", status=302) | {"district_a": 403, "district_b": 403},
        setup=lambda c: {"pk": batch(c).pk},
        data={"item": "meals", "amount": "120.50"},
    ),
    Route(
        "trips:journeys_cost_delete",
        method="post",
        expect=allow("city", status=302),
        setup=lambda c: {"pk": cost(c)},
        data={},
    ),
    Route("trips:journeys_incidents", expect=allow(*STAFF), kwargs=lambda c: {"pk": batch(c).pk}),
    Route(
        "trips:journeys_incidents",
        method="post",
        expect=allow(*STAFF, status=302),
        setup=lambda c: {"pk": batch(c).pk},
        data={"occurred_at": "2031-05-02T10:00", "what": "大巴晚点", "action": "已调车"},
    ),
    Route(
        "trips:journeys_my_feedback",
        expect=allow("worker_a") | {"worker_b": 404},
        kwargs=lambda c: {"pk": accepted(c).pk},
    ),
    Route("trips:journeys_figures", expect=allow(*STAFF)),
    Route("trips:journeys_figures_xlsx", expect=allow(*STAFF)),
]
