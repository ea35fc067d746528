"""信访: the daily reminders of deadlines (``manage.py petitions_remind``).

Every open case whose notice deadline (not yet noticed) or handling deadline falls within
``selectors.DUE_SOON_WORKING_DAYS`` working days, today, or has passed, is reminded to
- its handler (an active account), or, when it has none, the district's own staff holding
  ``casework.petitions_handle``; and
- their supervisors: the whole-city staff holding that permission.
Each person gets at most one in-app message a day (``core.notify``), listing their cases, linked to
the case (one case) or to the work list; a ``PetitionReminder`` row per case, deadline, day and
person records it, so running the task twice a day sends nothing the second time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import PetitionCase, PetitionReminder, PetitionStatus
from casework.petitions.selectors import due_soon_limit
from core import notify

PERM = "casework.petitions_handle"
MAX_LINES = 20
NOTICE, HANDLING = "notice", "handling"


@dataclass(frozen=True)
class Due:
    case: PetitionCase
    deadline: str  # NOTICE or HANDLING
    due: dt.date

    def line(self, today: dt.date) -> str:
        what = _("告知期限") if self.deadline == NOTICE else _("办理期限")
        if self.due < today:
            when = _("已超期%(n)s日") % {"n": (today - self.due).days}
        elif self.due == today:
            when = _("今天到期")
        else:
            when = _("%(date)s到期") % {"date": f"{self.due:%Y-%m-%d}"}
        return f"{self.case.number} {self.case.name}：{what}{when}"


def due_cases(today: dt.date) -> list[Due]:
    """The open cases' deadlines that are due within the limit, today or overdue."""
    limit = due_soon_limit(today)
    open_cases = PetitionCase.objects.exclude(status=PetitionStatus.CLOSED).select_related("district", "handler")
    items = [
        Due(c, NOTICE, c.notice_due)
        for c in open_cases.filter(status=PetitionStatus.RECEIVED, notice_due__lte=limit).order_by("notice_due", "id")
    ]
    items += [Due(c, HANDLING, c.due) for c in open_cases.filter(due__lte=limit).order_by("due", "id")]
    return items


def recipients_by_user(items: list[Due]) -> dict[int, tuple[Any, list[Due]]]:
    """Each person to remind, with their items: the handler (else the district's staff) and the
    whole-city staff."""
    city = notify.staff_holding(perm=PERM, region=None)
    district_staff: dict[int, list[Any]] = {}
    out: dict[int, tuple[Any, list[Due]]] = {}
    for item in items:
        case = item.case
        if case.handler_id and case.handler is not None and case.handler.is_active:
            people = [case.handler]
        else:
            if case.district_id not in district_staff:
                district_staff[case.district_id] = notify.staff_holding(
                    perm=PERM, region=case.district, whole_city=False
                )
            people = district_staff[case.district_id]
        # each item once per person (a handler may also be city staff): no list scan per item
        for user in {u.pk: u for u in [*people, *city]}.values():
            out.setdefault(user.pk, (user, []))[1].append(item)
    return out


def send_reminders(*, on: dt.date | None = None) -> int:
    """Send today's reminders; returns how many people were reminded (0 on a second run)."""
    today = on or timezone.localdate()
    sent = 0
    User = get_user_model()
    for user_id, (user, items) in recipients_by_user(due_cases(today)).items():
        with transaction.atomic():
            # one message a day per person, also when two runs overlap: the person's row is the lock
            User.objects.select_for_update().filter(pk=user_id).first()
            if PetitionReminder.objects.filter(recipient_id=user_id, day=today).exists():
                continue
            PetitionReminder.objects.bulk_create(
                [
                    PetitionReminder(case=i.case, deadline=i.deadline, due=i.due, day=today, recipient_id=user_id)
                    for i in items
                ]
            )
            notify.send(channel="inapp", recipient=user, **_message(items, today))
            sent += 1
    return sent


def _message(items: list[Due], today: dt.date) -> dict[str, Any]:
    overdue = sum(1 for i in items if i.due < today)
    cases = {i.case.pk for i in items}
    subject = _("信访件期限提醒：%(n)s件即将到期或已超期") % {"n": len(cases)}
    lines = [i.line(today) for i in items[:MAX_LINES]]
    if len(items) > MAX_LINES:
        lines.append(_("……共%(n)s项，请在信访件清单中查看") % {"n": len(items)})
    if len(cases) == 1:
        link = reverse("casework:petitions_detail", args=[items[0].case.pk])
        related: PetitionCase | None = items[0].case
    else:
        view = "overdue" if overdue else ("due_soon" if any(i.deadline == HANDLING for i in items) else "notice")
        link = reverse("casework:petitions_list") + f"?view={view}"
        related = None
    return {"subject": subject, "body": "\n".join(lines), "link": link, "related": related}
