"""信访: the reads (work lists)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.models import (
    ExtensionStatus,
    PetitionCase,
    PetitionChannel,
    PetitionExtension,
    PetitionKind,
    PetitionStatus,
    Satisfaction,
)
from core.errors import DomainError
from core.models import Region, RegionKind
from core.scope import regions_visible_to
from core.workdays import add_working_days, missing_years

DUE_SOON_WORKING_DAYS = 3
PETITIONER_STEPS = (_("已收到"), _("已告知受理"), _("正在办理"), _("已办结"))


def due_soon_limit(today: dt.date) -> dt.date:
    """The last day counted as 即将到期: 3 working days ahead. With the working-day calendar missing a
    year (``calendar_warning`` says so on the list page, the home card too), a week of calendar
    days, so that nothing due soon is left off while the calendar is being loaded."""
    try:
        return add_working_days(today, DUE_SOON_WORKING_DAYS)
    except DomainError:
        return today + dt.timedelta(days=7)


def calendar_warning(today: dt.date) -> str:
    """A sentence for the work list when the working-day calendar lacks this year or the next
    (deadlines of new cases cannot be counted; 即将到期 is then a week of calendar days)."""
    missing = missing_years([today.year, today.year + 1])
    if not missing:
        return ""
    return gettext(
        "工作日历缺少 %(years)s 年：新登记的信访件无法计算期限，“即将到期”暂按7个自然日列出。"
        "请在“系统管理 → 工作日历”中载入。"
    ) % {"years": "、".join(str(y) for y in missing)}


def work_list(
    user: Any, view: str = "", q: str = "", channel: str = "", *, category: str = ""
) -> QuerySet[PetitionCase]:
    today = timezone.localdate()
    qs = PetitionCase.objects.visible_to(user).select_related("district", "handler")
    open_cases = qs.exclude(status=PetitionStatus.CLOSED)
    if view == "overdue":
        qs = open_cases.filter(due__lt=today)
    elif view == "due_soon":
        qs = open_cases.filter(due__gte=today, due__lte=due_soon_limit(today))
    elif view == "notice":
        qs = qs.filter(status=PetitionStatus.RECEIVED)
    elif view == "open":
        qs = open_cases
    elif view == "extension":
        qs = qs.filter(extension_request__status=ExtensionStatus.PENDING)
    if channel:
        qs = qs.filter(channel=channel)
    if category:
        qs = qs.filter(category_id=int(category))
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(number=q)
    return qs.order_by("due", "id") if view in {"overdue", "due_soon"} else qs


def extension_of(case: PetitionCase) -> PetitionExtension | None:
    return PetitionExtension.objects.filter(case=case).select_related("requested_by", "decided_by").first()


def review_window_or_none(case: PetitionCase) -> dict[str, Any] | None:
    """For the case page: the last day to ask for 复查/复核, or the calendar error instead."""
    from casework.petitions.services import review_window  # noqa: PLC0415

    try:
        last = review_window(case)
    except DomainError as exc:
        return {"error": exc.message}
    return {"last": last, "open": last >= timezone.localdate()} if last else None


def transfer_handlers(user: Any) -> QuerySet[Any]:
    """Who a case can be given to by ``user``: active staff with ``casework.petitions_handle`` in a
    region ``user`` sees, or of the whole city (the service checks the pair district–handler)."""
    from core.models import RoleAssignment, User  # noqa: PLC0415
    from core.permissions import role_permissions  # noqa: PLC0415
    from core.scope import REGION_ROLES  # noqa: PLC0415

    roles = [r for r, p in role_permissions().items() if "casework.petitions_handle" in p and r in REGION_ROLES]
    regions = regions_visible_to(user)
    assignments = RoleAssignment.objects.filter(
        Q(region__isnull=True) | Q(region__in=regions), role__in=roles, user__is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=assignments).order_by("username")


# ---------------------------------------------------------------- figures (one selector per figure)


def districts_for(user: Any) -> QuerySet[Region]:
    return regions_visible_to(user).filter(kind=RegionKind.DISTRICT).order_by("sort", "code")


def cases_for_figures(user: Any, *, year: int | None = None, district: int | None = None) -> QuerySet[PetitionCase]:
    """The cases a figure counts: visible to ``user``, received in ``year``, in ``district``."""
    qs = PetitionCase.objects.visible_to(user)
    if year:
        qs = qs.filter(received_on__year=year)
    if district:
        qs = qs.filter(district_id=district)
    return qs


def received_by_district(qs: QuerySet[PetitionCase]) -> list[dict[str, Any]]:
    """Received per district, by channel and by type (rows for the table and the export)."""
    rows: dict[str, dict[str, Any]] = {}
    for r in qs.values("district__name", "district__sort", "channel", "kind").annotate(n=Count("id")):
        row = rows.setdefault(
            r["district__name"],
            {"name": r["district__name"], "sort": r["district__sort"], "total": 0}
            | dict.fromkeys(PetitionChannel.values, 0)
            | dict.fromkeys(PetitionKind.values, 0),
        )
        row[r["channel"]] += r["n"]
        row[r["kind"]] += r["n"]
        row["total"] += r["n"]
    return sorted(rows.values(), key=lambda r: (r["sort"], r["name"]))


def received_by_period(qs: QuerySet[PetitionCase], *, year: int | None = None) -> list[dict[str, Any]]:
    """Received per period, by channel: the twelve months of ``year`` (``"2021-03"``), or, without a
    year, per year (``"2021"``) — ``[{"period": ..., "call": 12, ...}]``."""
    periods: dict[str, dict[str, Any]] = {}
    if year:
        for month in range(1, 13):
            key = f"{year}-{month:02d}"
            periods[key] = {"period": key} | dict.fromkeys(PetitionChannel.values, 0)
        rows = qs.annotate(p=TruncMonth("received_on")).values("p", "channel").annotate(n=Count("id"))
        for r in rows.order_by("p"):
            periods[f"{r['p']:%Y-%m}"][r["channel"]] += r["n"]
        return list(periods.values())
    for r in qs.values("received_on__year", "channel").annotate(n=Count("id")).order_by("received_on__year"):
        key = str(r["received_on__year"])
        periods.setdefault(key, {"period": key} | dict.fromkeys(PetitionChannel.values, 0))[r["channel"]] += r["n"]
    return list(periods.values())


def received_by_category(qs: QuerySet[PetitionCase]) -> list[dict[str, Any]]:
    """Received per category (the dictionary's order; cases without one last): ``[{"name", "n", "closed"}]``."""
    rows = (
        qs.values("category__name", "category__order")
        .annotate(n=Count("id"), closed=Count("id", filter=Q(status=PetitionStatus.CLOSED)))
        .order_by("category__order", "category__name")
    )
    out = [{"name": r["category__name"], "n": r["n"], "closed": r["closed"]} for r in rows if r["category__name"]]
    out += [{"name": None, "n": r["n"], "closed": r["closed"]} for r in rows if not r["category__name"]]
    return out


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def on_time_rates(qs: QuerySet[PetitionCase]) -> dict[str, Any]:
    """按期告知率 (noticed by the 15-day deadline) and 按期办结率 (closed by the due date, extension counted)."""
    noticed = qs.exclude(noticed_on=None)
    closed = qs.filter(status=PetitionStatus.CLOSED).exclude(closed_on=None)
    n = noticed.aggregate(all=Count("id"), ok=Count("id", filter=Q(noticed_on__lte=F("notice_due"))))
    c = closed.aggregate(all=Count("id"), ok=Count("id", filter=Q(closed_on__lte=F("due"))))
    return {
        "noticed": n["all"],
        "noticed_on_time": n["ok"],
        "notice_rate": _rate(n["ok"], n["all"]),
        "closed": c["all"],
        "closed_on_time": c["ok"],
        "closing_rate": _rate(c["ok"], c["all"]),
    }


def satisfaction(qs: QuerySet[PetitionCase]) -> list[dict[str, Any]]:
    """Satisfaction of the closed cases that answered the call: ``[{"key", "name", "n", "pct"}]``."""
    counts = dict(qs.exclude(satisfaction="").values_list("satisfaction").annotate(n=Count("id")))
    total = sum(counts.values())
    return [
        {"key": key, "name": str(label), "n": counts.get(key, 0), "pct": _rate(counts.get(key, 0), total)}
        for key, label in Satisfaction.choices
    ]


def figures(user: Any, *, year: int | None = None, district: int | None = None) -> dict[str, Any]:
    qs = cases_for_figures(user, year=year, district=district)
    by_district = received_by_district(qs)
    return {
        "total": sum(r["total"] for r in by_district),
        "by_district": by_district,
        "by_period": received_by_period(qs, year=year),
        "on_time": on_time_rates(qs),
        "satisfaction": satisfaction(qs),
        "by_category": received_by_category(qs),
    }


# ---------------------------------------------------------------- the petitioner's phone page (petphone)


def cases_for_mobile(mobile: str) -> QuerySet[PetitionCase]:
    """A petitioner's own cases: those registered with this (normalised, verified) mobile number.
    The only way the phone pages reach a case: another number's case is not in it (404)."""
    if not mobile:
        return PetitionCase.objects.none()
    return PetitionCase.objects.filter(mobile=mobile).select_related("district").order_by("-received_on", "-id")


def petitioner_stage(case: PetitionCase) -> list[dict[str, Any]]:
    """The steps the petitioner sees: received, noticed (accepted), being handled, closed; each with
    its date when reached and whether it is the current one."""
    closed = case.status == PetitionStatus.CLOSED
    noticed = bool(case.noticed_on) or case.status != PetitionStatus.RECEIVED
    steps = [
        {"label": PETITIONER_STEPS[0], "done": True, "on": case.received_on},
        {"label": PETITIONER_STEPS[1], "done": noticed, "on": case.noticed_on},
        {"label": PETITIONER_STEPS[2], "done": noticed, "on": None},
        {"label": PETITIONER_STEPS[3], "done": closed, "on": case.closed_on},
    ]
    current = 3 if closed else (2 if noticed else 0)
    for i, step in enumerate(steps):
        step["current"] = i == current
    return steps
