"""The yearly census: campaigns, each person's census record, proposed changes waiting for review,
personal links, and spreadsheet imports (registry-wide or attributed to a campaign)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Job, Region
from core.scope import ScopedQuerySet, region_q, scope_for
from people.models import Person


class CampaignQuerySet(ScopedQuerySet["Campaign"]):
    """A campaign is seen by city staff and by district staff whose district it covers
    (city-wide campaigns cover every district)."""

    def visible_to(self, user: Any) -> CampaignQuerySet:  # type: ignore[override]

        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if not scope.region_paths:
            return self.none()
        q = region_q(user, "districts") or models.Q()
        ids = Campaign.objects.filter(models.Q(city_wide=True) | q).values("pk")
        return self.filter(pk__in=ids)


class Campaign(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    year = models.PositiveSmallIntegerField(_("普查年度"), unique=True)
    title = models.CharField(_("名称"), max_length=100)
    city_wide = models.BooleanField(_("全市范围"), default=True)
    districts = models.ManyToManyField(Region, verbose_name=_("普查区县"), blank=True, related_name="+")
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    summary: models.JSONField[Any, Any] = models.JSONField(_("总结"), default=dict, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("普查")
        verbose_name_plural = _("普查")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RecordState(models.TextChoices):
    PENDING = "pending", _("未联系")
    CONFIRMED = "confirmed", _("确认无误")
    CHANGED = "changed", _("有变更待审核")
    REVIEWED = "reviewed", _("已审核")
    UNREACHABLE = "unreachable", _("无法联系")
    DECEASED = "deceased", _("已去世")


# States that count as "surveyed" (reached, whatever the answer).
DONE_STATES = (RecordState.CONFIRMED, RecordState.REVIEWED, RecordState.DECEASED)


class Source(models.TextChoices):
    IMPORT = "import", _("区县表格")
    STAFF = "staff", _("工作人员")
    SELF = "self", _("本人链接")


class RecordQuerySet(ScopedQuerySet["CensusRecord"]):
    region_field = "district"


class CensusRecord(models.Model):
    """One person in one campaign. ``district``/``street`` are copied when the campaign opens,
    so the board counts where the person was surveyed even if they move later."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="records")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="census_records")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("普查状态"), max_length=12, choices=RecordState.choices, default=RecordState.PENDING, db_index=True
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, blank=True)
    corrected = models.BooleanField(_("已更正"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["district__path", "person__name_pinyin", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="uniq_census_record")]
        indexes = [models.Index(fields=["campaign", "district", "state"])]
        verbose_name = _("普查记录")
        verbose_name_plural = _("普查记录")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.person}"


class ProposalQuerySet(ScopedQuerySet["ChangeProposal"]):
    region_field = "record__district"


class ChangeProposal(models.Model):
    """Corrections proposed by the person (personal link), district staff or a district
    spreadsheet; they reach the record only field by field, after review."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        DECIDED = "decided", _("已审核")

    record = models.ForeignKey(CensusRecord, on_delete=models.CASCADE, related_name="proposals")
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("提交时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("变更申请")
        verbose_name_plural = _("变更申请")


class ProposedChange(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待定")
        ACCEPTED = "accepted", _("采纳")
        REJECTED = "rejected", _("不采纳")

    proposal = models.ForeignKey(ChangeProposal, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=30)
    label = models.CharField(_("字段"), max_length=30)
    before = models.CharField(_("原值"), max_length=300, blank=True)
    after = models.CharField(_("新值"), max_length=300, blank=True)
    # The value to apply, in the form the people service takes (a region id, a date, a code…).
    value: models.JSONField[Any, Any] = models.JSONField(null=True, blank=True)
    decision = models.CharField(_("审核结果"), max_length=8, choices=Decision.choices, default=Decision.PENDING)

    class Meta:
        ordering = ["id"]


class PersonalLink(models.Model):
    """An expiring link for one person in one campaign; only the token's hash is kept."""

    record = models.ForeignKey(CensusRecord, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    # The person's last answer through this link, which they may withdraw for a few minutes:
    # when it was given and what to restore ({"answer", "state", "reason", "source", "proposal"}).
    answered_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    undo: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created"]


class BatchQuerySet(ScopedQuerySet["ImportBatch"]):
    region_field = "region"


class ImportBatch(models.Model):
    """One uploaded spreadsheet. The file (full ID numbers and all) is kept only while it is
    needed: from the upload through the preview to the commit, and for a refused file while the
    clerk may download the marked-up copy; it is emptied once imported, abandoned, or older than
    ``services.UPLOAD_KEEP`` (``services.purge_stale_uploads``). The report (errors, masked, or
    the preview) stays."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("校验中")
        REFUSED = "refused", _("有错误")
        READY = "ready", _("待确认导入")
        COMMITTING = "committing", _("导入中")
        COMMITTED = "committed", _("已导入")
        FAILED = "failed", _("失败")
        ABANDONED = "abandoned", _("已放弃")

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports", verbose_name=_("普查")
    )
    # The uploader's area: the city for city staff, the district for district staff.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("上传时间"), auto_now_add=True)
    filename = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(editable=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.VALIDATING)
    report: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")

    def __str__(self) -> str:
        return self.filename


class ColumnMapping(models.Model):
    """What one area's sheets mean by a header the importer does not know: chosen by a clerk in
    the import preview (a field, or "ignore"), used for that area's later files. ``header`` is
    ``census.importer.header_key`` of the header; ``field`` a ``census.importer.COLUMNS`` key,
    or "" for a column that holds nothing to import."""

    # The uploader's area, as ImportBatch.region: a district, or the city.
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    header = models.CharField(_("表头"), max_length=100)
    label = models.CharField(_("原表头"), max_length=200, blank=True)
    field = models.CharField(_("对应字段"), max_length=20, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "header"], name="uniq_column_mapping")]
        verbose_name = _("导入列对应")
        verbose_name_plural = _("导入列对应")

    def __str__(self) -> str:
        return f"{self.label} → {self.field or '-'}"
