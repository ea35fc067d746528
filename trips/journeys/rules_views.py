"""trips.journeys (triprules): the rules table, a person's travel file, costs, incidents, feedback, figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import User
from core.pages import act, submit
from core.params import parse_id
from core.permissions import has_perm, require_perm
from core.scope import get_visible_or_404
from core.spreadsheets import write_xlsx, xlsx_response
from people.models import Level, Person
from trips.journeys import figures, rules
from trips.journeys.rules_forms import CostForm, FeedbackForm, IncidentForm, RulesForm, TravellerFileForm
from trips.models import (
    Batch,
    BatchCost,
    BatchIncident,
    Nomination,
    NominationStatus,
    TravelHistory,
    TripFeedback,
    TripRules,
    TripStatus,
)

# --- the rules table (city staff edit; every staff member reads) ------------------------------------


@require_perm("trips.journeys_view")
def rules_list(request: HttpRequest) -> HttpResponse:
    levels = dict(Level.choices)
    statuses = dict(TripStatus.choices)
    rows: list[dict[str, Any]] = [
        {
            "r": r,
            "levels": "、".join(str(levels.get(x, x)) for x in r.levels) or _("不限"),
            "statuses": "、".join(str(statuses.get(x, x)) for x in r.statuses),
        }
        for r in TripRules.objects.all()
    ]
    return render(
        request,
        "trips/journeys/rules.html",
        {"rows": rows, "has_default": any(x["r"].year is None for x in rows)},
    )


@require_perm("trips.journeys_plan")
def rules_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    row = get_object_or_404(TripRules, pk=pk) if pk else TripRules()
    form = RulesForm(request.POST or None, instance=row)
    if submit(request, form, lambda: rules.save_rules(actor=request.user, rules=form.instance), _("已保存规则。")):
        return redirect("trips:journeys_rules")
    title = _("编辑疗休养规则") if pk else _("新建疗休养规则")
    return render(request, "trips/journeys/form.html", {"form": form, "title": title, "back": "trips:journeys_rules"})


# --- a person's travel file: front-line, health restriction (district staff, own district) ----------


@require_perm("trips.journeys_manage")
def traveller_file(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    sheet = TravelHistory.objects.filter(person=person).first()
    initial = (
        {"front_line": sheet.front_line, "health_restricted": sheet.health_restricted, "health_note": sheet.health_note}
        if sheet
        else {}
    )
    form = TravellerFileForm(request.POST or None, initial=initial)

    def save() -> TravelHistory:
        d = form.cleaned_data
        return rules.save_traveller_file(
            actor=request.user,
            person=person,
            front_line=d["front_line"],
            restricted=d["health_restricted"],
            note=d["health_note"],
        )

    if submit(request, form, save, _("已保存疗休养档案。")):
        return redirect("trips:journeys_traveller_file", pk=person.pk)
    return render(request, "trips/journeys/traveller_file.html", {"form": form, "person": person})


# --- the batch page's panel: caps, money spent, incidents, feedback ---------------------------------


def batch_panel(request: HttpRequest, batch: Batch) -> dict[str, Any]:
    """What the batch page shows of this part (called by views.batch_detail)."""
    feedback = (
        TripFeedback.objects.visible_to(request.user)
        .filter(nomination__batch=batch)
        .select_related("nomination__person", "nomination__district")
        .order_by("-updated")
    )
    ratings = [f.rating for f in feedback]
    return {
        "cap": rules.cap_check(batch),
        "spend": rules.spend_summary(batch),
        "feedback": feedback[:50],
        "feedback_count": len(ratings),
        "feedback_average": round(sum(ratings) / len(ratings), 1) if ratings else None,
        "incident_count": BatchIncident.objects.visible_to(request.user).filter(batch=batch).count(),
    }


@require_perm("trips.journeys_view")
def batch_costs(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("route"), pk=pk)
    can_plan = has_perm(request.user, "trips.journeys_plan")
    form = CostForm(request.POST or None)
    if request.method == "POST":
        if not can_plan:
            return HttpResponse(status=403)

        def save() -> BatchCost:
            d = form.cleaned_data
            return rules.add_cost(
                actor=request.user, batch=batch, item=d["item"], amount=Decimal(d["amount"]), note=d["note"]
            )

        if submit(request, form, save, _("已登记费用。")):
            return redirect("trips:journeys_costs", pk=batch.pk)
    return render(
        request,
        "trips/journeys/costs.html",
        {
            "batch": batch,
            "form": form,
            "can_plan": can_plan,
            "costs": batch.costs.select_related("recorded_by"),
            "spend": rules.spend_summary(batch),
            "cap": rules.cap_check(batch),
        },
    )


@require_POST
@require_perm("trips.journeys_plan")
def cost_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cost = get_object_or_404(BatchCost.objects.select_related("batch"), pk=pk)
    batch_id = cost.batch_id
    act(request, lambda: rules.delete_cost(actor=request.user, cost=cost), _("已删除费用。"))
    return redirect("trips:journeys_costs", pk=batch_id)


@require_perm("trips.journeys_view")
def batch_incidents(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("route"), pk=pk)
    can_record = has_perm(request.user, "trips.journeys_manage")
    travellers = (
        Nomination.objects.visible_to(request.user)
        .filter(batch=batch, status=NominationStatus.ACCEPTED)
        .select_related("person", "district")
        .order_by("district__code", "rank")
    )
    choices = [(n.pk, f"{n.person.name}（{n.district.name}）") for n in travellers]
    form = IncidentForm(request.POST or None, travellers=choices)
    if request.method == "POST":
        if not can_record:
            return HttpResponse(status=403)

        def save() -> BatchIncident:
            d = form.cleaned_data
            nom = travellers.filter(pk=d["nomination"]).first() if d["nomination"] else None
            return rules.record_incident(
                actor=request.user,
                batch=batch,
                occurred_at=d["occurred_at"],
                what=d["what"],
                action=d["action"],
                nomination=nom,
            )

        if submit(request, form, save, _("已记录事件。")):
            return redirect("trips:journeys_incidents", pk=batch.pk)
    incidents = (
        BatchIncident.objects.visible_to(request.user)
        .filter(batch=batch)
        .select_related("nomination__person", "recorded_by")
    )
    return render(
        request,
        "trips/journeys/incidents.html",
        {"batch": batch, "form": form, "incidents": incidents, "can_record": can_record},
    )


# --- phone: feedback after the batch -----------------------------------------------------------------


@require_perm("portal.self")
def my_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    nom = get_object_or_404(
        Nomination.objects.filter(
            person__user=cast(User, request.user), status=NominationStatus.ACCEPTED
        ).select_related("batch__route"),
        pk=pk,
    )
    existing = TripFeedback.objects.filter(nomination=nom).first()
    initial = {"rating": existing.rating, "comment": existing.comment} if existing else {}
    form = FeedbackForm(request.POST or None, initial=initial)
    window = rules.feedback_window(nom.batch)
    done = submit(
        request,
        form,
        lambda: rules.save_feedback(
            actor=request.user, nomination=nom, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        ),
        _("感谢您的评价！"),
    )
    if done:
        return redirect("trips:journeys_my_trips")
    return render(
        request,
        "trips/journeys/portal/feedback.html",
        {
            "n": nom,
            "form": form,
            "window": window,
            "existing": existing,
            "until": nom.batch.end_date + dt.timedelta(days=rules.FEEDBACK_DAYS),
        },
    )


# --- figures -------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    y = parse_id(request.GET.get("year"))
    this = timezone.localdate().year
    return y if y is not None and 2000 <= y <= this + 5 else this


def _figures(request: HttpRequest, year: int) -> dict[str, Any]:
    user = request.user
    by_year = figures.sent_by_year(user)
    spending = figures.spending_against_caps(user, year)
    return {
        "year": year,
        "by_year": by_year,
        "by_district": figures.sent_by_district(user, year),
        "by_route": figures.sent_by_route(user, year),
        "first": figures.first_time_share(user, year),
        "gap": figures.average_years_since_last(user, year),
        "spending": spending,
        "coverage": figures.checkup_coverage(user, year),
    }


@require_perm("trips.journeys_view")
def figures_page(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    ctx = _figures(request, year)
    chart = {
        "years": [str(y) for y, _n in ctx["by_year"]],
        "per_year": [n for _y, n in ctx["by_year"]],
        "districts": [d for d, _n in ctx["by_district"]],
        "per_district": [n for _d, n in ctx["by_district"]],
        "routes": [r for r, _n in ctx["by_route"]],
        "per_route": [n for _r, n in ctx["by_route"]],
        "batches": [r.batch.name for r in ctx["spending"]],
        "spent": [float(r.spent) for r in ctx["spending"]],
        "caps": [float(r.cap) if r.cap is not None else None for r in ctx["spending"]],
    }
    this = timezone.localdate().year
    years = sorted({y for y, _n in ctx["by_year"]} | {this, year}, reverse=True)
    return render(request, "trips/journeys/figures.html", {**ctx, "chart": chart, "years": years})


@require_perm("trips.journeys_view")
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    ctx = _figures(request, year)
    rows: list[list[Any]] = []
    for y, n in ctx["by_year"]:
        rows.append([_("各年度参加人数"), str(y), n])
    for d, n in ctx["by_district"]:
        rows.append([_("各区县参加人数"), d, n])
    for r, n in ctx["by_route"]:
        rows.append([_("各线路参加人数"), r, n])
    first = ctx["first"]
    rows.append([_("首次参加人数"), f"{first.part}/{first.whole}", f"{first.percent}%"])
    rows.append([_("平均距上次参加年数"), "", ctx["gap"] if ctx["gap"] is not None else "—"])
    for s in ctx["spending"]:
        rows.append([_("实际费用与上限"), s.batch.name, f"{s.spent} / {s.cap if s.cap is not None else '—'}"])
    cov = ctx["coverage"]
    if cov is not None:
        rows.append([_("体检覆盖（到检/应检）"), f"{cov.attended}/{cov.due}", f"{cov.coverage}%"])
    content = write_xlsx(
        [_("指标"), _("项目"), _("数值")],
        rows,
        sheet_title=_("疗休养统计"),
        title=_("%(y)s年疗休养统计") % {"y": year},
    )
    return xlsx_response(content, f"疗休养统计-{year}.xlsx")
