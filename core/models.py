"""What several apps need: regions, accounts and roles, the audit log, jobs, dictionaries, notifications."""

from __future__ import annotations

import uuid
from typing import Any, TypeAlias

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区县(市)")
    ZONE = "zone", _("功能区")
    STREET = "street", _("镇街")
    COMMUNITY = "community", _("社区/村")
    GRID = "grid", _("网格")


class Region(models.Model):
    """A node of the region tree. ``path`` is the chain of codes from the root, dot-terminated,
    so a subtree is ``path__startswith`` and scope checks need no recursion."""

    code = models.CharField(_("区划代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=12, choices=RegionKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    former_codes = models.CharField(_("曾用代码"), max_length=100, blank=True, help_text=_("逗号分隔，如 330204"))
    sort = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count(".")

    @property
    def label(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """An account. What it may do comes from its role assignments, never from is_staff."""

    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


#: Who does a write: a signed-in user, or None for the system itself (demo builders, server commands,
#: scheduled jobs). Every service takes ``actor: Actor``.
Actor: TypeAlias = User | None


class Role(models.TextChoices):
    CITY_STAFF = "city_staff", _("协会工作人员")
    DISTRICT_STAFF = "district_staff", _("区县(市)工会工作人员")
    TEAM_LEADER = "team_leader", _("服务队队长")
    MODEL_WORKER = "model_worker", _("劳模工匠")
    REQUESTER = "requester", _("需求单位")
    AUDITOR = "auditor", _("审计员")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")


class RoleAssignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("数据范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("区县工作人员必须指定；为空表示全市"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "region"], name="uniq_role_assignment")]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class AuditEntry(models.Model):
    """One logged act. Never updated or deleted (triggers enforce it on PostgreSQL and SQLite);
    old entries leave only through ``purge_audit_log`` after the retention period. A migration
    that alters this table rebuilds it on SQLite and drops the triggers: it must create them
    again (see ``core/migrations/0005``; a test checks they exist)."""

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # The log outlives accounts and is never updated (SET_NULL could not run): no database-level
    # check either, which spared a 100,000-row import 100,000 lookups; actor_name keeps the name.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        # A record's history (object_id and type), the log page's filters (object_id alone, a
        # prefix of action); nothing more, since every import writes an entry per person.
        indexes = [
            models.Index(fields=["object_id", "object_type"], name="audit_object"),
            models.Index(fields=["action"], name="audit_action_prefix", opclasses=["varchar_pattern_ops"]),
        ]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


class LoginFailure(models.Model):
    """Failed attempts by normalised user name (existing or not, so lockout reveals nothing)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)


class LoginEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("登录成功")
        FAILED = "failed", _("登录失败")
        LOCKED = "locked", _("账号锁定")
        LOGOUT = "logout", _("退出")
        TIMEOUT = "forced", _("强制退出")
        OTP_FAILED = "otp_failed", _("动态口令错误")

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(_("用户名"), max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(_("结果"), max_length=12, choices=Kind.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created"]


class UserSession(models.Model):
    """A live login, so staff can list online users and end one (在线用户 / 强退)."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_sessions")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its hash is kept; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)


class DictItem(models.Model):
    """Editable dropdown values (数据字典): ethnicity, political status, education, …"""

    dict_type = models.CharField(_("字典类型"), max_length=40)
    value = models.CharField(_("字典键值"), max_length=60)
    label = models.CharField(_("字典标签"), max_length=60)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["dict_type", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["dict_type", "value"], name="uniq_dict_item")]
        verbose_name = _("字典数据")
        verbose_name_plural = _("字典数据")

    def __str__(self) -> str:
        return self.label


class Job(models.Model):
    """Long work (imports, exports, PDFs, mass notifications) with progress a user can watch."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    params: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    result: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-created"]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class NotificationTemplate(models.Model):
    code = models.CharField(_("模板编码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), help_text=_("可用 {{ 变量 }}"))

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """One message to one person on one channel, with its delivery result (the delivery log)."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("电子邮件")
        INAPP = "inapp", _("站内消息")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        READ = "read", _("已读")

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True, help_text=_("手机号或邮箱"))
    template_code = models.CharField(max_length=60, blank=True)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    link = models.CharField(max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    related_type = models.CharField(max_length=60, blank=True)
    related_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created"]


# One-time codes by text message: technical help's requesters, the model workers' phone sign-in,
# petitioners following their case.


class PhoneCode(models.Model):
    """A one-time code sent to a mobile. Only its keyed hash is stored; it expires, allows a few
    attempts, and is used once."""

    mobile = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        db_table = "assistance_phonecode"  # where it began; moved to core with its table


class PhoneCodeSendLock(models.Model):
    """One row per mobile number and per client address that asked for a code. ``send_phone_code``
    locks its rows (SELECT ... FOR UPDATE) before counting, so parallel requests for one number,
    or from one address, are counted one after another and the limits hold."""

    key = models.CharField(max_length=60, unique=True)

    class Meta:
        db_table = "assistance_phonecodesendlock"


class IdempotencyKey(models.Model):
    """An API write already done: replaying the same key returns the stored answer, changes nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    endpoint = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=200)
    response = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_uniq_idempotency_key")]


class CalendarDay(models.Model):
    """One day of the working-day calendar (法定节假日与调休); loaded per year, editable by staff."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历")

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_workday else '休'}"
