"""Technical help for enterprises (技术帮扶, 百名工匠进百企): calls, requests, triage, matching,
invitations, visits and outcomes."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet
from people.models import Person, Trade


class Category(models.Model):
    """The editable catalogue of help categories (自动化改造, 焊接, 电气 …) with the trades and
    keywords that suggest the right craftsmen."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("类别"), max_length=40, unique=True)
    trades = models.ManyToManyField(Trade, verbose_name=_("对应工种"), blank=True, related_name="+")
    keywords = models.CharField(_("关键词"), max_length=200, blank=True, help_text=_("空格或逗号分隔，用于匹配"))
    sort = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("帮扶类别")
        verbose_name_plural = _("帮扶类别")

    def __str__(self) -> str:
        return self.name


class CallQuerySet(ScopedQuerySet["Call"]):
    region_field = "scope"


class Call(models.Model):
    """A collection round (征集): requests arriving between the dates attach to it."""

    title = models.CharField(_("征集名称"), max_length=120)
    starts = models.DateField(_("开始日期"))
    ends = models.DateField(_("截止日期"))
    scope = models.ForeignKey(
        Region, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+", help_text=_("全市或某区县")
    )
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-starts", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="call_dates_ordered")]
        verbose_name = _("需求征集")
        verbose_name_plural = _("需求征集")

    def __str__(self) -> str:
        return self.title


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    OTHER = "other", _("其他单位")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    SOON = "soon", _("较急")
    URGENT = "urgent", _("紧急")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上提交")
    PHONE = "phone", _("电话受理")
    VISIT = "visit", _("走访收集")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    IN_SERVICE = "in_service", _("服务中")
    DONE = "done", _("已办结")
    DECLINED = "declined", _("不予受理")
    MERGED = "merged", _("已合并")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.IN_SERVICE)


class RequestQuerySet(ScopedQuerySet["HelpRequest"]):
    region_field = "region"
    self_field = "requester"


class HelpRequest(models.Model):
    """One organisation's request for technical help. It lands in the finest region of its
    address (grid, else street, else district); ``district`` is kept for figures and transfers."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    call = models.ForeignKey(Call, verbose_name=_("征集"), null=True, blank=True, on_delete=models.PROTECT)
    org_kind = models.CharField(_("单位类型"), max_length=12, choices=OrgKind.choices, default=OrgKind.ENTERPRISE)
    org_name = models.CharField(_("单位名称"), max_length=120)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    address = models.CharField(_("地址"), max_length=200)
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey(
        Region, verbose_name=_("镇街"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("所属网格"), on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_mobile = models.CharField(_("联系手机"), max_length=11)
    mobile_verified = models.BooleanField(_("手机已验证"), default=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_requests",
    )
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT)
    title = models.CharField(_("需求标题"), max_length=100)
    description = models.TextField(_("需求描述"))
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    channel = models.CharField(_("来源"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decline_reason = models.CharField(_("不予受理原因"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并到"), null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    first_visit_on = models.DateField(_("首次上门"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Outcome (recorded once, corrected by staff through the same service).
    solved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    problems_solved = models.PositiveIntegerField(_("解决难题数"), default=0)
    workers_trained = models.PositiveIntegerField(_("培训职工人数"), default=0)
    workers_served = models.PositiveIntegerField(_("服务职工人数"), default=0)
    equipment_repaired = models.PositiveIntegerField(_("维修设备台数"), default=0)
    outcome_summary = models.TextField(_("成效说明"), blank=True)
    rating = models.PositiveSmallIntegerField(_("满意度评分"), null=True, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["district", "status"]), models.Index(fields=["credit_code"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="request_rating_1_5"
            ),
        ]
        verbose_name = _("帮扶需求")
        verbose_name_plural = _("帮扶需求")

    def __str__(self) -> str:
        return f"{self.number} {self.org_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventQuerySet(ScopedQuerySet["RequestEvent"]):
    region_field = "request__region"
    self_field = "request__requester"


class RequestEvent(models.Model):
    """The story of a request as the requester and staff read it (the audit log keeps the rest)."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="events")
    created = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=30)
    text = models.CharField(max_length=500)
    public = models.BooleanField(default=True, help_text=_("需求单位可见"))

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]


def attachment_path(instance: Attachment, filename: str) -> str:

    return f"assistance/{instance.request_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class AttachmentQuerySet(ScopedQuerySet["Attachment"]):
    region_field = "request__region"
    self_field = "request__requester"


class Attachment(models.Model):
    """A photo or document of a request or of a visit; served only by the scoped download view."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="attachments")
    visit = models.ForeignKey("Visit", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    is_image = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("待答复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    WITHDRAWN = "withdrawn", _("已撤回")


class InvitationQuerySet(ScopedQuerySet["Invitation"]):
    region_field = "request__region"
    self_field = "person__user"


class Invitation(models.Model):
    """A person asked to serve a request; several make a team (集体会诊)."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, verbose_name=_("劳模工匠"), on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("牵头人"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    score = models.FloatField(_("匹配得分"), null=True, blank=True)
    reasons = models.JSONField(_("匹配理由"), default=list, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.CharField(_("答复说明"), max_length=300, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="uniq_invitation_per_person")]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["status", "invited_at"])]


class VisitQuerySet(ScopedQuerySet["Visit"]):
    region_field = "request__region"
    self_field = "request__requester"


class Visit(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(_("上门日期"))
    work_done = models.TextField(_("服务内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]


class VisitPerson(models.Model):
    """Who went on a visit and for how long (person-visits and hours come from these rows)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("服务时长(小时)"), max_digits=5, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="uniq_visit_person"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="visit_hours_positive"),
        ]


class Measure(models.Model):
    """A before/after figure of an outcome: people on a line 8 → 4, output per hour, scrap rate."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="measures")
    label = models.CharField(_("指标"), max_length=60)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    before = models.DecimalField(_("帮扶前"), max_digits=12, decimal_places=2)
    after = models.DecimalField(_("帮扶后"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]


class MatchProfile(models.Model):
    """What matching knows of a person, precomputed: text tokens with TF-IDF weights (for the
    reasons shown), trades, grade, ratings. Rebuilt by ``matching.refresh_profiles``."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="match_profile")
    district_id_copy = models.BigIntegerField(db_index=True)
    region_id_copy = models.BigIntegerField()
    best_grade = models.CharField(max_length=1, blank=True)
    trade_ids = models.JSONField(default=list)
    vector = models.JSONField(default=dict, help_text="term → normalised TF-IDF weight")
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    static_score = models.FloatField(default=0)
    available = models.BooleanField(default=True)
    updated = models.DateTimeField(auto_now=True)


class MatchTerm(models.Model):
    """The inverted index matching reads: one row per (person, term). Trade terms are ``t:<id>``.
    District, region and the static part of the score are copied in so ranking is one grouped
    scan over the query's terms, with no join."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    term = models.CharField(max_length=40)
    weight = models.FloatField()
    district_id_copy = models.BigIntegerField()
    region_id_copy = models.BigIntegerField()
    static_score = models.FloatField()

    class Meta:
        # On PostgreSQL migration 0002 adds a covering index (term, person) INCLUDE (weight,
        # district, region, static) so ranking reads the index only, never the scattered rows.
        indexes = [models.Index(fields=["term", "person"], name="assist_term_person")]
        constraints = [models.UniqueConstraint(fields=["person", "term"], name="uniq_match_term")]


class TermStat(models.Model):
    """Document frequency per term over all profiles (the IDF table); ``__N__`` holds the count."""

    term = models.CharField(max_length=40, unique=True)
    df = models.PositiveIntegerField()
