"""trips.journeys, travel lists: companions (phone and staff), the travel page (diets, emergency
contacts, rooms, seats), the printable lists (Excel and PDF) and boarding on the day."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import log_action
from core.models import User
from core.pages import act, submit
from core.pdf import render_pdf
from core.permissions import has_perm, require_perm, signed_in
from core.scope import get_visible_or_404
from core.spreadsheets import write_xlsx, xlsx_response
from trips.journeys import travel
from trips.journeys.services import can_board
from trips.journeys.travel_forms import CompanionForm, DetailsForm, ProposeForm, SwapForm
from trips.models import Attendance, Batch, Companion, Nomination, NominationStatus, TravelPlace

# --- companions ---------------------------------------------------------------------------------------


def _companions_page(request: HttpRequest, nom: Nomination, *, template: str) -> HttpResponse:
    form = CompanionForm(request.POST or None)

    def add() -> Companion:
        return travel.add_companion(actor=request.user, nomination=nom, **form.cleaned_data)

    if submit(request, form, add, _("已登记随行家属 %(n)s。") % {"n": request.POST.get("name", "").strip()}):
        return redirect(request.path)
    companions = list(Companion.objects.filter(nomination=nom))
    return render(
        request,
        template,
        {
            "n": nom,
            "form": form,
            "companions": companions,
            "limit": travel.max_companions(),
            "can_add": nom.status == NominationStatus.ACCEPTED and len(companions) < travel.max_companions(),
        },
    )


@require_perm("portal.self")
def my_companions(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_object_or_404(
        Nomination.objects.filter(person__user=cast(User, request.user)).select_related("batch__route"), pk=pk
    )
    return _companions_page(request, nom, template="trips/journeys/portal/companions.html")


@require_POST
@require_perm("portal.self")
def my_companion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    companion = get_object_or_404(Companion.objects.filter(nomination__person__user=cast(User, request.user)), pk=pk)
    act(
        request,
        lambda: travel.remove_companion(actor=request.user, companion=companion),
        _("已删除随行家属 %(n)s。") % {"n": companion.name},
    )
    return redirect("trips:journeys_my_companions", pk=companion.nomination_id)


@require_perm("trips.journeys_manage")
def nomination_companions(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_visible_or_404(
        Nomination.objects.select_related("batch__route", "person", "district"), request.user, pk=pk
    )
    return _companions_page(request, nom, template="trips/journeys/companions.html")


@require_POST
@require_perm("trips.journeys_manage")
def companion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    companion = get_visible_or_404(Companion.objects.all(), request.user, pk=pk)
    act(
        request,
        lambda: travel.remove_companion(actor=request.user, companion=companion),
        _("已删除随行家属 %(n)s。") % {"n": companion.name},
    )
    return redirect("trips:journeys_companions", pk=companion.nomination_id)


# --- the travel page: diets, emergency contacts, rooms and seats -----------------------------------------


def _travellers(request: HttpRequest, batch: Batch) -> Any:
    return (
        Nomination.objects.visible_to(request.user)
        .filter(batch=batch, status=NominationStatus.ACCEPTED)
        .select_related("person", "district", "travel", "checklist")
        .prefetch_related("companions")
        .order_by("district__code", "rank", "id")
    )


def _place_label(t: TravelPlace) -> str:
    name = t.companion.name if t.companion else t.nomination.person.name
    return _("%(name)s（%(room)s号房，%(bus)s号车%(seat)s座）") % {
        "name": name,
        "room": t.room,
        "bus": t.bus,
        "seat": t.seat,
    }


@require_perm("trips.journeys_view")
def batch_travel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("route"), pk=pk)
    noms = list(_travellers(request, batch))
    places = list(
        TravelPlace.objects.filter(batch=batch, nomination__in=[n.pk for n in noms])
        .select_related("nomination__person", "companion")
        .order_by("room", "id")
    )
    by_room: dict[int, list[TravelPlace]] = {}
    for t in places:
        by_room.setdefault(t.room, []).append(t)
    by_bus: dict[int, list[TravelPlace]] = {}
    for t in sorted(places, key=lambda t: (t.bus, t.seat)):
        by_bus.setdefault(t.bus, []).append(t)
    companions = sum(len(n.companions.all()) for n in noms)
    can_plan = has_perm(request.user, "trips.journeys_plan")
    swap = SwapForm(people=[(t.pk, _place_label(t)) for t in places]) if can_plan else None
    rows = [(n, DetailsForm(initial=_details_initial(n), prefix=f"n{n.pk}")) for n in noms]
    return render(
        request,
        "trips/journeys/travel.html",
        {
            "batch": batch,
            "rows": rows,
            "companions": companions,
            # People who accepted or were added after the last proposal have no room or seat yet.
            "unplaced": len(noms) + companions - len(places) if places else 0,
            "rooms": sorted(by_room.items()),
            "buses": sorted(by_bus.items()),
            "can_manage": has_perm(request.user, "trips.journeys_manage"),
            "can_plan": can_plan,
            "propose": ProposeForm() if can_plan else None,
            "swap": swap,
            "kinds": _list_names(),
        },
    )


def _details_initial(n: Nomination) -> dict[str, str]:
    d = getattr(n, "travel", None)
    if d is None:
        return {}
    return {
        "diet": d.diet,
        "emergency_name": d.emergency_name,
        "emergency_relation": d.emergency_relation,
        "emergency_mobile": d.emergency_mobile,
    }


@require_POST
@require_perm("trips.journeys_manage")
def details_save(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_visible_or_404(Nomination.objects.select_related("person"), request.user, pk=pk)
    form = DetailsForm(request.POST, prefix=f"n{nom.pk}")
    if not form.is_valid():
        errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("%(name)s：%(e)s") % {"name": nom.person.name, "e": errors})
    else:
        act(
            request,
            lambda: travel.save_details(actor=request.user, nomination=nom, **form.cleaned_data),
            _("已保存 %(name)s 的饮食要求和紧急联系人。") % {"name": nom.person.name},
        )
    return redirect("trips:journeys_travel", pk=nom.batch_id)


@require_POST
@require_perm("trips.journeys_plan")
def places_propose(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch, pk=pk)
    form = ProposeForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: travel.propose_places(
                actor=request.user, batch=batch, bus_capacity=form.cleaned_data["bus_capacity"]
            ),
            _("已按规则生成分房和座位安排。"),
        )
    else:
        messages.error(request, _("每车座位数须在 2 到 80 之间。"))
    return redirect("trips:journeys_travel", pk=batch.pk)


@require_POST
@require_perm("trips.journeys_plan")
def places_swap(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch, pk=pk)
    people = [(t.pk, str(t.pk)) for t in TravelPlace.objects.filter(batch=batch)]
    form = SwapForm(request.POST, people=people)
    if form.is_valid():
        data = form.cleaned_data
        act(
            request,
            lambda: travel.swap_places(
                actor=request.user, batch=batch, first=data["first"], second=data["second"], what=data["what"]
            ),
            _("已交换。"),
        )
    else:
        messages.error(request, _("请选择本批次的两个人。"))
    return redirect("trips:journeys_travel", pk=batch.pk)


# --- printable lists ------------------------------------------------------------------------------------


def _list_names() -> list[tuple[str, str]]:
    return [("roster", _("名单")), ("rooms", _("分房表")), ("seats", _("乘车表")), ("contacts", _("紧急联系表"))]


@require_perm("trips.journeys_view")
def batch_list_file(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """One printable list as Excel or PDF: the caller's districts only, ID numbers masked; the
    download is logged as a personal-data export."""
    if kind not in travel.LIST_KINDS or fmt not in {"xlsx", "pdf"}:
        raise Http404
    batch = get_object_or_404(Batch.objects.select_related("route"), pk=pk)
    data = travel.travel_list(batch=batch, noms=Nomination.objects.visible_to(request.user), kind=kind)
    period = f"{batch.start_date:%Y-%m-%d}—{batch.end_date:%Y-%m-%d}"
    title = f"{batch.name} {batch.route.name} {period} · {data.title}"
    log_action(
        signed_in(request),
        "trips.list_exported",
        batch,
        changes={"list": kind, "format": fmt, "rows": len(data.rows)},
    )
    filename = f"{batch.name}-{data.title}.{fmt}"
    if fmt == "xlsx":
        content = write_xlsx(
            data.headers, data.rows, sheet_title=data.title, title=title, text_columns=data.text_columns
        )
        return xlsx_response(content, filename)
    pdf = render_pdf(
        "trips/journeys/list_pdf.html",
        {"batch": batch, "list": data, "period": period, "made": timezone.localtime()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_perm("trips.journeys_view")
def batch_roster_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The old address of the 名单 in Excel (kept for links and bookmarks)."""
    return batch_list_file(request, pk=pk, kind="roster", fmt="xlsx")


# --- boarding on the day ----------------------------------------------------------------------------------


@require_perm("trips.journeys_manage")
def batch_boarding(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("route"), pk=pk)
    noms = _travellers(request, batch)
    rows = [
        {
            "n": n,
            "ok": can_board(n),
            "mark": n.travel.attendance if hasattr(n, "travel") else "",
            "place": next((t for t in n.places.all() if t.companion_id is None), None),
        }
        for n in noms.prefetch_related("places")
    ]
    return render(
        request,
        "trips/journeys/boarding.html",
        {
            "batch": batch,
            "rows": rows,
            "count": travel.boarding_count(batch, Nomination.objects.visible_to(request.user)),
            "open": travel.boarding_open(batch),
            "present": Attendance.PRESENT,
            "absent": Attendance.ABSENT,
        },
    )


@require_POST
@require_perm("trips.journeys_manage")
def boarding_mark(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_visible_or_404(Nomination.objects.select_related("person"), request.user, pk=pk)
    present = request.POST.get("mark") == Attendance.PRESENT
    label = _("已到") if present else _("未到")
    act(
        request,
        lambda: travel.mark_boarding(actor=request.user, nomination=nom, present=present),
        _("%(name)s：%(m)s") % {"name": nom.person.name, "m": label},
    )
    return redirect("trips:journeys_boarding", pk=nom.batch_id)
