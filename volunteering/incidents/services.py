"""Writes of the incidents part: incidents and their areas, needs, call-outs and answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import notify
from core.audit import log_action
from core.errors import DomainError
from core.jobs import start_job
from core.models import Actor, Region
from core.scope import scope_for
from people.models import Person
from volunteering.incidents.messages import notify_called
from volunteering.incidents.proposal import propose
from volunteering.incidents.selectors import callable_person_ids
from volunteering.incidents.tasks import send_callout_messages
from volunteering.models import (
    Answer,
    CallOut,
    CallOutAnswer,
    CallOutStatus,
    CommandLevel,
    Incident,
    IncidentArea,
    IncidentStatus,
    Need,
    NeedStatus,
    Specialty,
    Team,
)
from volunteering.teams.services import district_of

#: Above this many people, sending runs as a background job (the page returns at once).
BACKGROUND_THRESHOLD = 50
CHUNK = 200


def _check_region(actor: Actor, region: Region) -> None:
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.everything or any(region.path.startswith(p) for p in scope.region_paths):
        return
    raise DomainError(_("只能在本人负责的区域内操作"), field="region")


@transaction.atomic
def open_incident(
    *, actor: Actor, title: str, kind: str, started: dt.datetime, description: str = "", areas: list[Region]
) -> Incident:
    if actor is not None and not scope_for(actor).everything:
        raise DomainError(_("应急事件由市级工作人员启动"))
    if not areas:
        raise DomainError(_("请至少选择一个受影响区域"), field="areas")
    incident = Incident.objects.create(
        title=title, kind=kind, started=started, description=description, opened_by=actor
    )
    IncidentArea.objects.create(incident=incident, region=areas[0].parent or areas[0], command_level=CommandLevel.CITY)
    for region in areas:
        IncidentArea.objects.get_or_create(
            incident=incident, region=district_of(region), team=None, defaults={"command_level": CommandLevel.DISTRICT}
        )
    log_action(
        actor, "volunteering.incident.opened", incident, changes={"kind": kind, "areas": [a.name for a in areas]}
    )
    return incident


@transaction.atomic
def assign_team(*, actor: Actor, incident: Incident, team: Team) -> IncidentArea:
    """A team leader runs their team in the incident (within the team's district)."""
    _check_region(actor, team.district)
    if incident.status != IncidentStatus.OPEN:
        raise DomainError(_("应急事件已结束"))
    area, created = IncidentArea.objects.get_or_create(
        incident=incident, team=team, defaults={"region": team.district, "command_level": CommandLevel.TEAM}
    )
    log_action(actor, "volunteering.incident.team_assigned", incident, changes={"team": team.name})
    leader_user = team.leader.user if created and team.leader_id and team.leader else None
    if leader_user is not None:
        notify.send(
            channel="inapp",
            recipient=leader_user,
            subject=_("%(team)s 已被指派参加：%(incident)s") % {"team": team.name, "incident": incident.title},
            body=_("请查看事件并带领本队行动"),
            link=reverse("volunteering:incident_detail", args=[incident.pk]),
            related=incident,
        )
    return area


@transaction.atomic
def create_need(
    *,
    actor: Actor,
    incident: Incident,
    region: Region,
    place: str,
    specialty: Specialty | None,
    people_needed: int = 0,
    equipment: str = "",
    equipment_count: int = 0,
    urgency: str = "normal",
    enterprise: str = "",
    description: str = "",
    contact_name: str = "",
    contact_mobile: str = "",
    requested_by: Any = None,
) -> Need:
    if requested_by is None:
        _check_region(actor, region)
    if incident.status != IncidentStatus.OPEN:
        raise DomainError(_("应急事件已结束，不能再登记需求"))
    _check_need_values(
        {
            "specialty": specialty,
            "people_needed": people_needed,
            "equipment": equipment,
            "equipment_count": equipment_count,
        }
    )
    district = district_of(region)
    street = _street_of(region)
    need = Need.objects.create(
        incident=incident,
        region=region,
        street=street,
        district=district,
        place=place,
        enterprise=enterprise,
        specialty=specialty,
        people_needed=people_needed,
        equipment=equipment,
        equipment_count=equipment_count,
        urgency=urgency,
        description=description,
        contact_name=contact_name,
        contact_mobile=contact_mobile,
        requested_by=requested_by,
        created_by=actor,
        status=NeedStatus.OPEN if requested_by is None else NeedStatus.PENDING,
    )
    log_action(actor, "volunteering.need.created", need, changes={"place": place, "people": people_needed})
    if requested_by is not None:
        notify.notify_staff(
            perm="volunteering.incidents_command",
            region=district,
            subject=_("求助方提交了应急需求：%(place)s") % {"place": place},
            body=_("%(incident)s · %(place)s，请受理") % {"incident": incident.title, "place": place},
            link=reverse("volunteering:need_edit", args=[need.pk]),
        )
    return need


NEED_FIELDS = (
    "region",
    "place",
    "enterprise",
    "specialty",
    "people_needed",
    "equipment",
    "equipment_count",
    "urgency",
    "description",
    "contact_name",
    "contact_mobile",
)


def _check_need_values(values: dict[str, Any]) -> None:
    if not values["specialty"] and not values["equipment"]:
        raise DomainError(_("请填写所需专业人员或物资"), field="specialty")
    if values["specialty"] and values["people_needed"] < 1:
        raise DomainError(_("请填写所需人数"), field="people_needed")
    if values["equipment"] and values["equipment_count"] < 1:
        raise DomainError(_("请填写物资数量"), field="equipment_count")


@transaction.atomic
def update_need(*, actor: Actor, need: Need, accept: bool = False, **values: Any) -> Need:
    """Staff edit a need (a requester's, before accepting it, or any open one); with ``accept`` a
    requester's need becomes open (it can then be called out for). Audited with before/after."""
    need = Need.objects.select_for_update(of=("self",)).select_related("incident", "region").get(pk=need.pk)
    _check_region(actor, need.district)
    if need.incident.status != IncidentStatus.OPEN:
        raise DomainError(_("应急事件已结束"))
    if need.status == NeedStatus.CLOSED:
        raise DomainError(_("该需求已关闭"))
    merged = {f: values.get(f, getattr(need, f)) for f in NEED_FIELDS}
    _check_need_values(merged)
    _check_region(actor, merged["region"])
    changes = {f: [str(getattr(need, f) or ""), str(v or "")] for f, v in merged.items() if getattr(need, f) != v}
    for f, v in merged.items():
        setattr(need, f, v)
    need.district = district_of(need.region)
    need.street = _street_of(need.region)
    if accept and need.status == NeedStatus.PENDING:
        need.status = NeedStatus.OPEN
        changes["status"] = [NeedStatus.PENDING, NeedStatus.OPEN]
    need.save()
    log_action(actor, "volunteering.need.accepted" if accept else "volunteering.need.changed", need, changes=changes)
    if accept and need.requested_by_id:
        notify.send(
            channel="inapp",
            recipient=need.requested_by,
            subject=_("您提交的应急需求已受理：%(place)s") % {"place": need.place},
            body=_("工作人员正在安排人员和物资"),
            link=reverse("volunteering:my_need", args=[need.pk]),
            related=need,
        )
    return need


def _street_of(region: Region) -> Region | None:
    if region.kind == "street":
        return region
    if region.parent_id and region.parent and region.parent.kind == "street":
        return region.parent
    return None


@transaction.atomic
def send_callout(*, actor: Actor, need: Need, person_ids: list[int], message: str = "") -> CallOut:
    """Call the chosen people for a need: one row each (with why they were proposed), and one SMS
    and one in-app message each with a link to answer. Above ``BACKGROUND_THRESHOLD`` people the
    messages go from a background job with progress."""
    need = Need.objects.select_for_update(of=("self",)).select_related("incident", "specialty").get(pk=need.pk)
    ids = list(dict.fromkeys(person_ids))
    allowed = callable_person_ids(actor, need)
    if allowed is not None:
        # A team leader calls only the current members of their own teams in this part.
        if not allowed:
            raise DomainError(_("只能在本人负责的区域内操作"), field="region")
        if set(ids) - set(allowed):
            raise DomainError(_("队长只能召集本队队员"), field="people")
    if need.incident.status != IncidentStatus.OPEN:
        raise DomainError(_("应急事件已结束"))
    if need.status == NeedStatus.PENDING:
        raise DomainError(_("该需求由求助方提交，请先受理再召集"))
    if not ids:
        raise DomainError(_("请至少选择一人"), field="people")
    available = set(Person.objects.available().filter(pk__in=ids).values_list("pk", flat=True))
    gone = [i for i in ids if i not in available]
    if gone:
        raise DomainError(_("有 %(n)s 人已不在册（去世、迁出或已合并），不能召集") % {"n": len(gone)}, field="people")
    reasons = {p.person.pk: p for p in propose(need, limit=len(ids), only_person_ids=ids)} if len(ids) <= 200 else {}
    callout = CallOut.objects.create(
        incident=need.incident,
        need=need,
        specialty=need.specialty,
        district=need.district,
        message=message[:300],
        total=len(ids),
        created_by=actor,
    )
    CallOutAnswer.objects.bulk_create(
        [
            CallOutAnswer(
                callout=callout,
                person_id=pid,
                score=reasons[pid].score if pid in reasons else 0,
                reasons=reasons[pid].reasons if pid in reasons else [],
            )
            for pid in ids
        ],
        batch_size=1000,
    )
    log_action(actor, "volunteering.callout.sent", callout, changes={"need": need.place, "people": len(ids)})
    if len(ids) > BACKGROUND_THRESHOLD and actor is not None:
        job = start_job(
            actor=actor,
            kind="volunteering.callout",
            title=_("发送召集通知（%(n)s 人）") % {"n": len(ids)},
            task=send_callout_messages,
            params={"callout": callout.pk},
        )
        callout.job = job
        callout.save(update_fields=["job"])
    else:
        notify_called(callout)
    return callout


@transaction.atomic
def withdraw_callout(*, actor: Actor, callout: CallOut, reason: str = "") -> CallOut:
    callout = CallOut.objects.select_for_update().get(pk=callout.pk)
    if actor is None or callout.created_by_id != actor.pk:
        _check_region(actor, callout.district)
    if callout.status == CallOutStatus.WITHDRAWN:
        raise DomainError(_("这次召集已撤回"))
    callout.status = CallOutStatus.WITHDRAWN
    callout.withdrawn_at = timezone.now()
    callout.withdrawn_reason = reason[:200]
    callout.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    log_action(actor, "volunteering.callout.withdrawn", callout, changes={"reason": reason})
    return callout


@transaction.atomic
def answer_callout(*, actor: Actor, row: CallOutAnswer, answer: str, reason: str = "") -> tuple[CallOutAnswer, bool]:
    """Record a person's answer once: a second tap (either button) changes nothing and says so.
    Returns (row, recorded_now). A withdrawn call-out refuses answers."""
    row = CallOutAnswer.objects.select_for_update(of=("self",)).select_related("callout", "person").get(pk=row.pk)
    if actor is not None and row.person.user_id != actor.pk:
        raise DomainError(_("只能答复给本人的召集"))
    if answer not in (Answer.YES, Answer.NO):
        raise DomainError(_("请选择“可以去”或“去不了”"), field="answer")
    if row.callout.status == CallOutStatus.WITHDRAWN:
        raise DomainError(_("这次召集已撤回，无需答复"))
    if row.callout.incident.status != IncidentStatus.OPEN:
        raise DomainError(_("应急事件已结束，无需答复"))
    if row.answer != Answer.PENDING:
        return row, False
    row.answer = answer
    row.reason = reason.strip()[:200] if answer == Answer.NO else ""
    row.answered_at = timezone.now()
    row.save(update_fields=["answer", "reason", "answered_at"])
    log_action(
        actor, "volunteering.callout.answered", row.callout, changes={"person": row.person.name, "answer": answer}
    )
    return row, True
