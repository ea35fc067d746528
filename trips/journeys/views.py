"""trips.journeys: staff pages and the phone page 我的疗休养."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models import RegionKind, User
from core.pages import act, message_error, page_context, submit
from core.params import parse_id
from core.permissions import has_perm, require_perm
from core.scope import get_visible_or_404, regions_visible_to
from trips.journeys import rules, rules_views, selectors, services, travel
from trips.journeys.forms import BatchForm, MoveForm, QuotaForm, RouteForm
from trips.models import Batch, Nomination, NominationStatus, TripRoute


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
    did = parse_id(request.GET.get("district"))
    if did is not None:
        district = next((d for d in districts if d.pk == did), None)
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
            "boarding": travel.boarding_count(batch, Nomination.objects.visible_to(request.user)),
            "triprules": rules_views.batch_panel(request, batch),
            **page_context(request, nominations, default_size=50),
        },
    )


@require_POST
@require_perm("trips.journeys_manage")
def batch_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch, pk=pk)
    did = parse_id(request.POST.get("district"))
    district = _districts(request).filter(pk=did).first() if did is not None else None
    if district is None:
        messages.error(request, _("请选择本人可管理的区县。"))
        return redirect("trips:journeys_batch", pk=batch.pk)
    try:
        n = services.nominate_district(actor=request.user, batch=batch, district=district)
        messages.success(request, _("已推荐 %(n)s 人。") % {"n": n})
    except DomainError as exc:
        message_error(request, exc)
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
        .select_related("batch__route", "checklist", "feedback")
        .prefetch_related("companions")
        .order_by("-batch__start_date")
    )
    return render(request, "trips/journeys/portal/my_trips.html", {"rows": rows, "today": timezone.localdate()})


@require_POST
@require_perm("portal.self")
def my_trip_answer(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_object_or_404(Nomination.objects.filter(person__user=cast(User, request.user)), pk=pk)
    _answer(request, nom)
    nom.refresh_from_db(fields=["status"])
    if nom.status == NominationStatus.ACCEPTED:
        # Next step after accepting: companions at one's own cost (none is fine).
        return redirect("trips:journeys_my_companions", pk=nom.pk)
    return redirect("trips:journeys_my_trips")


# --- planning (city staff): the routes catalogue, batches and district quotas ---------------------


@require_perm("trips.journeys_plan")
def route_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    route = get_object_or_404(TripRoute, pk=pk) if pk else TripRoute()
    form = RouteForm(request.POST or None, instance=route)
    if submit(request, form, lambda: services.save_route(actor=request.user, route=form.instance), _("已保存线路。")):
        return redirect("trips:journeys_routes")
    title = _("编辑线路") if pk else _("新建线路")
    return render(request, "trips/journeys/form.html", {"form": form, "title": title, "back": "trips:journeys_routes"})


@require_perm("trips.journeys_plan")
def batch_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    batch = get_object_or_404(Batch, pk=pk) if pk else Batch()
    form = BatchForm(request.POST or None, instance=batch, initial={"checklist_items": batch.checklist_items})

    def save() -> Batch:
        form.instance.checklist_items = form.checklist()
        return services.save_batch(actor=request.user, batch=form.instance)

    if submit(request, form, save, _("已保存批次。")):
        for warning in rules.cap_check(form.instance).warnings:
            messages.warning(request, warning)
        return redirect("trips:journeys_batch", pk=form.instance.pk)
    if request.method == "POST" and pk:
        batch.refresh_from_db()
    title = _("编辑批次") if pk else _("新建批次")
    warnings = rules.cap_check(batch).warnings if pk else []
    return render(
        request,
        "trips/journeys/form.html",
        {"form": form, "title": title, "back": "trips:journeys_batches", "warnings": warnings},
    )


@require_perm("trips.journeys_plan")
def batch_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("route"), pk=pk)
    districts_qs = _districts(request)
    districts = list(districts_qs)
    current = {q.district_id: q.places for q in batch.quotas.all()}
    mode = request.POST.get("mode", "") if request.method == "POST" else ""
    form = QuotaForm(request.POST if mode == "hand" else None, districts=districts, initial_places=current)
    move = MoveForm(request.POST if mode == "move" else None, districts=districts_qs)
    done = False
    if mode == "hand":
        done = submit(
            request,
            form,
            lambda: services.set_quotas(actor=request.user, batch=batch, places=form.places(), exact=True),
            _("已保存区县名额。"),
        )
    elif mode == "split":
        done = act(
            request,
            lambda: services.split_by_eligible(actor=request.user, batch=batch, districts=districts),
            _("已按符合条件人数分配名额。"),
        )
        if not done:
            return redirect("trips:journeys_quotas", pk=batch.pk)
    elif mode == "move":
        done = submit(
            request,
            move,
            lambda: services.move_places(
                actor=request.user,
                batch=batch,
                source=move.cleaned_data["source"],
                target=move.cleaned_data["target"],
                places=move.cleaned_data["places"],
            ),
            _("已调剂名额。"),
        )
    if done:
        return redirect("trips:journeys_quotas", pk=batch.pk)
    eligible = services.eligible_counts(districts, batch.start_date.year)
    accepted = services.accepted_counts(batch)
    rows = [(d, form[f"d{d.pk}"], current.get(d.pk, 0), accepted.get(d.pk, 0), eligible[d.pk]) for d in districts]
    return render(
        request,
        "trips/journeys/quotas.html",
        {
            "batch": batch,
            "form": form,
            "move": move,
            "rows": rows,
            "given": sum(current.values()),
        },
    )


# --- pre-departure checklist -------------------------------------------------------------------------


@require_perm("trips.journeys_view")
def batch_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("route"), pk=pk)
    window = services.checklist_window(batch)
    if window == "locked":
        services.flag_uncleared()
    travellers = (
        Nomination.objects.visible_to(request.user)
        .filter(batch=batch, status=NominationStatus.ACCEPTED)
        .select_related("person", "district", "checklist")
        .order_by("district__code", "rank", "id")
    )
    leave = timezone.localtime(services.departure_moment(batch))
    rows = []
    for n in travellers:
        sheet = getattr(n, "checklist", None)
        done = set(sheet.done) if sheet else set()
        rows.append(
            {
                "n": n,
                "items": [(i, i in done) for i in batch.checklist_items],
                "cleared": bool(sheet and sheet.cleared),
                "override": sheet.override_reason if sheet else "",
            }
        )
    return render(
        request,
        "trips/journeys/checklist.html",
        {
            "batch": batch,
            "rows": rows,
            "window": window,
            "opens": leave - services.OPENS_BEFORE,
            "locks": leave - services.LOCKS_BEFORE,
            "leave": leave,
            "can_manage": has_perm(request.user, "trips.journeys_manage"),
            "can_plan": has_perm(request.user, "trips.journeys_plan"),
            "pending": sum(1 for r in rows if not r["cleared"] and not r["override"]),
        },
    )


@require_POST
@require_perm("trips.journeys_manage")
def checklist_save(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_visible_or_404(Nomination.objects.all(), request.user, pk=pk)
    act(
        request,
        lambda: services.save_checklist(actor=request.user, nomination=nom, done=request.POST.getlist("done")),
        _("已保存 %(name)s 的出发前核查。") % {"name": nom.person.name},
    )
    return redirect("trips:journeys_checklist", pk=nom.batch_id)


@require_POST
@require_perm("trips.journeys_plan")
def checklist_override(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_visible_or_404(Nomination.objects.all(), request.user, pk=pk)
    act(
        request,
        lambda: services.override_boarding(actor=request.user, nomination=nom, reason=request.POST.get("reason", "")),
        _("已特许 %(name)s 登车。") % {"name": nom.person.name},
    )
    return redirect("trips:journeys_checklist", pk=nom.batch_id)
