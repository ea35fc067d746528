"""What technical help does when people change in the registry, or two records of one person
are merged."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from assistance.models import Invitation, MatchProfile, MatchTerm, VisitPerson
from assistance.selectors import services_of
from assistance.tasks import refresh_match_profiles
from core.models import Actor
from core.permissions import has_perm
from people import extensions as people_points
from people.history import Item, Section
from people.panels import Panel

# What a match profile is made of (matching._documents): availability (status, merged), area,
# trades and specialties, honours (text and top level). New people get a profile too.
PROFILE_FIELDS = frozenset({"created", "status", "region", "skills", "honours", "merged"})


@people_points.person_changed
def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    """After a committed change: refresh these people's match profiles (someone who died,
    moved away or was merged loses theirs; ranking and invitations also check live)."""
    if PROFILE_FIELDS.isdisjoint(fields):
        return
    refresh_match_profiles.enqueue(list(person_ids))


@people_points.person_merged
def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    """Invitations and visits move to ``keep`` (where ``keep`` already has one for the same
    request or visit, the duplicate's row goes); the duplicate's matching data goes (``keep``'s
    is rebuilt by ``on_person_changed`` after the merge commits)."""
    with transaction.atomic():
        have = set(Invitation.objects.filter(person=keep).values_list("request_id", flat=True))
        Invitation.objects.filter(person=duplicate, request_id__in=have).delete()
        Invitation.objects.filter(person=duplicate).update(person=keep)
        visits = set(VisitPerson.objects.filter(person=keep).values_list("visit_id", flat=True))
        VisitPerson.objects.filter(person=duplicate, visit_id__in=visits).delete()
        VisitPerson.objects.filter(person=duplicate).update(person=keep)
        MatchTerm.objects.filter(person=duplicate).delete()
        MatchProfile.objects.filter(person=duplicate).delete()


@people_points.person_panels
def person_panels(*, user: Any, person: Any) -> list[Any]:
    """技术帮扶 on the person page: the requests this person served (only for those who may see them)."""
    if not has_perm(user, "assistance.view"):
        return []

    rows = [
        [
            timezone.localtime(inv.request.created).date(),
            f"{inv.request.org_name}：{inv.request.title}",
            inv.request.category,
            inv.request.district,
            getattr(inv, "visits", 0) or 0,
            getattr(inv, "hours", 0) or 0,
        ]
        for inv in services_of(person)[:10]
    ]
    return [
        Panel(
            title=_("技术帮扶"),
            headers=[_("日期"), _("需求"), _("类别"), _("区县"), _("走访次数"), _("服务时长(小时)")],
            rows=rows,
            more_url=reverse("assistance:person_services", args=[person.pk]),
        )
    ]


@people_points.person_history
def portal_sections(*, user: Any, person: Any) -> list[Any]:
    """我参加的技术帮扶: the requests the person served, with their visits and hours."""
    items = []
    for inv in services_of(person).filter(person__user=user)[:20]:
        r = inv.request
        lines = [
            f"{r.org_name} · {r.category} · {date_format(localtime(r.created), 'DATE_FORMAT')}",
            _("上门%(n)s次") % {"n": getattr(inv, "visits", 0) or 0}
            + (_("，共%(h)s小时") % {"h": hours.normalize()} if (hours := getattr(inv, "hours", None)) else ""),
        ]
        items.append(Item(title=r.title, lines=lines, tag=str(r.get_status_display())))
    return [
        Section(
            title=_("我参加的技术帮扶"),
            items=items,
            order=40,
            empty_text=_("暂无服务记录"),
            more_url=reverse("assistance:my_invitations"),
            more_label=_("查看帮扶邀请"),
        )
    ]
