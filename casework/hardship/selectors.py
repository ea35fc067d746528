"""Reads of the hardship part, shared by pages, API, exports and the home page. All scoped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models.hardship import (
    CareVisit,
    FileStatus,
    HardshipFile,
    HelpRecord,
    HelpStatus,
    Occasion,
    PlanTarget,
    Recheck,
    VisitPlan,
)
from core.models import Region
from core.scope import regions_visible_to
from people.models import Person
from people.selectors import search_q

MASK = "***"


def districts_for(user: Any) -> QuerySet[Region]:
    return regions_visible_to(user).filter(kind__in=("district", "zone")).order_by("sort", "code")


def files_for(user: Any, params: dict[str, Any] | None = None) -> QuerySet[HardshipFile]:
    p = params or {}
    qs = HardshipFile.objects.visible_to(user).select_related("person", "district", "category")
    if p.get("q"):
        q = str(p["q"]).strip()
        qs = qs.filter(Q(person__name__contains=q) | Q(number__icontains=q))
    for key in ("district", "category", "step", "status"):
        if p.get(key):
            qs = qs.filter(**{f"{key}_id" if key in ("district", "category") else key: p[key]})
    if p.get("flagged"):
        qs = qs.filter(close_flagged=True)
    return qs.order_by("-applied_on", "-id")


def help_for(user: Any, params: dict[str, Any] | None = None) -> QuerySet[HelpRecord]:
    p = params or {}
    qs = HelpRecord.objects.visible_to(user).select_related("file__person", "file__district", "entered_by")
    if p.get("year"):
        qs = qs.filter(given_on__year=p["year"])
    if p.get("district"):
        qs = qs.filter(file__district_id=p["district"])
    if p.get("kind"):
        qs = qs.filter(kind=p["kind"])
    if p.get("status"):
        qs = qs.filter(status=p["status"])
    if p.get("file"):
        qs = qs.filter(file_id=p["file"])
    return qs.order_by("-given_on", "-id")


def help_totals(qs: QuerySet[HelpRecord]) -> dict[str, Any]:
    """People, times and yuan of effective help."""
    done = qs.filter(status=HelpStatus.APPROVED)
    agg = done.aggregate(times=Count("id"), people=Count("file__person", distinct=True), yuan=Sum("amount"))
    return {"times": agg["times"], "people": agg["people"], "yuan": agg["yuan"] or Decimal("0")}


def help_by_district(qs: QuerySet[HelpRecord]) -> list[dict[str, Any]]:
    return list(
        qs.filter(status=HelpStatus.APPROVED)
        .values("file__district__name")
        .annotate(times=Count("id"), people=Count("file__person", distinct=True), yuan=Sum("amount"))
        .order_by("file__district__name")
    )


def help_by_year(qs: QuerySet[HelpRecord]) -> list[dict[str, Any]]:
    return list(
        qs.filter(status=HelpStatus.APPROVED)
        .values("given_on__year")
        .annotate(times=Count("id"), people=Count("file__person", distinct=True), yuan=Sum("amount"))
        .order_by("-given_on__year")
    )


def pending_help(user: Any) -> QuerySet[HelpRecord]:
    return HelpRecord.objects.visible_to(user).filter(status=HelpStatus.PENDING)


def rechecks_for(user: Any, *, overdue_only: bool = False, district: Any = None) -> QuerySet[Recheck]:
    today = timezone.localdate()
    qs = (
        Recheck.objects.visible_to(user)
        .filter(done_on__isnull=True, file__status=FileStatus.OPEN)
        .select_related("file__person", "file__district")
    )
    if overdue_only:
        qs = qs.filter(due__lt=today)
    if district:
        qs = qs.filter(file__district_id=district)
    return qs.order_by("due", "id")


def visits_for(user: Any, params: dict[str, Any] | None = None) -> QuerySet[CareVisit]:
    p = params or {}
    qs = CareVisit.objects.visible_to(user).select_related("person", "district")
    if p.get("q"):
        qs = qs.filter(person__name__contains=str(p["q"]).strip())
    if p.get("occasion"):
        qs = qs.filter(occasion=p["occasion"])
    if p.get("district"):
        qs = qs.filter(district_id=p["district"])
    if p.get("year"):
        qs = qs.filter(visited_on__year=p["year"])
    if p.get("person"):
        qs = qs.filter(person_id=p["person"])
    return qs.order_by("-visited_on", "-id")


def visit_cash(qs: QuerySet[CareVisit]) -> Decimal:
    total = qs.filter(items__kind="cash").aggregate(s=Sum("items__amount"))["s"]
    return total or Decimal("0")


def plan_progress(user: Any, plan: VisitPlan) -> list[dict[str, Any]]:
    """Completion per district (only the districts the user sees)."""
    rows = (
        PlanTarget.objects.visible_to(user)
        .filter(plan=plan)
        .values("district__name")
        .annotate(total=Count("id"), done=Count("visit"))
        .order_by("district__name")
    )
    out = []
    for r in rows:
        pct = round(100 * r["done"] / r["total"]) if r["total"] else 0
        out.append({"district": r["district__name"], "total": r["total"], "done": r["done"], "pct": pct})
    return out


def plan_candidates(user: Any, plan: VisitPlan, q: str, limit: int = 20) -> list[Any]:
    """Registry people the user sees matching the search box (name, pinyin, ID tail …), in the
    plan's district if it has one, not yet on the plan; the first ``limit``."""
    qs = (
        Person.objects.visible_to(user)
        .filter(search_q(q), merged_into__isnull=True, district__isnull=False)
        .exclude(pk__in=PlanTarget.objects.filter(plan=plan).values("person_id"))
        .select_related("district")
    )
    if plan.district_id is not None:
        qs = qs.filter(district_id=plan.district_id)
    return list(qs.order_by("name_pinyin", "pk")[:limit])


def figures(user: Any, *, year: int | None = None, district: Any = None) -> dict[str, Any]:
    files = HardshipFile.objects.visible_to(user)
    help_qs = HelpRecord.objects.visible_to(user)
    visits = CareVisit.objects.visible_to(user)
    if district:
        files = files.filter(district_id=district)
        help_qs = help_qs.filter(file__district_id=district)
        visits = visits.filter(district_id=district)
    if year:
        files = files.filter(applied_on__year__lte=year).exclude(closed_on__year__lt=year)
        help_qs = help_qs.filter(given_on__year=year)
        visits = visits.filter(visited_on__year=year)
    by_category: dict[str, dict[str, int]] = {}
    for r in files.values("category__name", "status").annotate(n=Count("id")):
        name = r["category__name"] or "—"
        by_category.setdefault(name, {"open": 0, "closed": 0})
        by_category[name]["open" if r["status"] == FileStatus.OPEN else "closed"] += r["n"]
    occasion_counts = dict(visits.values_list("occasion").annotate(n=Count("id")))
    by_occasion = [{"name": str(label), "value": occasion_counts.get(value, 0)} for value, label in Occasion.choices]
    by_district = []
    help_d = {r["file__district__name"]: r for r in help_by_district(help_qs)}
    visit_d = dict(visits.values_list("district__name").annotate(n=Count("id")))
    file_d = {
        r["district__name"]: r
        for r in files.values("district__name").annotate(
            open=Count("id", filter=Q(status=FileStatus.OPEN)), closed=Count("id", filter=Q(status=FileStatus.CLOSED))
        )
    }
    for d in districts_for(user):
        if district and str(d.pk) != str(district):
            continue
        h = help_d.get(d.name, {})
        f = file_d.get(d.name, {})
        by_district.append(
            {
                "name": d.name,
                "open": f.get("open", 0),
                "closed": f.get("closed", 0),
                "help_people": h.get("people", 0),
                "help_times": h.get("times", 0),
                "help_yuan": h.get("yuan") or Decimal("0"),
                "visits": visit_d.get(d.name, 0),
            }
        )
    return {
        "open": files.filter(status=FileStatus.OPEN).count(),
        "closed": files.filter(status=FileStatus.CLOSED).count(),
        "by_category": [{"name": k, **v} for k, v in sorted(by_category.items())],
        "help": help_totals(help_qs),
        "visits": visits.count(),
        "by_occasion": by_occasion,
        "by_district": by_district,
    }


def person_timeline(user: Any, person: Any) -> list[tuple[dt.date, Any, str, str]]:
    """(date, what, detail, url) for the person page, newest first."""
    rows: list[tuple[dt.date, Any, str, str]] = []
    files = list(HardshipFile.objects.visible_to(user).filter(person=person).select_related("category"))
    for f in files:
        url = reverse("casework:hardship_detail", args=[f.pk])
        rows.append(
            (
                f.applied_on,
                _("困难档案"),
                f"{f.number} {f.category or ''} {f.get_step_display()} {f.get_status_display()}",
                url,
            )
        )
        if f.closed_on:
            rows.append((f.closed_on, _("销档"), f"{f.number} {f.get_close_reason_display()}", url))
    for h in HelpRecord.objects.visible_to(user).filter(file__person=person).select_related("file"):
        rows.append(
            (
                h.given_on,
                _("帮扶"),
                f"{h.get_kind_display()} ¥{h.amount} {h.get_status_display()}",
                reverse("casework:hardship_detail", args=[h.file_id]),
            )
        )
    for v in CareVisit.objects.visible_to(user).filter(person=person):
        rows.append((v.visited_on, _("走访"), v.get_occasion_display(), reverse("casework:visit_detail", args=[v.pk])))
    rows.sort(key=lambda r: r[0], reverse=True)
    return rows
