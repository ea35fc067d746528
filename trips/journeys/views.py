"""trips.journeys: staff pages and the phone page 我的疗休养."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models import RegionKind, User
from core.pages import page_context
from core.permissions import has_perm, require_perm
from core.scope import get_visible_or_404, regions_visible_to
from trips.journeys import selectors, services
from trips.models import Batch, Nomination, TripRoute


@require_perm("trips.journeys_view")
def route_list(request: HttpRequest) -> HttpResponse:
    return render(request, "trips/journeys/route_list.html", page_context(request, TripRoute.objects.all()))


@require_perm("trips.journeys_view")
def batch_list(request: HttpRequest) -> HttpResponse:
    qs = Batch.objects.select_related("route")
    return render(request, "trips/journeys/batch_list.html", page_context(request, qs))


def _districts(request: HttpRequest):  # type: ignore[no-untyped-def]
    return regions_visible_to(request.user).filter(kind=RegionKind.DISTRICT).order_by("code")


@require_perm("trips.journeys_view")
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("route"), pk=pk)
    districts = list(_districts(request))
    quotas = {q.district_id: q.places for q in batch.quotas.all()}
    nominations = Nomination.objects.visible_to(request.user).filter(batch=batch).select_related("person", "district")
    district = None
    did = request.GET.get("district", "")
    if did.isdigit():
        district = next((d for d in districts if d.pk == int(did)), None)
    preview = selectors.priority_list(district=district, year=batch.start_date.year, limit=50) if district else []
    return render(
        request,
        "trips/journeys/batch_detail.html",
        {
            "batch": batch,
            "rows": [(d, quotas.get(d.pk, 0)) for d in districts],
            "district": district,
            "preview": preview,
            "can_manage": has_perm(request.user, "trips.journeys_manage"),
            **page_context(request, nominations, default_size=50),
        },
    )


@require_POST
@require_perm("trips.journeys_manage")
def batch_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch, pk=pk)
    did = request.POST.get("district", "")
    district = _districts(request).filter(pk=int(did)).first() if did.isdigit() else None
    if district is None:
        messages.error(request, _("请选择本人可管理的区县。"))
        return redirect("trips:journeys_batch", pk=batch.pk)
    try:
        n = services.nominate_district(actor=request.user, batch=batch, district=district)
        messages.success(request, _("已推荐 %(n)s 人。") % {"n": n})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("trips:journeys_batch", pk=batch.pk)


@require_POST
@require_perm("trips.journeys_manage")
def nomination_answer(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_visible_or_404(Nomination.objects.all(), request.user, pk=pk)
    _answer(request, nom)
    return redirect("trips:journeys_batch", pk=nom.batch_id)


def _answer(request: HttpRequest, nom: Nomination) -> None:
    try:
        services.answer_nomination(
            actor=request.user,
            nomination=nom,
            accept=request.POST.get("answer") == "yes",
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("已登记答复。"))
    except DomainError as exc:
        messages.error(request, exc.message)


@require_perm("portal.self")
def my_trips(request: HttpRequest) -> HttpResponse:
    rows = (
        Nomination.objects.filter(person__user=cast(User, request.user))
        .select_related("batch__route")
        .order_by("-batch__start_date")
    )
    return render(request, "trips/journeys/portal/my_trips.html", {"rows": rows})


@require_POST
@require_perm("portal.self")
def my_trip_answer(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_object_or_404(Nomination.objects.filter(person__user=cast(User, request.user)), pk=pk)
    _answer(request, nom)
    return redirect("trips:journeys_my_trips")
