"""Incidents (typhoon, flood, epidemic, fire, other) with graded command (分级指挥): the city opens an
incident and coordinates; each affected district runs its own part; team leaders run their teams.
Needs (需求) are what a place or enterprise lacks; a call-out (召集) asks chosen people whether they
can go, and each answers once (可以去 / 去不了)."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.models import Job, Region
from core.scope import ScopedQuerySet, region_q, scope_for
from people.models import Person
from volunteering.models.teams import Specialty, Team

__all__ = [
    "Answer",
    "CallOut",
    "CallOutAnswer",
    "CallOutStatus",
    "CommandLevel",
    "Incident",
    "IncidentArea",
    "IncidentKind",
    "IncidentStatus",
    "Need",
    "NeedStatus",
    "Urgency",
]


class IncidentKind(models.TextChoices):
    TYPHOON = "typhoon", _("台风")
    FLOOD = "flood", _("洪涝")
    EPIDEMIC = "epidemic", _("疫情")
    FIRE = "fire", _("火灾")
    OTHER = "other", _("其他")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


def _area_q(user: Any, prefix: str) -> Q:
    """Rows whose incident has an area in the user's regions, or an area run by a team they lead."""
    areas = IncidentArea.objects.filter(incident=OuterRef(prefix or "pk"))
    q = Q(pk__in=[])
    rq = region_q(user, "region")
    if rq is not None and rq != Q(pk__in=[]):
        q |= Q(Exists(areas.filter(rq)))
    if scope_for(user).self_service:
        q |= Q(Exists(areas.filter(team__leader__user=user)))
    return q


class IncidentQuerySet(ScopedQuerySet["Incident"]):
    region_field = "areas__region"

    def visible_to(self, user: Any) -> Self:
        """City staff: every incident; district staff: incidents touching their district; team
        leaders: incidents where a team of theirs has a part."""
        if scope_for(user).everything:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(_area_q(user, ""))


class Incident(models.Model):
    title = models.CharField(_("事件名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=IncidentKind.choices)
    status = models.CharField(_("状态"), max_length=8, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    started = models.DateTimeField(_("开始时间"))
    ended = models.DateTimeField(_("结束时间"), null=True, blank=True)
    description = models.TextField(_("情况说明"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-started", "-id"]
        indexes = [models.Index(fields=["status", "started"], name="vol_incident_status")]
        verbose_name = _("应急事件")
        verbose_name_plural = _("应急事件")

    def __str__(self) -> str:
        return self.title


class CommandLevel(models.TextChoices):
    CITY = "city", _("市级统筹")
    DISTRICT = "district", _("区县指挥")
    TEAM = "team", _("队长带队")


class IncidentAreaQuerySet(ScopedQuerySet["IncidentArea"]):
    region_field = "region"
    self_field = "team__leader__user"


class IncidentArea(models.Model):
    """An affected area of an incident and who commands it there: the city (coordination), the
    district (its own part), or a team leader (their team, within the area)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="areas")
    region = models.ForeignKey(Region, verbose_name=_("受影响区域"), on_delete=models.PROTECT, related_name="+")
    command_level = models.CharField(_("指挥层级"), max_length=10, choices=CommandLevel.choices)
    team = models.ForeignKey(
        Team, verbose_name=_("服务队"), null=True, blank=True, on_delete=models.PROTECT, related_name="incident_areas"
    )
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指挥人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = IncidentAreaQuerySet.as_manager()

    class Meta:
        ordering = ["incident_id", "region__path", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "region"], condition=Q(team__isnull=True), name="vol_area_once"
            ),
            models.UniqueConstraint(fields=["incident", "team"], name="vol_area_team_once"),
            models.CheckConstraint(
                condition=Q(command_level="team", team__isnull=False)
                | (~Q(command_level="team") & Q(team__isnull=True)),
                name="vol_area_team_level",
            ),
        ]
        verbose_name = _("受影响区域")
        verbose_name_plural = _("受影响区域")

    def __str__(self) -> str:
        return f"{self.region} · {self.get_command_level_display()}"


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class NeedStatus(models.TextChoices):
    #: Entered by a requester on the phone; staff accept it (then it is open) or edit it first.
    PENDING = "pending", _("待受理")
    OPEN = "open", _("待满足")
    COVERED = "covered", _("已满足")
    CLOSED = "closed", _("已关闭")


class NeedQuerySet(ScopedQuerySet["Need"]):
    region_field = "district"
    self_field = "requested_by"

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        q = region_q(user, self.region_field) or Q()
        if scope.self_service:
            # A team leader: the needs in the district of a team of theirs that has a part of the
            # incident (not the whole incident's needs).
            q |= Q(requested_by=user) | Q(
                Exists(
                    IncidentArea.objects.filter(
                        incident=OuterRef("incident"), region=OuterRef("district"), team__leader__user=user
                    )
                )
            )
        return self.filter(q)


class Need(models.Model):
    """What a place or enterprise needs in an incident: people of a specialty (and how many),
    equipment (and how many), how urgently. It lands in the finest region given; ``street`` and
    ``district`` are derived from it (for ranking and scope)."""

    incident = models.ForeignKey(Incident, verbose_name=_("应急事件"), on_delete=models.PROTECT, related_name="needs")
    region = models.ForeignKey(Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey(
        Region, verbose_name=_("镇街"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("地点/企业"), max_length=120)
    enterprise = models.CharField(_("企业名称"), max_length=120, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_mobile = models.CharField(_("联系电话"), max_length=20, blank=True)
    specialty = models.ForeignKey(
        Specialty, verbose_name=_("所需专业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    people_needed = models.PositiveIntegerField(_("所需人数"), default=0)
    equipment = models.CharField(_("所需物资"), max_length=60, blank=True)
    equipment_count = models.PositiveIntegerField(_("物资数量"), default=0)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("情况描述"), blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["incident", "status"], name="vol_need_incident_status")]
        verbose_name = _("需求")
        verbose_name_plural = _("需求")

    def __str__(self) -> str:
        return self.place


class CallOutStatus(models.TextChoices):
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    WITHDRAWN = "withdrawn", _("已撤回")


class CallOutQuerySet(ScopedQuerySet["CallOut"]):
    region_field = "district"
    self_field = "created_by"

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        q = region_q(user, self.region_field) or Q()
        if scope.self_service:
            q |= Q(created_by=user)
        return self.filter(q)


class CallOut(models.Model):
    """A call-out for a need (or a specialty and an area): everyone chosen gets one message with a
    link and answers once. A withdrawn call-out refuses answers."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("应急事件"), on_delete=models.PROTECT, related_name="callouts"
    )
    need = models.ForeignKey(
        Need, verbose_name=_("需求"), null=True, blank=True, on_delete=models.PROTECT, related_name="callouts"
    )
    specialty = models.ForeignKey(
        Specialty, verbose_name=_("专业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    message = models.CharField(_("召集说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=CallOutStatus.choices, default=CallOutStatus.SENDING)
    total = models.PositiveIntegerField(_("召集人数"), default=0)
    notified = models.PositiveIntegerField(_("已通知"), default=0)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)

    objects = CallOutQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["incident", "status"], name="vol_callout_incident")]
        verbose_name = _("召集")
        verbose_name_plural = _("召集")

    def __str__(self) -> str:
        return f"{self.incident} #{self.pk}"


class Answer(models.TextChoices):
    PENDING = "pending", _("未答复")
    YES = "yes", _("可以去")
    NO = "no", _("去不了")


class CallOutAnswerQuerySet(ScopedQuerySet["CallOutAnswer"]):
    region_field = "callout__district"
    self_field = "person__user"


class CallOutAnswer(models.Model):
    """One person called in a call-out, with why they were proposed, and their answer (recorded
    once: a second tap changes nothing)."""

    callout = models.ForeignKey(CallOut, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("匹配分"), default=0)
    reasons = models.JSONField(_("推荐理由"), default=list, blank=True)
    answer = models.CharField(_("答复"), max_length=8, choices=Answer.choices, default=Answer.PENDING)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    objects = CallOutAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["callout_id", "-score", "id"]
        constraints = [models.UniqueConstraint(fields=["callout", "person"], name="vol_callout_person_once")]
        indexes = [models.Index(fields=["person", "answer"], name="vol_answer_person")]
        verbose_name = _("召集答复")
        verbose_name_plural = _("召集答复")

    def __str__(self) -> str:
        return f"{self.callout} · {self.person}"
