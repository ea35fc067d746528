"""Benefit payments: kinds of benefit, rules per year (versioned), payout rounds and their lines,
corrections after approval, bank file layouts, and the API's idempotency keys.

Money is ``Decimal`` with two places (yuan and fen) everywhere; no float ever touches an amount.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet
from people.models import Level, Person, PersonStatus, TitleKind

ZERO = Decimal("0.00")


def money_field(verbose: Any, **kwargs: Any) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, default=ZERO, **kwargs)


class BenefitKind(models.Model):
    """春节慰问金, 劳模津贴, 困难补助…: the same machinery with different rules."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("慰问类别")
        verbose_name_plural = _("慰问类别")

    def __str__(self) -> str:
        return self.name


class RuleSet(models.Model):
    """The rules of one kind for one year. Its content lives in immutable versions."""

    kind = models.ForeignKey(
        BenefitKind, verbose_name=_("慰问类别"), on_delete=models.PROTECT, related_name="rule_sets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind__sort", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="uniq_rule_set_per_year")]
        verbose_name = _("发放规则")
        verbose_name_plural = _("发放规则")

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> RuleVersion | None:
        return self.versions.order_by("-number").first()


# Which amount field answers which level.
LEVEL_AMOUNT_FIELDS = {
    Level.NATIONAL: "amount_national",
    Level.PROVINCIAL: "amount_provincial",
    Level.CITY: "amount_city",
    Level.DISTRICT: "amount_district",
}
DEFAULT_STATUSES = [PersonStatus.WORKING.value, PersonStatus.RETIRED.value]
DEFAULT_TITLE_KINDS = [TitleKind.MODEL_WORKER.value, TitleKind.UNION_AWARD.value]


def _default_statuses() -> list[str]:
    return list(DEFAULT_STATUSES)


def _default_title_kinds() -> list[str]:
    return list(DEFAULT_TITLE_KINDS)


class RuleVersion(models.Model):
    """One saved state of a rule set. Never changed after saving: an edit saves the next number,
    and a round keeps a reference to the version it was drafted from."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    amount_national = money_field(_("全国级金额"))
    amount_provincial = money_field(_("省部级金额"))
    amount_city = money_field(_("市级金额"))
    amount_district = money_field(_("区县级金额"))
    # Conditions: only these statuses qualify (deceased and moved-away people are left out by default).
    statuses = models.JSONField(_("符合条件的状态"), default=_default_statuses)
    # Which kinds of title count towards the level (劳模 titles and union awards, not craftsman titles).
    title_kinds = models.JSONField(_("计入的荣誉类别"), default=_default_title_kinds)
    hardship_topup = money_field(_("困难劳模加发"))
    age_threshold = models.PositiveSmallIntegerField(_("高龄线（周岁）"), null=True, blank=True)
    age_topup = money_field(_("高龄加发"))
    excluded_title_ids = models.JSONField(_("排除的称号"), default=list, blank=True)
    excluded_person_ids = models.JSONField(_("排除的人员"), default=list, blank=True)
    # Off (the rule): nobody is paid twice for one kind and year; on for a benefit paid more than
    # once a year (困难补助 each quarter…).
    allow_repeat = models.BooleanField(_("允许同一年度重复发放"), default=False)
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rule_set", "-number"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "number"], name="uniq_rule_version")]
        verbose_name = _("规则版本")
        verbose_name_plural = _("规则版本")

    def __str__(self) -> str:
        return f"{self.rule_set} v{self.number}"

    def amount_for(self, level: str) -> Decimal:
        field = LEVEL_AMOUNT_FIELDS.get(Level(level)) if level else None
        return getattr(self, field) if field else ZERO

    @property
    def amounts(self) -> dict[str, Decimal]:
        return {level.value: getattr(self, field) for level, field in LEVEL_AMOUNT_FIELDS.items()}


class BankLayout(models.Model):
    """The column layout of a bank payout file. ``columns`` is a list of
    ``{"field": <one of BANK_FIELDS>, "header": <column title>}``."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    bank_name = models.CharField(_("代发银行"), max_length=60, blank=True)
    columns = models.JSONField(_("列设置"), default=list)
    sheet_title = models.CharField(_("工作表名"), max_length=31, default="代发明细")
    is_default = models.BooleanField(_("默认"), default=False)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("银行代发格式")
        verbose_name_plural = _("银行代发格式")

    def __str__(self) -> str:
        return self.name


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("草稿（审核中）")
    APPROVED = "approved", _("已批准（名单冻结）")
    CLOSED = "closed", _("已结清")


class PayoutRound(models.Model):
    """A payout batch (发放批次) drafted from one rule version."""

    kind = models.ForeignKey(BenefitKind, verbose_name=_("慰问类别"), on_delete=models.PROTECT, related_name="rounds")
    rule_version = models.ForeignKey(
        RuleVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("批次名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    reference_date = models.DateField(_("基准日期"), help_text=_("计算年龄、判断状态的日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("补发来源批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结清时间"), null=True, blank=True)
    # How often the bank file was written: a second download is confirmed and logged.
    bank_exports = models.PositiveIntegerField(_("代发文件导出次数"), default=0)
    bank_exported_at = models.DateTimeField(_("最近导出时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created", "-id"]
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == RoundStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status != RoundStatus.DRAFT


class PayoutResult(models.TextChoices):
    PENDING = "pending", _("待发放")
    PAID = "paid", _("已发放")
    FAILED = "failed", _("发放失败")
    RETURNED = "returned", _("退回")


class ExclusionReason(models.TextChoices):
    DECEASED = "deceased", _("已去世")
    UNREACHABLE = "unreachable", _("联系不上")
    REFUSED = "refused", _("本人谢绝")
    DUPLICATE = "duplicate", _("重复")
    # Left out by the draft: already approved or paid in another round of the same kind and year.
    ALREADY_PAID = "already_paid", _("本年度已在其他批次发放")
    OTHER = "other", _("其他")


class PayoutQuerySet(ScopedQuerySet["Payout"]):
    # A line belongs to the district its person was in when the round was drafted.
    region_field = "district"
    self_field = "person__user"

    def included(self) -> PayoutQuerySet:
        return self.filter(excluded=False)


class Payout(models.Model):
    """One person's line in a round: who, how much and why."""

    # Indexes: (round, person) unique, (round, district) and (person, round) serve every lookup;
    # the single-column FK indexes Django would add are left out, as each costs time on the
    # 100,000-line insert of a draft. The foreign keys themselves are in the database (checked
    # at commit: Django creates them DEFERRABLE INITIALLY DEFERRED, which the COPY path needs).
    round = models.ForeignKey(PayoutRound, on_delete=models.CASCADE, related_name="payouts", db_index=False)
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="payouts",
        db_index=False,
    )
    district = models.ForeignKey(
        Region,
        verbose_name=_("区县(市)"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    level = models.CharField(_("待遇级别"), max_length=12, choices=Level.choices)
    honour_name = models.CharField(_("依据称号"), max_length=60)
    honour_year = models.PositiveSmallIntegerField(_("称号年份"), null=True, blank=True)
    base_amount = money_field(_("基本金额"))
    hardship_topup = money_field(_("困难加发"))
    age_topup = money_field(_("高龄加发"))
    amount = money_field(_("金额"))
    reason = models.CharField(_("计算依据"), max_length=300)
    first_time = models.BooleanField(_("首次领取"), default=False)
    excluded = models.BooleanField(_("已剔除"), default=False)
    excluded_reason = models.CharField(_("剔除原因"), max_length=12, choices=ExclusionReason.choices, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # Frozen at approval: the account the bank file pays into.
    bank_name = models.CharField(_("开户银行"), max_length=60, blank=True)
    bank_account_name = models.CharField(_("账户名"), max_length=40, blank=True)
    bank_account_encrypted = models.TextField(blank=True, editable=False)
    bank_account_masked = models.CharField(_("银行账号"), max_length=30, blank=True)
    result = models.CharField(_("发放结果"), max_length=10, choices=PayoutResult.choices, default=PayoutResult.PENDING)
    result_reason = models.CharField(_("结果说明"), max_length=200, blank=True)
    result_at = models.DateTimeField(_("结果时间"), null=True, blank=True)
    reissue_of = models.ForeignKey(
        "self",
        verbose_name=_("补发自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reissues",
        db_index=False,
    )

    objects = PayoutQuerySet.as_manager()

    class Meta:
        ordering = ["district__sort", "district__code", "id"]
        constraints = [
            # The invariant, in the database: nobody twice in one round.
            models.UniqueConstraint(fields=["round", "person"], name="uniq_payout_person_per_round"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payout_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["round", "district"]),
            models.Index(fields=["person", "round"]),
            models.Index(fields=["reissue_of"], condition=Q(reissue_of__isnull=False), name="payout_reissue_of"),
        ]
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")

    def __str__(self) -> str:
        return f"{self.round} · {self.person_id}"

    @property
    def reference(self) -> str:
        """The line's reference in bank files; the bank's return file quotes it back."""
        return f"P{self.pk:08d}"


class ChangeQuerySet(ScopedQuerySet["PayoutChange"]):
    region_field = "payout__district"


class PayoutChange(models.Model):
    """Every change to a round's list, for the city to see: review acts of the districts during
    the draft, corrections after approval, and results."""

    class Action(models.TextChoices):
        EXCLUDED = "excluded", _("剔除")
        RESTORED = "restored", _("恢复")
        NOTED = "noted", _("备注")
        CORRECTED = "corrected", _("更正")
        RESULT = "result", _("登记结果")

    round = models.ForeignKey(PayoutRound, on_delete=models.CASCADE, related_name="changes")
    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("内容"), max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")


class ReportQuerySet(ScopedQuerySet["DistrictReport"]):
    region_field = "district"


class DistrictReport(models.Model):
    """区县确认上报: a district's staff have reviewed their lines of a draft round and report them
    to the city. Their lines are then frozen for them until the report is withdrawn."""

    round = models.ForeignKey(PayoutRound, on_delete=models.CASCADE, related_name="district_reports")
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    people = models.PositiveIntegerField(_("上报人数"), default=0)
    total = money_field(_("上报金额"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(_("上报时间"), auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["district__sort", "district__code"]
        constraints = [models.UniqueConstraint(fields=["round", "district"], name="uniq_district_report")]
        verbose_name = _("区县上报")
        verbose_name_plural = _("区县上报")


class CorrectionKind(models.TextChoices):
    EXCLUDE = "exclude", _("剔除")
    AMOUNT = "amount", _("调整金额")
    ADD = "add", _("补录人员")


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class CorrectionQuerySet(ScopedQuerySet["Correction"]):
    region_field = "district"


class Correction(models.Model):
    """A change to a frozen list: requested, then approved by someone else, then applied."""

    round = models.ForeignKey(PayoutRound, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("更正类型"), max_length=8, choices=CorrectionKind.choices)
    payout = models.ForeignKey(Payout, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    new_amount = models.DecimalField(_("更正后金额"), max_digits=14, decimal_places=2, null=True, blank=True)
    reason = models.CharField(_("更正原因"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_amount__isnull=True) | Q(new_amount__gte=0), name="correction_amount_not_negative"
            )
        ]
        verbose_name = _("更正")
        verbose_name_plural = _("更正")
