"""Technical help figures for the staff home page (scoped)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance import selectors
from assistance.models import OPEN_STATUSES, HelpRequest, Invitation, InvitationStatus, Status
from assistance.services import REMIND_AFTER_HOURS
from core import extensions as core_points
from core.home import Card, TodoItem
from core.permissions import has_perm


@core_points.cards
def cards(user: Any) -> list[Card]:
    if not has_perm(user, "assistance.view"):
        return []
    f = selectors.figures(HelpRequest.objects.visible_to(user))
    url = reverse("assistance:figures")
    return [
        Card(_("技术帮扶需求"), f"{f.requests:,}", url, _("已办结 %(n)s 件") % {"n": f"{f.done:,}"}),
        Card(_("帮扶企业"), f"{f.enterprises_helped:,}", url, _("解决难题 %(n)s 个") % {"n": f"{f.problems_solved:,}"}),
    ]


#: a new request is due to be accepted (or declined) within this many days of its submission
ACCEPT_WITHIN_DAYS = 2
#: an accepted request is due its first visit within this many days of acceptance
VISIT_WITHIN_DAYS = 7


@core_points.todo_items
def todo_items(user: Any) -> list[TodoItem]:
    """New requests to accept (assistance.manage; due ``ACCEPT_WITHIN_DAYS`` after submission),
    accepted requests with no visit ``VISIT_WITHIN_DAYS`` after acceptance, and invitations still
    unanswered past their reminder time (assistance.dispatch), in the user's scope."""
    if not has_perm(user, "assistance.view"):
        return []
    items: list[TodoItem] = []
    now = timezone.now()
    list_url = reverse("assistance:request_list")
    if has_perm(user, "assistance.manage"):
        submitted = Q(status=Status.SUBMITTED)
        no_visit = Q(status__in=[Status.ACCEPTED, Status.IN_SERVICE], first_visit_on__isnull=True)
        visit_late = no_visit & Q(accepted_at__lte=now - timedelta(days=VISIT_WITHIN_DAYS))
        f = HelpRequest.objects.visible_to(user).aggregate(
            new=Count("pk", filter=submitted),
            new_late=Count("pk", filter=submitted & Q(created__lte=now - timedelta(days=ACCEPT_WITHIN_DAYS))),
            first=Min("created", filter=submitted),
            visit_late=Count("pk", filter=visit_late),
        )
        due = timezone.localdate(f["first"] + timedelta(days=ACCEPT_WITHIN_DAYS)) if f["first"] else None
        url = f"{list_url}?status={Status.SUBMITTED}"
        items.append(TodoItem(_("待受理的帮扶需求"), f["new"], url, due, f["new_late"]))
        n = f["visit_late"]
        items.append(TodoItem(_("受理后逾期未上门的帮扶需求"), n, list_url, None, n))
    if has_perm(user, "assistance.dispatch"):
        n = (
            Invitation.objects.visible_to(user)
            .filter(
                status=InvitationStatus.INVITED,
                request__status__in=OPEN_STATUSES,
                invited_at__lte=now - timedelta(hours=REMIND_AFTER_HOURS),
            )
            .count()
        )
        items.append(TodoItem(_("超时未答复的服务邀请"), n, list_url, None, n))
    return items
