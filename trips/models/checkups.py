"""Health check-ups (体检): a campaign per year, who is due (rules table + a stored last check-up
year per person), hospitals, packages per sex and age band, time slots with capacity, bookings,
attendance and a summary result flag. The report file itself is kept only when a holder of
``trips.checkups_health`` uploads it, and every view of it is logged."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet
from people.models import Person

__all__ = [
    "BookingStatus",
    "CheckupBooking",
    "CheckupCampaign",
    "CheckupPackage",
    "CheckupProfile",
    "CheckupRule",
    "CheckupSlot",
    "Hospital",
    "ResultFlag",
]


class CheckupRule(models.Model):
    """Who is due how often: one row per person status (在职 every year, 退休 every two years)."""

    status = models.CharField(_("人员状态"), max_length=12, unique=True)
    interval_years = models.PositiveSmallIntegerField(_("间隔(年)"), default=1)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(interval_years__gte=1), name="checkup_rule_interval_pos")]
        verbose_name = _("体检周期规则")
        verbose_name_plural = _("体检周期规则")

    def __str__(self) -> str:
        return f"{self.status}: {self.interval_years}"


class CheckupCampaign(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=120)
    starts = models.DateField(_("开始日期"))
    ends = models.DateField(_("结束日期"))
    notes = models.TextField(_("说明"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="checkup_campaign_dates")]
        verbose_name = _("体检计划")
        verbose_name_plural = _("体检计划")

    def __str__(self) -> str:
        return self.title


class Hospital(models.Model):
    name = models.CharField(_("医院"), max_length=80, unique=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    notes = models.CharField(_("注意事项"), max_length=300, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("体检医院")
        verbose_name_plural = _("体检医院")

    def __str__(self) -> str:
        return self.name


class CheckupPackage(models.Model):
    """Items for one sex and age band (inclusive); sex blank = either."""

    name = models.CharField(_("套餐名称"), max_length=60)
    sex = models.CharField(_("性别"), max_length=1, blank=True, choices=[("M", _("男")), ("F", _("女"))])
    age_min = models.PositiveSmallIntegerField(_("最小年龄"), default=0)
    age_max = models.PositiveSmallIntegerField(_("最大年龄"), default=150)
    items = models.TextField(_("体检项目"), help_text=_("每行一项"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sex", "age_min", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(age_max__gte=models.F("age_min")), name="checkup_package_ages"),
        ]
        verbose_name = _("体检套餐")
        verbose_name_plural = _("体检套餐")

    def __str__(self) -> str:
        return self.name

    @property
    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class CheckupSlot(models.Model):
    campaign = models.ForeignKey(CheckupCampaign, on_delete=models.CASCADE, related_name="slots")
    hospital = models.ForeignKey(Hospital, verbose_name=_("医院"), on_delete=models.PROTECT, related_name="slots")
    date = models.DateField(_("日期"))
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    #: Places taken (booked or attended); changed only under the slot's row lock.
    taken = models.PositiveIntegerField(_("已约"), default=0, editable=False)

    class Meta:
        ordering = ["date", "start", "hospital_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=models.F("capacity")), name="checkup_slot_not_over"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="checkup_slot_times"),
        ]
        verbose_name = _("体检时段")
        verbose_name_plural = _("体检时段")

    def __str__(self) -> str:
        return f"{self.hospital} {self.date:%Y-%m-%d} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


class ProfileQuerySet(ScopedQuerySet["CheckupProfile"]):
    region_field = "district"
    self_field = "person__user"


class CheckupProfile(models.Model):
    """One row per person: the last check-up year and the year the next one falls due
    (``due_year``; NULL = never due, e.g. 去世/迁出/merged). Kept by ``services.refresh_profiles``
    (called on every people change) and by attendance. The due list of year Y is
    ``due_year <= Y``: one range scan of ``checkup_due``."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="checkup_profile")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    status = models.CharField(max_length=12)
    last_year = models.PositiveSmallIntegerField(_("上次体检年度"), null=True, blank=True)
    due_year = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["district", "due_year", "person"], name="checkup_due_district"),
            models.Index(fields=["due_year", "person"], name="checkup_due"),
        ]


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    ATTENDED = "attended", _("已到检")
    ABSENT = "absent", _("未到检")
    CANCELLED = "cancelled", _("已取消")


TAKING = (BookingStatus.BOOKED, BookingStatus.ATTENDED)


class ResultFlag(models.TextChoices):
    NONE = "", _("未录入")
    NORMAL = "normal", _("正常")
    RECHECK = "recheck", _("需复查")


class BookingQuerySet(ScopedQuerySet["CheckupBooking"]):
    region_field = "district"
    self_field = "person__user"


def report_path(instance: CheckupBooking, filename: str) -> str:
    return f"checkups/{instance.campaign_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class CheckupBooking(models.Model):
    campaign = models.ForeignKey(CheckupCampaign, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    slot = models.ForeignKey(CheckupSlot, verbose_name=_("时段"), on_delete=models.PROTECT, related_name="bookings")
    package = models.ForeignKey(
        CheckupPackage, verbose_name=_("套餐"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    result = models.CharField(_("结果"), max_length=8, choices=ResultFlag.choices, blank=True, default="")
    followed_up = models.BooleanField(_("已跟进复查"), default=False)
    report = models.FileField(_("体检报告"), upload_to=report_path, blank=True)
    report_name = models.CharField(max_length=200, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    booked_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__date", "slot__start", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="checkup_booking_once")]
        indexes = [models.Index(fields=["campaign", "district", "status"], name="checkup_booking_figures")]
        verbose_name = _("体检预约")
        verbose_name_plural = _("体检预约")

    def __str__(self) -> str:
        return f"{self.person} {self.campaign.year}"
