"""信访 (letters, calls, visits): cases with their deadlines, handler and transfers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.scope import ScopedQuerySet
from people.models import Person

__all__ = [
    "DEFAULT_DEADLINES",
    "DeadlineKey",
    "DeadlineRule",
    "ExtensionStatus",
    "PetitionAttachment",
    "PetitionCase",
    "PetitionCategory",
    "PetitionChannel",
    "PetitionExtension",
    "PetitionKind",
    "PetitionReminder",
    "PetitionStage",
    "PetitionStatus",
    "PetitionTransfer",
    "Satisfaction",
]


class PetitionChannel(models.TextChoices):
    LETTER = "letter", _("来信")
    CALL = "call", _("来电")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上")


class PetitionKind(models.TextChoices):
    SUGGESTION = "suggestion", _("建议")
    COMPLAINT = "complaint", _("投诉/举报")
    APPEAL = "appeal", _("申诉/求决")
    INQUIRY = "inquiry", _("咨询")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("待告知受理")
    HANDLING = "handling", _("办理中")
    CLOSED = "closed", _("已办结")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class PetitionStage(models.TextChoices):
    ORIGINAL = "original", _("初次信访")
    REVIEW = "review", _("复查")
    RECHECK = "recheck", _("复核")


class DeadlineKey(models.TextChoices):
    NOTICE = "notice", _("告知")
    HANDLING = "handling", _("办结")
    EXTENSION = "extension", _("延期")
    REVIEW_REQUEST = "review_request", _("复查申请")
    REVIEW_ANSWER = "review_answer", _("复查答复")
    RECHECK_REQUEST = "recheck_request", _("复核申请")
    RECHECK_ANSWER = "recheck_answer", _("复核答复")


# 2022 信访工作条例: the defaults the rules table starts from (reference data; staff may change them).
DEFAULT_DEADLINES: dict[str, int] = {
    DeadlineKey.NOTICE: 15,
    DeadlineKey.HANDLING: 60,
    DeadlineKey.EXTENSION: 30,
    DeadlineKey.REVIEW_REQUEST: 30,
    DeadlineKey.REVIEW_ANSWER: 30,
    DeadlineKey.RECHECK_REQUEST: 30,
    DeadlineKey.RECHECK_ANSWER: 30,
}


class DeadlineRule(models.Model):
    """One deadline: its length and whether it counts working days (the 工作日历) or calendar days.
    Counted from the day after the start (receipt, answer, previous due date). Applies to new cases."""

    key = models.CharField(_("期限"), max_length=20, choices=DeadlineKey.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("天数"))
    working_days = models.BooleanField(_("按工作日计算"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.days}"


class PetitionCategory(models.Model):
    """信访事项分类 (editable dictionary): 劳动就业, 社会保障, 工资待遇 …"""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(ScopedQuerySet["PetitionCase"]):
    region_field = "district"


class PetitionCase(models.Model):
    """One letter, call or visit. Deadlines (2022 信访工作条例): notice of acceptance within 15 days,
    handling within 60 days (one extension of at most 30 days, with a reason)."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=PetitionChannel.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=PetitionKind.choices, default=PetitionKind.APPEAL)
    person = models.ForeignKey(
        Person, verbose_name=_("信访人（人员库）"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("信访人"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)
    id_number_encrypted = models.TextField(blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True)
    matter = models.TextField(_("信访事项"))
    district = models.ForeignKey(Region, verbose_name=_("区县(市)"), on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_on = models.DateField(_("登记日期"))
    notice_due = models.DateField(_("告知期限"))
    noticed_on = models.DateField(_("告知日期"), null=True, blank=True)
    due = models.DateField(_("办理期限"))
    extended_days = models.PositiveSmallIntegerField(_("延期天数"), default=0)
    extension_reason = models.CharField(_("延期理由"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED)
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("重复件"), null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    answer = models.TextField(_("答复意见"), blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    category = models.ForeignKey(
        PetitionCategory, verbose_name=_("分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("环节"), max_length=10, choices=PetitionStage.choices, default=PetitionStage.ORIGINAL)
    review_of = models.ForeignKey(
        "self", verbose_name=_("原件"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due"], name="petition_status_due"),
            # the 已超期 / 即将到期 lists: open cases by due date (bench/bench_casework.py)
            models.Index(fields=["due", "id"], condition=~models.Q(status="closed"), name="petition_open_due"),
            # the petitioner's phone page and repeat detection (same mobile; same matter per district)
            models.Index(fields=["mobile", "received_on"], name="petition_mobile"),
            models.Index(fields=["district", "received_on"], name="petition_district_day"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class AttachmentQuerySet(ScopedQuerySet["PetitionAttachment"]):
    region_field = "case__district"


class PetitionAttachment(models.Model):
    """Material added to a case: a note, a photo or a PDF, by staff or by the petitioner on the phone
    page (``added_by`` empty, ``by_petitioner`` set). Files are served only through permission-checked
    views (staff: the case's scope; petitioner: the verified mobile of the case)."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="casework/petitions/%Y/", blank=True)
    content_type = models.CharField(max_length=60, blank=True)
    original_name = models.CharField(max_length=120, blank=True)
    note = models.TextField(_("说明"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_petitioner = models.BooleanField(_("信访人添加"), default=False)
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.original_name or self.note[:20]}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class PetitionReminder(models.Model):
    """One reminder sent: which deadline of which case, to whom, on which day. The daily task
    (``manage.py petitions_remind``) sends one message per person per day and never repeats a row."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="+")
    deadline = models.CharField(max_length=10)  # "notice" or "handling"
    due = models.DateField()
    day = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "deadline", "day", "recipient"], name="petition_reminder_once")
        ]
        indexes = [models.Index(fields=["recipient", "day"], name="petition_reminder_day")]


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class ExtensionQuerySet(ScopedQuerySet["PetitionExtension"]):
    region_field = "case__district"


class PetitionExtension(models.Model):
    """The one extension request of a case: asked by the handler, decided by another person holding
    ``casework.petitions_approve``."""

    case = models.OneToOneField(PetitionCase, on_delete=models.CASCADE, related_name="extension_request")
    days = models.PositiveSmallIntegerField(_("延期天数"))
    reason = models.CharField(_("延期理由"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    objects = ExtensionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status"], name="petition_ext_status")]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class PetitionTransfer(models.Model):
    """One assignment or transfer of a case (交办/转办): from, to, who, when, why."""

    case = models.ForeignKey(PetitionCase, on_delete=models.CASCADE, related_name="transfers")
    from_district = models.ForeignKey(Region, null=True, on_delete=models.PROTECT, related_name="+")
    from_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    to_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("转办理由"), max_length=200)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_district_id}"
