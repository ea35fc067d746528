from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet
from people.models import Person

__all__ = ["Batch", "BatchQuota", "Checklist", "Nomination", "NominationStatus", "TravelHistory", "TripRoute"]


class TripRoute(models.Model):
    name = models.CharField(_("线路名称"), max_length=60, unique=True)
    destination = models.CharField(_("目的地"), max_length=60)
    days = models.PositiveSmallIntegerField(_("天数"))
    programme = models.TextField(_("行程安排"), blank=True)
    lodging = models.CharField(_("住宿"), max_length=120, blank=True)
    cost_per_day = models.DecimalField(_("每人每天费用"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["name"]
        verbose_name = _("疗休养线路")

    def __str__(self) -> str:
        return self.name


class Batch(models.Model):
    route = models.ForeignKey(TripRoute, verbose_name=_("线路"), on_delete=models.PROTECT, related_name="batches")
    name = models.CharField(_("批次名称"), max_length=60)
    start_date = models.DateField(_("出发日期"))
    end_date = models.DateField(_("返回日期"))
    capacity = models.PositiveIntegerField(_("名额"))
    departure = models.CharField(_("集合地点"), max_length=120, blank=True)
    departure_at = models.DateTimeField(_("出发时间"), null=True, blank=True)
    escorts = models.CharField(_("领队与随行人员"), max_length=200, blank=True)
    checklist_items = models.JSONField(_("出发前核查项目"), default=list, blank=True)
    uncleared_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("疗休养批次")

    def __str__(self) -> str:
        return self.name


class BatchQuota(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="quotas")
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    places = models.PositiveIntegerField(_("分配名额"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "district"], name="trips_quota_unique")]


class NominationStatus(models.TextChoices):
    INVITED = "invited", _("已邀请")
    ACCEPTED = "accepted", _("参加")
    DECLINED = "declined", _("不参加")
    WAITLIST = "waitlist", _("候补")


class NominationQuerySet(ScopedQuerySet["Nomination"]):
    region_field = "district"
    self_field = "person__user"


class Nomination(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="nominations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trip_nominations")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=NominationStatus.choices)
    rank = models.PositiveIntegerField(_("顺位"), default=0)
    reason = models.CharField(_("推荐理由"), max_length=120, blank=True)
    decline_reason = models.CharField(_("不参加原因"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "district", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "person"], name="trips_nomination_unique")]


class TravelHistory(models.Model):
    """What the priority list orders by, kept by the services: one indexed query per district."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="travel_history")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    last_trip_year = models.PositiveSmallIntegerField(null=True, blank=True)
    trips = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["district", "last_trip_year"], name="trips_history_order")]


class Checklist(models.Model):
    """One traveller's pre-departure checklist: the items ticked, cleared when all are; a city override."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="checklist")
    done = models.JSONField(_("已核查项目"), default=list, blank=True)
    cleared = models.BooleanField(_("已核查完毕"), default=False)
    override_reason = models.CharField(_("市总特许登车理由"), max_length=200, blank=True)
    updated = models.DateTimeField(auto_now=True)
