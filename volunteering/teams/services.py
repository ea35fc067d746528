"""Writes of the teams part: teams, leaders, memberships, activities (recorded by staff or leaders,
reported by members and confirmed by the leader)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import notify
from core.audit import log_action
from core.errors import DomainError
from core.models import Actor, Region, RegionKind, Role, RoleAssignment
from core.permissions import has_perm
from core.scope import scope_for
from core.services import assign_role
from people.models import Person
from volunteering.models import Activity, ActivityHours, ActivityPhoto, ActivityStatus, Specialty, Team, TeamMember

MAX_HOURS = Decimal(24)


def _check_region(actor: Actor, region: Region) -> None:
    """Staff act only inside their regions."""
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.everything:
        return
    if not any(region.path.startswith(p) for p in scope.region_paths):
        raise DomainError(_("只能在本人负责的区域内操作"), field="district")


def district_of(region: Region) -> Region:
    node = region
    while node.kind not in (RegionKind.DISTRICT, RegionKind.ZONE) and node.parent_id is not None:
        node = node.parent  # type: ignore[assignment]
    return node


def _make_leader(*, actor: Actor, team: Team, person: Person | None) -> None:
    if person is None:
        return
    if not person.is_alive or person.merged_into_id or person.status not in ("working", "retired"):
        raise DomainError(_("该人员已不在册，不能担任队长"), field="leader")
    if person.user_id is None:
        raise DomainError(_("该人员还没有登录账号，请先为其开通账号再任命为队长"), field="leader")
    if not RoleAssignment.objects.filter(user_id=person.user_id, role=Role.TEAM_LEADER).exists():
        assign_role(actor=actor, user=person.user, role=Role.TEAM_LEADER)  # type: ignore[arg-type]
    if not TeamMember.objects.filter(team=team, person=person, left__isnull=True).exists():
        TeamMember.objects.create(team=team, person=person, joined=timezone.localdate())


@transaction.atomic
def create_team(
    *,
    actor: Actor,
    name: str,
    specialty: Specialty,
    district: Region,
    leader: Person | None = None,
    founded: dt.date | None = None,
    description: str = "",
) -> Team:
    _check_region(actor, district)
    if district.kind not in (RegionKind.DISTRICT, RegionKind.ZONE):
        raise DomainError(_("服务队须属于一个区县(市)或功能区"), field="district")
    if Team.objects.filter(name=name.strip()).exists():
        raise DomainError(_("已有同名服务队：%(name)s") % {"name": name}, field="name")
    team = Team.objects.create(
        name=name.strip(), specialty=specialty, district=district, founded=founded, description=description
    )
    if leader is not None:
        _make_leader(actor=actor, team=team, person=leader)
        team.leader = leader
        team.save(update_fields=["leader"])
    log_action(
        actor, "volunteering.team.created", team, changes={"specialty": specialty.name, "district": district.name}
    )
    return team


@transaction.atomic
def update_team(
    *,
    actor: Actor,
    team: Team,
    name: str,
    specialty: Specialty,
    leader: Person | None,
    founded: dt.date | None = None,
    description: str = "",
    active: bool = True,
) -> Team:
    team = Team.objects.select_for_update().get(pk=team.pk)
    _check_region(actor, team.district)
    if Team.objects.filter(name=name.strip()).exclude(pk=team.pk).exists():
        raise DomainError(_("已有同名服务队：%(name)s") % {"name": name}, field="name")
    changes: dict[str, Any] = {}
    if leader != team.leader:
        _make_leader(actor=actor, team=team, person=leader)
        changes["leader"] = [str(team.leader or ""), str(leader or "")]
    for field, value in (("name", name.strip()), ("specialty", specialty), ("founded", founded)):
        if getattr(team, field) != value:
            changes[field] = [str(getattr(team, field) or ""), str(value or "")]
    team.name, team.specialty, team.leader, team.founded = name.strip(), specialty, leader, founded
    team.description, team.active = description, active
    team.save()
    log_action(actor, "volunteering.team.changed", team, changes=changes)
    return team


@transaction.atomic
def add_member(*, actor: Actor, team: Team, person: Person, joined: dt.date, note: str = "") -> TeamMember:
    _check_region(actor, team.district)
    if person.merged_into_id or person.status not in ("working", "retired"):
        raise DomainError(_("该人员已不在册（去世、迁出或已合并），不能入队"), field="person")
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if TeamMember.objects.filter(team=team, person=person, left__isnull=True).exists():
        raise DomainError(_("%(name)s 已是本队队员") % {"name": person.name}, field="person")
    if joined > timezone.localdate():
        raise DomainError(_("入队日期不能晚于今天"), field="joined")
    member = TeamMember.objects.create(team=team, person=person, joined=joined, note=note)
    log_action(actor, "volunteering.member.joined", team, changes={"person": person.name, "joined": str(joined)})
    return member


@transaction.atomic
def end_membership(*, actor: Actor, member: TeamMember, left: dt.date, note: str = "") -> TeamMember:
    member = TeamMember.objects.select_for_update(of=("self",)).select_related("team", "person").get(pk=member.pk)
    _check_region(actor, member.team.district)
    if member.left is not None:
        raise DomainError(_("%(name)s 已于 %(date)s 离队") % {"name": member.person.name, "date": member.left})
    if left < member.joined:
        raise DomainError(_("离队日期不能早于入队日期（%(date)s）") % {"date": member.joined}, field="left")
    if member.team.leader_id == member.person_id:
        raise DomainError(_("队长不能直接离队，请先更换队长"))
    member.left = left
    if note:
        member.note = note
    member.save(update_fields=["left", "note"])
    log_action(
        actor, "volunteering.member.left", member.team, changes={"person": member.person.name, "left": str(left)}
    )
    return member


def _check_hours(team: Team, hours: dict[int, Decimal], on: dt.date) -> None:
    if not hours:
        raise DomainError(_("请至少填写一名队员的服务时长"), field="hours")
    for hrs in hours.values():
        if hrs <= 0 or hrs > MAX_HOURS:
            raise DomainError(_("每人服务时长须在 0 到 24 小时之间"), field="hours")
    members = set(
        TeamMember.objects.filter(team=team, person_id__in=list(hours), joined__lte=on)
        .exclude(left__lt=on)
        .values_list("person_id", flat=True)
    )
    strangers = set(hours) - members
    if strangers:
        names = "、".join(Person.objects.filter(pk__in=strangers).values_list("name", flat=True))
        raise DomainError(_("%(names)s 在活动当天不是本队队员") % {"names": names}, field="hours")


def _save_activity(
    *,
    actor: Actor,
    team: Team,
    status: str,
    reported_by: Person | None,
    date: dt.date,
    region: Region,
    place: str,
    work_done: str,
    people_served: int,
    enterprises_helped: int,
    problems_solved: int,
    machines_repaired: int,
    hours: dict[int, Decimal],
    photos: list[Any],
    incident: Any = None,
) -> Activity:
    if date > timezone.localdate():
        raise DomainError(_("活动日期不能晚于今天"), field="date")
    if not work_done.strip():
        raise DomainError(_("请填写服务内容"), field="work_done")
    _check_hours(team, hours, date)
    activity = Activity.objects.create(
        team=team,
        incident=incident,
        date=date,
        region=region,
        place=place,
        work_done=work_done,
        people_served=people_served,
        enterprises_helped=enterprises_helped,
        problems_solved=problems_solved,
        machines_repaired=machines_repaired,
        status=status,
        reported_by=reported_by,
        created_by=actor,
        confirmed_by=actor if status == ActivityStatus.CONFIRMED else None,
        confirmed_at=timezone.now() if status == ActivityStatus.CONFIRMED else None,
    )
    ActivityHours.objects.bulk_create(
        [ActivityHours(activity=activity, person_id=p, hours=h) for p, h in hours.items()]
    )
    for photo in photos[:9]:
        ActivityPhoto.objects.create(activity=activity, image=photo)
    return activity


@transaction.atomic
def record_activity(*, actor: Actor, team: Team, **fields: Any) -> Activity:
    """Staff or the team's leader record an activity: confirmed at once."""
    if not _leads(actor, team):
        _check_region(actor, team.district)
    activity = _save_activity(actor=actor, team=team, status=ActivityStatus.CONFIRMED, reported_by=None, **fields)
    log_action(
        actor, "volunteering.activity.recorded", activity, changes={"team": team.name, "date": str(activity.date)}
    )
    return activity


def _leads(actor: Actor, team: Team) -> bool:
    return actor is not None and team.leader_id is not None and team.leader.user_id == actor.pk  # type: ignore[union-attr]


@transaction.atomic
def report_activity(*, actor: Actor, person: Person, team: Team, hours: Decimal, **fields: Any) -> Activity:
    """A member reports an activity and their own hours from the phone; the leader confirms it (待办
    and a message for the leader)."""
    activity = _save_activity(
        actor=actor,
        team=team,
        status=ActivityStatus.REPORTED,
        reported_by=person,
        hours={person.pk: hours},
        **fields,
    )
    log_action(actor, "volunteering.activity.reported", activity, changes={"team": team.name, "hours": str(hours)})
    leader_user = team.leader.user if team.leader_id and team.leader else None  # type: ignore[union-attr]
    link = ""  # the confirmation page is not built yet
    subject = _("%(name)s 上报了服务活动，请确认") % {"name": person.name}
    body = _("%(team)s %(date)s：%(work)s") % {
        "team": team.name,
        "date": activity.date,
        "work": activity.work_done[:60],
    }
    if leader_user is not None:
        notify.send(channel="inapp", recipient=leader_user, subject=subject, body=body, link=link, related=activity)
    else:
        notify.notify_staff(
            perm="volunteering.activities_confirm",
            region=team.district,
            subject=subject,
            body=body,
            link=link,
            related=activity,
            exclude=actor,
        )
    return activity


def _check_confirmer(actor: Actor, activity: Activity) -> None:
    if actor is None:
        return
    if _leads(actor, activity.team):
        return
    if has_perm(actor, "volunteering.teams_manage"):
        _check_region(actor, activity.team.district)
        return
    raise DomainError(_("只有本队队长或工作人员可以确认"))


@transaction.atomic
def confirm_activity(*, actor: Actor, activity: Activity) -> Activity:
    activity = Activity.objects.select_for_update(of=("self",)).select_related("team__leader").get(pk=activity.pk)
    _check_confirmer(actor, activity)
    if activity.status != ActivityStatus.REPORTED:
        raise DomainError(_("这条活动已处理（%(status)s）") % {"status": activity.get_status_display()})
    if activity.reported_by_id and activity.reported_by and actor and activity.reported_by.user_id == actor.pk:
        raise DomainError(_("不能确认自己上报的活动"))
    activity.status = ActivityStatus.CONFIRMED
    activity.confirmed_by = actor
    activity.confirmed_at = timezone.now()
    activity.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    log_action(actor, "volunteering.activity.confirmed", activity)
    return activity


@transaction.atomic
def reject_activity(*, actor: Actor, activity: Activity, reason: str) -> Activity:
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("team__leader", "reported_by")
        .get(pk=activity.pk)
    )
    _check_confirmer(actor, activity)
    if activity.status != ActivityStatus.REPORTED:
        raise DomainError(_("这条活动已处理（%(status)s）") % {"status": activity.get_status_display()})
    if not reason.strip():
        raise DomainError(_("请说明退回原因"), field="reason")
    activity.status = ActivityStatus.REJECTED
    activity.reject_reason = reason.strip()[:200]
    activity.confirmed_by = actor
    activity.confirmed_at = timezone.now()
    activity.save(update_fields=["status", "reject_reason", "confirmed_by", "confirmed_at"])
    log_action(actor, "volunteering.activity.rejected", activity, changes={"reason": activity.reject_reason})
    reporter = activity.reported_by.user if activity.reported_by else None
    if reporter is not None:
        notify.send(
            channel="inapp",
            recipient=reporter,
            subject=_("您上报的服务活动被退回"),
            body=activity.reject_reason,
            link="",
            related=activity,
        )
    return activity
