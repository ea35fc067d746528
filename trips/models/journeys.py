from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet
from people.models import Person

__all__ = ["Batch", "BatchQuota", "Checklist", "Nomination", "NominationStatus", "TravelHistory", "TripRoute"]
__all__ += ["BatchCost", "BatchIncident", "CostItem", "TripFeedback", "TripRules", "TripStatus"]


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
    # The travel file (triprules): read by the priority list in the same join.
    front_line = models.BooleanField(_("一线职工"), default=False)
    health_restricted = models.BooleanField(_("有健康限制"), default=False)
    health_note = models.CharField(_("健康限制说明"), max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["district", "last_trip_year"], name="trips_history_order")]


class Checklist(models.Model):
    """One traveller's pre-departure checklist: the items ticked, cleared when all are; a city override."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="checklist")
    done = models.JSONField(_("已核查项目"), default=list, blank=True)
    cleared = models.BooleanField(_("已核查完毕"), default=False)
    override_reason = models.CharField(_("市总特许登车理由"), max_length=200, blank=True)
    updated = models.DateTimeField(auto_now=True)


# --- travel lists (triplists) ---
# Companions, dietary needs and emergency contacts, rooms and bus seats, boarding on the day.

__all__ += ["Attendance", "Companion", "CompanionRelation", "TravelDetails", "TravelPlace"]


class CompanionRelation(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    OTHER = "other", _("其他亲属")


class CompanionQuerySet(ScopedQuerySet["Companion"]):
    region_field = "nomination__district"
    self_field = "nomination__person__user"


class Companion(models.Model):
    """Someone a traveller brings at their own cost: takes a bus seat and a bed, not a quota place.
    The ID number is for the insurance: encrypted, looked up by its keyed hash, shown masked."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="companions")
    name = models.CharField(_("姓名"), max_length=40)
    relation = models.CharField(_("关系"), max_length=10, choices=CompanionRelation.choices)
    gender = models.CharField(_("性别"), max_length=1, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    id_number_encrypted = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, editable=False)
    mobile = models.CharField(_("手机号"), max_length=11)
    paid = models.DecimalField(_("自费金额（元）"), max_digits=9, decimal_places=2)
    created = models.DateTimeField(auto_now_add=True)

    objects = CompanionQuerySet.as_manager()

    class Meta:
        ordering = ["nomination", "id"]
        verbose_name = _("随行家属")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "id_number_hash"], name="trips_companion_unique"),
            models.CheckConstraint(condition=models.Q(paid__gte=0), name="trips_companion_paid_nonnegative"),
        ]

    def __str__(self) -> str:
        return self.name


class Attendance(models.TextChoices):
    PRESENT = "present", _("已到")
    ABSENT = "absent", _("未到")


class TravelDetails(models.Model):
    """What the district or city records for one traveller: diet, emergency contact, boarding."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="travel")
    diet = models.CharField(_("饮食要求"), max_length=100, blank=True)
    emergency_name = models.CharField(_("紧急联系人"), max_length=40, blank=True)
    emergency_relation = models.CharField(_("与本人关系"), max_length=20, blank=True)
    emergency_mobile = models.CharField(_("紧急联系电话"), max_length=11, blank=True)
    attendance = models.CharField(_("登车"), max_length=10, choices=Attendance.choices, blank=True)
    attendance_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)


class TravelPlace(models.Model):
    """One person on the trip (a traveller, or one of their companions): room and bus seat.
    Rebuilt by the proposal, changed one swap at a time by staff."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="places")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="places")
    companion = models.OneToOneField(Companion, null=True, blank=True, on_delete=models.CASCADE, related_name="place")
    room = models.PositiveSmallIntegerField(_("房间"))
    bus = models.PositiveSmallIntegerField(_("车号"))
    seat = models.PositiveSmallIntegerField(_("座位"))

    class Meta:
        ordering = ["batch", "bus", "seat"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "bus", "seat"], name="trips_place_seat_unique"),
            models.UniqueConstraint(
                fields=["nomination"], condition=models.Q(companion__isnull=True), name="trips_place_traveller_unique"
            ),
        ]


# --- rules, costs, feedback (triprules) ---


class TripStatus(models.TextChoices):
    """The statuses the eligibility rules speak of: 在职 is split into front-line and the others."""

    FRONT_LINE = "front_line", _("在职（一线）")
    WORKING = "working", _("在职")
    RETIRED = "retired", _("退休")


def _all_statuses() -> list[str]:
    return [c.value for c in TripStatus]


class HealthPolicy(models.TextChoices):
    WARN = "warn", _("列入名单并提示")
    EXCLUDE = "exclude", _("不列入名单")


class TripRules(models.Model):
    """Eligibility and spending caps, as data: the row with no year is the default; a row for a year
    replaces it for that year's batches. An unsaved ``TripRules()`` is the behaviour before the table."""

    year = models.PositiveSmallIntegerField(_("适用年度"), null=True, blank=True, unique=True)
    levels = models.JSONField(_("可参加的荣誉级别"), default=list, blank=True)
    statuses = models.JSONField(_("可参加的人员状态"), default=_all_statuses, blank=True)
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), null=True, blank=True)
    gap_years = models.PositiveSmallIntegerField(_("近几年内参加过的不列入"), default=1)
    health = models.CharField(_("有健康限制者"), max_length=8, choices=HealthPolicy.choices, default=HealthPolicy.WARN)
    twice_a_year = models.BooleanField(_("允许一年参加两次"), default=False)
    cap_per_day = models.DecimalField(_("每人每天费用上限"), max_digits=8, decimal_places=2, null=True, blank=True)
    cap_per_year = models.DecimalField(_("每人每年费用上限"), max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("year").asc(nulls_first=True)]
        verbose_name = _("疗休养规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=models.F("max_age")),
                name="trips_rules_ages",
            )
        ]


class CostItem(models.TextChoices):
    LODGING = "lodging", _("住宿")
    TRANSPORT = "transport", _("交通")
    MEALS = "meals", _("餐饮")
    INSURANCE = "insurance", _("保险")
    OTHER = "other", _("其他")


class BatchCost(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="costs")
    item = models.CharField(_("费用项目"), max_length=10, choices=CostItem.choices)
    amount = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="trips_cost_positive")]


class BatchIncidentQuerySet(ScopedQuerySet["BatchIncident"]):
    region_field = "district"

    def visible_to(self, user: object) -> BatchIncidentQuerySet:
        # A batch-wide incident (no traveller) is every district's to see.
        return super().visible_to(user) | self.filter(district__isnull=True)


class BatchIncident(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField(_("发生时间"))
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("涉及人员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    district = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    what = models.TextField(_("事件经过"))
    action = models.TextField(_("处置情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = BatchIncidentQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "occurred_at", "id"]


class FeedbackQuerySet(ScopedQuerySet["TripFeedback"]):
    region_field = "nomination__district"
    self_field = "nomination__person__user"


class TripFeedback(models.Model):
    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("评分"))
    comment = models.TextField(_("意见建议"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="trips_feedback_rating")]
