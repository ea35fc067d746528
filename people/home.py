"""Registry figures for the staff home page (scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core import extensions as core_points
from core.home import Card, Chart
from core.permissions import has_perm
from people.models import Level, Person, PersonStatus


def _alive(user: Any) -> Any:
    return Person.objects.visible_to(user).active().exclude(status__in=[PersonStatus.DECEASED, PersonStatus.MOVED_AWAY])


@core_points.cards
def cards(user: Any) -> list[Card]:
    if not has_perm(user, "people.view"):
        return []
    counts = _alive(user).aggregate(
        total=Count("id"),
        national=Count("id", filter=Q(top_level=Level.NATIONAL)),
        provincial=Count("id", filter=Q(top_level=Level.PROVINCIAL)),
        city=Count("id", filter=Q(top_level=Level.CITY)),
        hardship=Count("id", filter=Q(hardship=True)),
    )
    url = reverse("people:list")
    return [
        Card(_("在册劳模工匠"), f"{counts['total']:,}", url, _("不含去世、迁出")),
        Card(_("全国级"), f"{counts['national']:,}", f"{url}?level=national"),
        Card(_("省部级"), f"{counts['provincial']:,}", f"{url}?level=provincial"),
        Card(_("市级"), f"{counts['city']:,}", f"{url}?level=city"),
        Card(_("困难劳模"), f"{counts['hardship']:,}", f"{url}?hardship=1"),
    ]


@core_points.charts
def charts(user: Any) -> list[Chart]:
    if not has_perm(user, "people.view"):
        return []
    rows = (
        _alive(user)
        .values("district__name", "district__sort", "top_level")
        .annotate(n=Count("id"))
        .order_by("district__sort", "district__name")
    )
    districts: list[str] = []
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        if r["district__name"] not in districts:
            districts.append(r["district__name"])
        counts[(r["district__name"], r["top_level"])] = r["n"]
    series = [
        {
            "name": str(level.label),
            "type": "bar",
            "stack": "level",
            "data": [counts.get((d, level.value), 0) for d in districts],
        }
        for level in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.DISTRICT)
    ]
    return [Chart(_("各区县劳模工匠（按待遇级别）"), districts, series, reverse("people:list"))]
