"""Hardship files (困难档案), their help ledger and yearly re-checks; visits (走访慰问) and visit plans."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet, scope_for

__all__ = [
    "STEP_ORDER",
    "CareVisit",
    "CareVisitItem",
    "CareVisitPhoto",
    "CloseReason",
    "FileEvent",
    "FileStatus",
    "HardshipConfig",
    "HardshipFile",
    "HardshipTerm",
    "HelpKind",
    "HelpRecord",
    "HelpStatus",
    "HouseholdMember",
    "Objection",
    "Occasion",
    "PlanTarget",
    "PovertyLine",
    "Recheck",
    "Step",
    "TermKind",
    "VisitPlan",
]


class TermKind(models.TextChoices):
    CATEGORY = "category", _("困难类别")
    CAUSE = "cause", _("致困原因")


class HardshipTerm(models.Model):
    """The editable dictionary: categories (深度困难 …) and causes (因病 …)."""

    kind = models.CharField(_("种类"), max_length=10, choices=TermKind.choices)
    name = models.CharField(_("名称"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["kind", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="hardship_term_unique")]

    def __str__(self) -> str:
        return self.name


class PovertyLine(models.Model):
    """低保标准: the monthly minimum living standard per person, per district and year."""

    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    monthly = models.DecimalField(_("低保标准(元/人·月)"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["-year", "district__code"]
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="hardship_poverty_line_unique")]


class HardshipConfig(models.Model):
    """One row: the cash amount above which help needs a second person's approval."""

    cash_approval_above = models.DecimalField(
        _("现金帮扶需复核金额(元)"), max_digits=10, decimal_places=2, default=Decimal("2000.00")
    )

    @classmethod
    def current(cls) -> HardshipConfig:
        return cls.objects.get_or_create(pk=1)[0]


class Step(models.TextChoices):
    APPLY = "apply", _("申请")
    VERIFY = "verify", _("基层核实")
    HOME_VISIT = "home_visit", _("入户走访")
    FINANCE = "finance", _("家庭经济状况核对")
    PUBLICITY = "publicity", _("公示")
    APPROVAL = "approval", _("审批")
    FILED = "filed", _("建档")


STEP_ORDER: list[str] = [s.value for s in Step]


class FileStatus(models.TextChoices):
    OPEN = "open", _("在档")
    CLOSED = "closed", _("已销档")


class CloseReason(models.TextChoices):
    RELIEVED = "relieved", _("脱困")
    RETIRED = "retired", _("退休转出")
    MOVED = "moved", _("迁出")
    DECEASED = "deceased", _("去世")
    OTHER = "other", _("其他")


class HsFileQuerySet(ScopedQuerySet["HardshipFile"]):
    region_field = "district"


class HardshipFile(models.Model):
    person = models.ForeignKey("people.Person", verbose_name=_("劳模"), on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("档案编号"), max_length=20, unique=True)
    category = models.ForeignKey(
        HardshipTerm, verbose_name=_("困难类别"), on_delete=models.PROTECT, related_name="+", null=True
    )
    causes = models.ManyToManyField(HardshipTerm, verbose_name=_("致困原因"), related_name="+", blank=True)
    summary = models.TextField(_("困难情况"), blank=True)
    step = models.CharField(_("当前环节"), max_length=12, choices=Step.choices, default=Step.APPLY)
    status = models.CharField(_("状态"), max_length=8, choices=FileStatus.choices, default=FileStatus.OPEN)
    applied_on = models.DateField(_("申请日期"))
    # 入户走访: the signed authorisation to check the household's finances
    authorisation = models.FileField(_("授权书"), upload_to="casework/hardship/auth/%Y/", blank=True)
    authorisation_type = models.CharField(max_length=60, blank=True)
    # 公示
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示结束"), null=True, blank=True)
    filed_on = models.DateField(_("建档日期"), null=True, blank=True)
    # sensitive (health and finance)
    health_note = models.TextField(_("健康状况"), blank=True)
    finance_note = models.TextField(_("经济状况说明"), blank=True)
    close_flagged = models.BooleanField(_("待销档"), default=False)
    close_flag_reason = models.CharField(_("待销档原因"), max_length=100, blank=True)
    closed_on = models.DateField(_("销档日期"), null=True, blank=True)
    close_reason = models.CharField(_("销档原因"), max_length=10, choices=CloseReason.choices, blank=True)
    close_note = models.CharField(_("销档说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = HsFileQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["district", "status", "step"], name="hardship_file_list"),
            # the list's order: the first page read off the index, not a sort of every file
            models.Index(fields=["-applied_on", "-id"], name="hardship_file_recent"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == FileStatus.OPEN

    @property
    def next_step(self) -> str | None:
        i = STEP_ORDER.index(self.step)
        return STEP_ORDER[i + 1] if i + 1 < len(STEP_ORDER) else None


class HsEventQuerySet(ScopedQuerySet["FileEvent"]):
    region_field = "file__district"


class FileEvent(models.Model):
    """Each step, send-back, objection, re-check and closing: who, when, note."""

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("环节"), max_length=12, choices=Step.choices)
    action = models.CharField(_("操作"), max_length=40)
    note = models.TextField(_("意见"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = HsEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]


class HouseholdMember(models.Model):
    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=40)
    relation = models.CharField(_("关系"), max_length=20)
    age = models.PositiveSmallIntegerField(_("年龄"))
    health = models.CharField(_("健康状况"), max_length=100, blank=True)
    monthly_income = models.DecimalField(_("月收入(元)"), max_digits=10, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["id"]


class Objection(models.Model):
    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("收到日期"))
    text = models.TextField(_("异议内容"))
    resolution = models.TextField(_("处理结果"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["received_on", "id"]


class HelpKind(models.TextChoices):
    CASH = "cash", _("现金")
    GOODS = "goods", _("物资")
    MEDICAL = "medical", _("医疗")
    SCHOOLING = "schooling", _("助学")
    EMPLOYMENT = "employment", _("就业")
    LEGAL = "legal", _("法律")
    VISIT = "visit", _("走访")


class HelpStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    APPROVED = "approved", _("已生效")
    REJECTED = "rejected", _("已退回")


class HsHelpQuerySet(ScopedQuerySet["HelpRecord"]):
    region_field = "file__district"


class HelpRecord(models.Model):
    """帮扶台账: one act of help. Cash above the configured amount waits for a second person."""

    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="help")
    kind = models.CharField(_("帮扶类型"), max_length=12, choices=HelpKind.choices)
    amount = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    given_on = models.DateField(_("日期"))
    source = models.CharField(_("资金来源"), max_length=60, blank=True)
    giver = models.CharField(_("帮扶人/单位"), max_length=60, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=HelpStatus.choices, default=HelpStatus.APPROVED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = HsHelpQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="hardship_help_amount_nonneg")]


class HsRecheckQuerySet(ScopedQuerySet["Recheck"]):
    region_field = "file__district"


class Recheck(models.Model):
    """年度复核: one per open file per year."""

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="rechecks")
    year = models.PositiveSmallIntegerField(_("年度"))
    due = models.DateField(_("应复核日期"))
    done_on = models.DateField(_("复核日期"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("复核意见"), max_length=200, blank=True)

    objects = HsRecheckQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["file", "year"], name="hardship_recheck_unique")]
        # the work list (not done, oldest due first): only the open re-checks, in the list's order
        indexes = [
            models.Index(fields=["due", "id"], condition=models.Q(done_on__isnull=True), name="hardship_recheck_open")
        ]


class Occasion(models.TextChoices):
    FESTIVAL = "festival", _("节日慰问")
    HOSPITAL = "hospital", _("生病住院")
    HARDSHIP = "hardship", _("困难走访")
    CONDOLENCE = "condolence", _("丧事吊唁")
    BIRTHDAY = "birthday", _("生日")
    OTHER = "other", _("其他")


class HsVisitQuerySet(ScopedQuerySet["CareVisit"]):
    region_field = "district"


class CareVisit(models.Model):
    person = models.ForeignKey("people.Person", verbose_name=_("走访对象"), on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(_("走访事由"), max_length=12, choices=Occasion.choices)
    visited_on = models.DateField(_("走访日期"))
    staff_visitors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("走访人员"), related_name="+")
    # registry people who came along (e.g. fellow model workers)
    visitor_people = models.ManyToManyField("people.Person", verbose_name=_("同行劳模"), related_name="+", blank=True)
    notes = models.TextField(_("走访情况"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = HsVisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["district", "visited_on"], name="hardship_visit_list")]


class CareVisitItem(models.Model):
    visit = models.ForeignKey(CareVisit, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("类型"), max_length=8, choices=[("cash", _("现金")), ("goods", _("物品"))])
    description = models.CharField(_("内容"), max_length=100, blank=True)
    amount = models.DecimalField(_("金额(元)"), max_digits=10, decimal_places=2, default=Decimal("0"))


class HsPhotoQuerySet(ScopedQuerySet["CareVisitPhoto"]):
    region_field = "visit__district"


class CareVisitPhoto(models.Model):
    visit = models.ForeignKey(CareVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="casework/visits/%Y/")
    content_type = models.CharField(max_length=60)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = HsPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["id"]


class HsPlanQuerySet(ScopedQuerySet["VisitPlan"]):
    region_field = "district"

    def visible_to(self, user: object) -> HsPlanQuerySet:
        # a whole-city plan (no district) is seen by every staff member who may see visits
        if scope_for(user).is_empty:
            return self.none()
        return self.filter(models.Q(pk__in=super().visible_to(user).values("pk")) | models.Q(district__isnull=True))


class VisitPlan(models.Model):
    title = models.CharField(_("计划名称"), max_length=80)
    district = models.ForeignKey(
        Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    occasion = models.CharField(_("走访事由"), max_length=12, choices=Occasion.choices, default=Occasion.FESTIVAL)
    starts_on = models.DateField(_("开始日期"))
    due = models.DateField(_("完成期限"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = HsPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-due", "-id"]

    def __str__(self) -> str:
        return self.title


class HsTargetQuerySet(ScopedQuerySet["PlanTarget"]):
    region_field = "district"


class PlanTarget(models.Model):
    plan = models.ForeignKey(VisitPlan, on_delete=models.CASCADE, related_name="targets")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(CareVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = HsTargetQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "person"], name="hardship_plan_target_unique")]
