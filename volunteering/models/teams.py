"""Teams (服务队) by specialty and district, their members (dated), and their activities with the
hours each member gave. Scope: a team lives in its district; a team leader sees the teams they lead,
a member the teams they belong to (self-service)."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet, region_q, scope_for
from people.models import Person, Trade

__all__ = [
    "Activity",
    "ActivityHours",
    "ActivityPhoto",
    "ActivityStatus",
    "Specialty",
    "Team",
    "TeamMember",
]


class Specialty(models.Model):
    """The dictionary of team specialties (医疗, 农技, 法律, 文化, 电工, 机修, …). ``trades`` are the
    registry's trades that qualify a person for it (used to propose people in a call-out)."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("专业"), max_length=30, unique=True)
    trades = models.ManyToManyField(Trade, verbose_name=_("对应工种"), blank=True, related_name="+")
    sort = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("服务专业")
        verbose_name_plural = _("服务专业")

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(ScopedQuerySet["Team"]):
    region_field = "district"
    self_field = "leader__user"

    def visible_to(self, user: Any) -> Self:
        """District staff: their district's teams; a leader: the teams they lead; a member: the
        teams they belong to now."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        q = region_q(user, self.region_field) or Q()
        if scope.self_service:
            q |= Q(leader__user=user) | Q(
                Exists(TeamMember.objects.filter(team=OuterRef("pk"), person__user=user, left__isnull=True))
            )
        return self.filter(q)


class Team(models.Model):
    name = models.CharField(_("队名"), max_length=80)
    specialty = models.ForeignKey(Specialty, verbose_name=_("专业"), on_delete=models.PROTECT, related_name="teams")
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        Person, verbose_name=_("队长"), null=True, blank=True, on_delete=models.PROTECT, related_name="led_teams"
    )
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    active = models.BooleanField(_("在册"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["district__path", "specialty__sort", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["name"], name="volunteering_team_name_unique")]
        indexes = [models.Index(fields=["district", "specialty"], name="vol_team_district_spec")]
        verbose_name = _("服务队")
        verbose_name_plural = _("服务队")

    def __str__(self) -> str:
        return self.name


class TeamMemberQuerySet(ScopedQuerySet["TeamMember"]):
    region_field = "team__district"
    self_field = "person__user"


class TeamMember(models.Model):
    """A person's membership of a team, dated; ``left`` empty means still a member. A person may
    be in several teams, and rejoin a team (a new row)."""

    team = models.ForeignKey(Team, verbose_name=_("服务队"), on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("队员"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    joined = models.DateField(_("入队日期"))
    left = models.DateField(_("离队日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["team_id", "joined", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"], condition=Q(left__isnull=True), name="vol_member_once_current"
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")), name="vol_member_dates"
            ),
        ]
        indexes = [models.Index(fields=["person", "left"], name="vol_member_person")]
        verbose_name = _("队员")
        verbose_name_plural = _("队员")

    def __str__(self) -> str:
        return f"{self.team} · {self.person}"


class ActivityStatus(models.TextChoices):
    REPORTED = "reported", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已退回")


class ActivityQuerySet(ScopedQuerySet["Activity"]):
    region_field = "team__district"
    self_field = "team__leader__user"

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        q = region_q(user, self.region_field) or Q()
        if scope.self_service:
            q |= Q(team__leader__user=user) | Q(reported_by__user=user)
        return self.filter(q)


class Activity(models.Model):
    """One service activity of a team: when, where (down to street/community), what was done and
    what it achieved, with each member's hours. Entered by staff or the leader (confirmed at once),
    or reported by a member from the phone (the leader confirms)."""

    team = models.ForeignKey(Team, verbose_name=_("服务队"), on_delete=models.PROTECT, related_name="activities")
    incident = models.ForeignKey(
        "volunteering.Incident",
        verbose_name=_("应急事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    date = models.DateField(_("日期"))
    region = models.ForeignKey(Region, verbose_name=_("地点（镇街/社区）"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("具体地点"), max_length=120, blank=True)
    work_done = models.TextField(_("服务内容"))
    people_served = models.PositiveIntegerField(_("服务人数"), default=0)
    enterprises_helped = models.PositiveIntegerField(_("帮助企业数"), default=0)
    problems_solved = models.PositiveIntegerField(_("解决问题数"), default=0)
    machines_repaired = models.PositiveIntegerField(_("修复设备数"), default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.CONFIRMED
    )
    reported_by = models.ForeignKey(
        Person, verbose_name=_("上报人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["team", "date"], name="vol_activity_team_date"),
            models.Index(fields=["status", "team"], name="vol_activity_status"),
            models.Index(fields=["incident"], name="vol_activity_incident"),
        ]
        verbose_name = _("服务活动")
        verbose_name_plural = _("服务活动")

    def __str__(self) -> str:
        return f"{self.team} {self.date}"


class ActivityHours(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="hours")
    person = models.ForeignKey(Person, verbose_name=_("队员"), on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="vol_hours_once"),
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="vol_hours_range"),
        ]
        indexes = [models.Index(fields=["person"], name="vol_hours_person")]
        verbose_name = _("服务时长")
        verbose_name_plural = _("服务时长")


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="volunteering/%Y/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
