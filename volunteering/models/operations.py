"""Operations (调度): dispatching people who answered 可以去 to needs, check-in/out at the place with
results, and the equipment ledger (物资) lent to tasks and returned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet
from people.models import Person
from volunteering.models.incidents import Need

__all__ = ["Dispatch", "DispatchStatus", "EquipmentItem", "EquipmentLoan"]


class DispatchStatus(models.TextChoices):
    DISPATCHED = "sent", _("已派出")
    ON_SITE = "onsite", _("在现场")
    DONE = "done", _("已完成")
    CANCELLED = "cancel", _("已取消")


ACTIVE = (DispatchStatus.DISPATCHED, DispatchStatus.ON_SITE)


class DispatchQuerySet(ScopedQuerySet["Dispatch"]):
    region_field = "need__district"
    self_field = "person__user"


class Dispatch(models.Model):
    """One person sent to one need (a task). A person is on at most one active task at a time."""

    need = models.ForeignKey(Need, verbose_name=_("需求"), on_delete=models.PROTECT, related_name="dispatches")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=8, choices=DispatchStatus.choices, default=DispatchStatus.DISPATCHED
    )
    dispatched_at = models.DateTimeField(_("派出时间"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    check_in_photo = models.FileField(_("现场照片"), upload_to="volunteering/checkin/%Y/%m/", blank=True)
    problems_solved = models.PositiveIntegerField(_("解决问题"), default=0)
    machines_repaired = models.PositiveIntegerField(_("修复设备"), default=0)
    people_served = models.PositiveIntegerField(_("服务职工"), default=0)
    notes = models.TextField(_("情况说明"), blank=True)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("派遣")
        verbose_name_plural = _("派遣")
        ordering = ["-dispatched_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["sent", "onsite"]),
                name="volunteering_dispatch_one_active_task",
            )
        ]
        indexes = [models.Index(fields=["need", "status"])]

    def __str__(self) -> str:
        return f"{self.person} → {self.need}"


class EquipmentQuerySet(ScopedQuerySet["EquipmentItem"]):
    region_field = "district"


class EquipmentItem(models.Model):
    """A kind of equipment (pumps, generators, tools) held by an owner at a place, with a count."""

    name = models.CharField(_("物资名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=20, blank=True)
    owner = models.CharField(_("所属单位"), max_length=80)
    place = models.CharField(_("存放地点"), max_length=120)
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    count_held = models.PositiveIntegerField(_("持有数量"), default=0)
    count_out = models.PositiveIntegerField(_("借出数量"), default=0)

    objects = EquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("物资")
        verbose_name_plural = _("物资")
        ordering = ["district", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count_out__lte=models.F("count_held")), name="volunteering_equipment_out_le_held"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.owner}）"

    @property
    def available(self) -> int:
        return self.count_held - self.count_out


class LoanQuerySet(ScopedQuerySet["EquipmentLoan"]):
    region_field = "need__district"


class EquipmentLoan(models.Model):
    item = models.ForeignKey(EquipmentItem, verbose_name=_("物资"), on_delete=models.PROTECT, related_name="loans")
    need = models.ForeignKey(Need, verbose_name=_("需求"), on_delete=models.PROTECT, related_name="loans")
    count = models.PositiveIntegerField(_("借出数量"))
    returned = models.PositiveIntegerField(_("归还数量"), default=0)
    lent_at = models.DateTimeField(_("借出时间"))
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("物资借出")
        verbose_name_plural = _("物资借出")
        ordering = ["-lent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item} ×{self.count}"

    @property
    def outstanding(self) -> int:
        return self.count - self.returned
