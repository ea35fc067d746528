"""Pages of the operations part: the live board of an incident (htmx polling), dispatch, equipment,
closing figures (page / Excel), and a person's tasks on the phone (check in, check out with results)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models import Region
from core.pages import act, form_error, message_error, page_context
from core.params import parse_id
from core.pdf import render_pdf
from core.permissions import has_perms, require_perm, signed_in
from core.scope import get_visible_or_404, scope_for
from core.spreadsheets import write_xlsx, xlsx_response
from people.models import Person
from volunteering.models import (
    Answer,
    CallOutAnswer,
    Dispatch,
    EquipmentItem,
    EquipmentLoan,
    Incident,
    Need,
)
from volunteering.operations import selectors, services
from volunteering.operations.forms import KINDS, EquipmentForm


def _count(value: Any) -> int:
    """A count typed on the board or the phone (ids go through core.params.parse_id): empty is 0,
    anything not a number -1, which the services refuse in words."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return -1


@require_perm("volunteering.incidents_view")
def incidents(request: HttpRequest) -> HttpResponse:
    rows = Incident.objects.visible_to(signed_in(request)).order_by("-started")[:100]
    return render(request, "volunteering/operations/incidents.html", {"rows": rows})


def _board_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    user = signed_in(request)
    answered_yes = (
        CallOutAnswer.objects.filter(callout__incident=incident, answer=Answer.YES)
        .exclude(person__in=Dispatch.objects.filter(status__in=selectors.ACTIVE).values("person"))
        .select_related("person")
        .order_by("person__name")
    )
    return {
        "incident": incident,
        "b": selectors.board(incident, user),
        "needs": selectors.open_needs(incident, user)[:50],
        "dispatches": Dispatch.objects.visible_to(user)
        .filter(need__incident=incident)
        .select_related("person", "need")
        .only("status", "checked_in_at", "dispatched_at", "person__name", "need__place")
        .order_by("-dispatched_at")[:50],
        "loans": selectors.outstanding_loans(incident, user)[:50],
        "available": answered_yes[:100],
        "items": EquipmentItem.objects.visible_to(user).order_by("name")[:100],
        "now": timezone.now(),
    }


@require_perm("volunteering.incidents_view")
def board(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_visible_or_404(Incident.objects.all(), signed_in(request), pk=pk)
    ctx = _board_context(request, incident)
    ctx["chart"] = selectors.timeline(incident)
    ctx["can_close"] = has_perms(signed_in(request), ("volunteering.incidents_open",), all)
    return render(request, "volunteering/operations/board.html", ctx)


@require_perm("volunteering.incidents_view")
def board_live(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_visible_or_404(Incident.objects.all(), signed_in(request), pk=pk)
    return render(request, "volunteering/operations/_board_live.html", _board_context(request, incident))


@require_POST
@require_perm("volunteering.incidents_command")
def dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    incident = get_visible_or_404(Incident.objects.all(), user, pk=pk)
    need = get_object_or_404(Need.objects.visible_to(user), pk=parse_id(request.POST.get("need")), incident=incident)
    person = get_object_or_404(Person.objects.all(), pk=parse_id(request.POST.get("person")))
    act(
        request,
        lambda: services.dispatch_person(actor=user, need=need, person=person),
        _("已派出 %(name)s") % {"name": person.name},
    )
    return redirect("volunteering:operations_board", pk=incident.pk)


@require_POST
@require_perm("volunteering.incidents_command")
def lend(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    incident = get_visible_or_404(Incident.objects.all(), user, pk=pk)
    need = get_object_or_404(Need.objects.visible_to(user), pk=parse_id(request.POST.get("need")), incident=incident)
    item = get_object_or_404(EquipmentItem.objects.visible_to(user), pk=parse_id(request.POST.get("item")))
    count = _count(request.POST.get("count"))
    act(request, lambda: services.lend_equipment(actor=user, item=item, need=need, count=count), _("已借出"))
    return redirect("volunteering:operations_board", pk=incident.pk)


@require_POST
@require_perm("volunteering.incidents_command")
def give_back(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    loan = get_visible_or_404(EquipmentLoan.objects.all(), user, pk=pk)
    count = _count(request.POST.get("count"))
    act(request, lambda: services.return_equipment(actor=user, loan=loan, count=count), _("已归还"))
    return redirect("volunteering:operations_board", pk=loan.need.incident_id)


@require_POST
@require_perm("volunteering.incidents_open")
def close(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    incident = get_visible_or_404(Incident.objects.all(), user, pk=pk)
    if not act(request, lambda: services.close_incident(actor=user, incident=incident), _("应急事件已结束")):
        return redirect("volunteering:operations_board", pk=incident.pk)
    return redirect("volunteering:operations_figures", pk=incident.pk)


def _figures_region(request: HttpRequest, incident: Incident) -> Region | None:
    """None: the whole incident (city staff). Otherwise the user's part of it; someone with several
    regions picks one with ``?region=<id>``. Nobody with no part of the incident reaches here (404)."""
    regions = selectors.figures_regions(signed_in(request), incident)
    if not regions and not scope_for(signed_in(request)).everything:
        raise Http404
    if not regions:
        return None
    wanted = parse_id(request.GET.get("region"))
    return next((r for r in regions if r.pk == wanted), regions[0])


@require_perm("volunteering.incidents_view")
def figures(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_visible_or_404(Incident.objects.all(), signed_in(request), pk=pk)
    region = _figures_region(request, incident)
    rows = selectors.incident_figures(incident, region)
    title = f"{incident.title}（{region.name}）" if region else incident.title
    if request.GET.get("format") == "xlsx":
        content = write_xlsx([_("指标"), _("数值")], rows, sheet_title=_("应急统计"), title=title)
        suffix = f"-{region.code}" if region else ""
        return xlsx_response(content, f"应急统计-{incident.pk}{suffix}.xlsx")
    if request.GET.get("format") == "pdf":
        areas = incident.areas.filter(command_level="district").select_related("region")
        if region is not None:
            areas = areas.filter(region__path__startswith=region.path)
        pdf = render_pdf(
            "volunteering/operations/summary_pdf.html",
            {
                "incident": incident,
                "region": region,
                "rows": rows,
                "areas": areas,
                "districts": selectors.district_breakdown(incident, region),
                "enterprises": selectors.top_enterprises(incident, limit=6, region=region),
                "equipment": selectors.equipment_by_item(incident, region),
                "made": timezone.localtime(),
            },
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        name = quote(f"{title}-工作总结.pdf")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
        return response
    ctx = {
        "incident": incident,
        "rows": rows,
        "region": region,
        "regions": selectors.figures_regions(signed_in(request), incident),
    }
    return render(request, "volunteering/operations/figures.html", ctx)


# --- the equipment ledger (物资台账) ---


@require_perm("volunteering.incidents_view")
def equipment(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    q = request.GET.get("q", "").strip()[:60]
    only_out = request.GET.get("out") == "1"
    qs = selectors.equipment_for_user(user, q=q, only_out=only_out)
    kinds = dict(KINDS)
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                i.name,
                str(kinds.get(i.kind, i.kind)),
                i.owner,
                i.place,
                i.district.name,
                i.count_held,
                i.count_out,
                i.available,
            ]
            for i in qs.iterator(chunk_size=500)
        )
        content = write_xlsx(
            [
                _("物资名称"),
                _("类别"),
                _("所属单位"),
                _("存放地点"),
                _("区县(市)"),
                _("持有数量"),
                _("借出未还"),
                _("可借"),
            ],
            rows,
            sheet_title=_("物资台账"),
            title=_("物资台账"),
        )
        return xlsx_response(content, "物资台账.xlsx")
    totals = qs.aggregate(held=Sum("count_held"), out=Sum("count_out"))
    ctx = {
        "q": q,
        "out": only_out,
        "totals": totals,
        "can_edit": has_perms(user, ("volunteering.incidents_command",), all),
        **page_context(request, qs),
    }
    for item in ctx["page"]:
        item.kind_label = kinds.get(item.kind, item.kind)
    return render(request, "volunteering/operations/equipment.html", ctx)


@require_perm("volunteering.incidents_view")
def equipment_loans(request: HttpRequest, pk: int) -> HttpResponse:
    """One item's loans: to which task, how many, returned or still out."""
    item = get_visible_or_404(EquipmentItem.objects.select_related("district"), signed_in(request), pk=pk)
    ctx = {
        "item": item,
        "kind": dict(KINDS).get(item.kind, item.kind),
        **page_context(request, selectors.loans_of_item(item)),
    }
    return render(request, "volunteering/operations/equipment_loans.html", ctx)


@require_perm("volunteering.incidents_command")
def equipment_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in(request)
    item = get_visible_or_404(EquipmentItem.objects.all(), user, pk=pk) if pk is not None else None
    initial = (
        {
            "name": item.name,
            "kind": item.kind or "other",
            "owner": item.owner,
            "place": item.place,
            "district": item.district_id,
            "count_held": item.count_held,
        }
        if item
        else {}
    )
    form = EquipmentForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_equipment(actor=user, item=item, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("物资台账已保存"))
            return redirect("volunteering:operations_equipment")
    return render(request, "volunteering/operations/equipment_form.html", {"form": form, "item": item})


# --- phone: a person's tasks ---


def _my(request: HttpRequest) -> Any:
    return Dispatch.objects.filter(person__user=signed_in(request)).select_related("need__incident", "need__district")


@require_perm("portal.self")
def my_tasks(request: HttpRequest) -> HttpResponse:
    rows = _my(request).order_by("-dispatched_at")[:30]
    return render(request, "volunteering/operations/my_tasks.html", {"rows": rows})


@require_POST
@require_perm("portal.self")
def my_task_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_object_or_404(_my(request), pk=pk)
    try:
        services.check_in(actor=signed_in(request), dispatch=d, photo=request.FILES.get("photo"))
    except DomainError as exc:
        message_error(request, exc)
    else:
        messages.success(request, _("已签到"))
    return redirect("volunteering:operations_my_tasks")


@require_POST
@require_perm("portal.self")
def my_task_check_out(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_object_or_404(_my(request), pk=pk)
    values = {f: _count(request.POST.get(f)) for f in ("problems_solved", "machines_repaired", "people_served")}
    try:
        if min(values.values()) < 0:
            raise DomainError(_("请填写数字"))
        services.check_out(actor=signed_in(request), dispatch=d, notes=request.POST.get("notes", ""), **values)
    except DomainError as exc:
        message_error(request, exc)
    else:
        messages.success(request, _("已签退，感谢您的付出！"))
    return redirect("volunteering:operations_my_tasks")
