"""Telling the people called in a call-out (used by the service and by the background job)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import notify
from core.request_context import site_url
from volunteering.models import Answer, CallOut, CallOutAnswer, CallOutStatus, IncidentStatus

CHUNK = 200


def answer_link(callout: CallOut) -> str:
    return reverse("volunteering:my_callouts")


def pending_count(user: Any) -> int:
    """Call-outs waiting for this person's answer (the badge beside 应急召集 on the phone home)."""
    return CallOutAnswer.objects.filter(
        person__user=user,
        answer=Answer.PENDING,
        callout__status__in=[CallOutStatus.SENDING, CallOutStatus.SENT],
        callout__incident__status=IncidentStatus.OPEN,
    ).count()


def notify_called(callout: CallOut, *, progress: Any = None) -> int:
    """One SMS and one in-app message to each person not yet told; returns how many were told."""
    need = callout.need
    subject = _("应急召集：%(incident)s") % {"incident": callout.incident.title}
    body = _("%(place)s 需要%(specialty)s人员，请在手机上答复能否前往。%(message)s") % {
        "place": need.place if need else callout.district.name,
        "specialty": callout.specialty.name if callout.specialty else "",
        "message": callout.message,
    }
    link = answer_link(callout)
    rows = list(
        CallOutAnswer.objects.filter(callout=callout, notified_at__isnull=True)
        .select_related("person__user")
        .order_by("id")
    )
    done = 0
    for start in range(0, len(rows), CHUNK):
        with transaction.atomic():
            for row in rows[start : start + CHUNK]:
                person = row.person
                if person.mobile:
                    notify.send(
                        channel="sms",
                        address=person.mobile,
                        subject=subject,
                        body=f"{body} {site_url()}{link}",
                        related=callout,
                    )
                if person.user_id:
                    notify.send(
                        channel="inapp", recipient=person.user, subject=subject, body=body, link=link, related=callout
                    )
            CallOutAnswer.objects.filter(pk__in=[r.pk for r in rows[start : start + CHUNK]]).update(
                notified_at=timezone.now()
            )
        done += len(rows[start : start + CHUNK])
        CallOut.objects.filter(pk=callout.pk).update(notified=done)
        if progress:
            progress(done, len(rows))
    CallOut.objects.filter(pk=callout.pk, status=CallOutStatus.SENDING).update(status=CallOutStatus.SENT)
    return done
