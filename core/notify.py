"""The one notification service: text messages, e-mail and in-app messages, with templates and a
delivery log (``core.models.Notification``, one row per message).

    send(channel="sms", address="13805740001", template_code="assistance.invited",
         context={"name": "万亚勇", "link": url}, related=request_obj)

Every message is stored first (status 待发送); delivery runs through django-tasks after the
caller's transaction commits, so a rolled-back write never sends anything. In-app messages are
delivered by being stored (status 已发送). Text messages go through the gateway adapter named by
``settings.SMS_BACKEND``; the development default writes them to the log and to ``var/sms.log``.

One-time codes go in ``secret_context``, not ``context``: the stored message and every log show
them masked (``******``), and the real text exists only in memory, handed to the gateway right
after commit (never through the task queue, whose arguments a database backend would store).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from core.errors import DomainError
from core.models import Notification, NotificationTemplate, RoleAssignment
from core.permissions import role_permissions
from core.scope import REGION_ROLES

logger = logging.getLogger("laomo.notify")

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class SmsBackend(Protocol):
    def send(self, mobile: str, text: str, *, log_text: str = "") -> str:
        """Deliver ``text``; return the gateway's message id, raise on failure. ``log_text`` is the
        same message with one-time codes masked: anything an adapter logs or keeps comes from it."""


class ConsoleSmsBackend:
    """Development gateway: the message (codes masked) goes to the log and to ``var/sms.log``."""

    def send(self, mobile: str, text: str, *, log_text: str = "") -> str:
        shown = log_text or text
        logger.info("SMS to %s: %s", mobile, shown)
        path = Path(getattr(settings, "SMS_LOG_FILE", settings.BASE_DIR / "var" / "sms.log"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S}\t{mobile}\t{shown}\n")
        return f"console-{timezone.now().timestamp():.6f}"


class MemorySmsBackend:
    """Keeps messages in ``MemorySmsBackend.outbox`` as the phone receives them (for tests, like
    Django's locmem mail), so a test can read a code the way a person would."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str, *, log_text: str = "") -> str:
        MemorySmsBackend.outbox.append((mobile, text))
        return f"memory-{len(MemorySmsBackend.outbox)}"


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()  # type: ignore[no-any-return]


def mask_secret(value: str) -> str:
    """How a one-time code appears wherever it is kept: one asterisk per character."""
    return "*" * len(value)


def render_text(text: str, context: dict[str, Any]) -> str:
    """Fill ``{{ name }}`` placeholders. Deliberately not the template language: templates are
    edited by staff, so they may only insert values, never run tags."""
    return _PLACEHOLDER.sub(lambda m: str(context.get(m.group(1), "")), text)


def send(
    *,
    channel: str,
    recipient: Any = None,
    address: str = "",
    template_code: str = "",
    subject: str = "",
    body: str = "",
    context: dict[str, Any] | None = None,
    secret_context: dict[str, str] | None = None,
    related: models.Model | None = None,
    link: str = "",
) -> Notification:
    """Store one message and queue its delivery after commit. Either ``template_code`` (a
    ``NotificationTemplate``) or ``subject``/``body`` give the text; ``context`` fills it.
    SMS and e-mail need an ``address`` (taken from the recipient's account when missing).
    ``secret_context`` (one-time codes) fills the delivered text only: the stored body has the
    values masked, and the message is handed to its gateway in this process after commit."""
    context = context or {}
    secret_context = secret_context or {}
    if channel not in Notification.Channel.values:
        raise DomainError(_("未知的通知渠道：%(channel)s") % {"channel": channel})
    if template_code:
        template = NotificationTemplate.objects.filter(code=template_code).first()
        if template is None:
            raise DomainError(_("通知模板 %(code)s 不存在") % {"code": template_code})
        subject, body = template.subject, template.body
    if not body:
        raise DomainError(_("通知内容为空"))
    if not address and recipient is not None:
        address = (recipient.mobile if channel == Notification.Channel.SMS else recipient.email) or ""
    if channel in (Notification.Channel.SMS, Notification.Channel.EMAIL) and not address:
        raise DomainError(_("没有可用的手机号或邮箱"))
    if channel == Notification.Channel.INAPP and recipient is None:
        raise DomainError(_("站内消息需要接收人"))
    inapp = channel == Notification.Channel.INAPP
    if inapp and secret_context:
        raise DomainError(_("站内消息不能携带验证码"))
    masked = {key: mask_secret(str(value)) for key, value in secret_context.items()}
    note = Notification.objects.create(
        channel=channel,
        recipient=recipient,
        address=address,
        template_code=template_code,
        subject=render_text(subject, context)[:200],
        body=render_text(body, context | masked),
        link=link[:300],
        status=Notification.Status.SENT if inapp else Notification.Status.PENDING,
        sent_at=timezone.now() if inapp else None,
        related_type=related._meta.label_lower if related is not None else "",
        related_id=str(related.pk) if related is not None else "",
    )
    if secret_context:
        real_body = render_text(body, context | secret_context)
        transaction.on_commit(lambda: deliver(note, body=real_body))
    elif not inapp:
        note_id = note.pk
        transaction.on_commit(lambda: deliver_notification.enqueue(note_id))
    return note


def deliver(note: Notification, *, body: str = "") -> Notification:
    """Hand one stored message to its gateway and record the result. ``body`` is the real text
    when the stored one has a code masked (``send``'s ``secret_context``); gateways log only the
    stored one."""
    try:
        if note.channel == Notification.Channel.SMS:
            stored = f"{note.body} {note.link}".strip() if note.link else note.body
            text = f"{body} {note.link}".strip() if body and note.link else (body or stored)
            sms_backend().send(note.address, text, log_text=stored)
        elif note.channel == Notification.Channel.EMAIL:
            real = body or note.body
            text = f"{real}\n\n{note.link}" if note.link else real
            send_mail(note.subject or note.body[:30], text, settings.DEFAULT_FROM_EMAIL, [note.address])
    except Exception as exc:  # noqa: BLE001 - any gateway failure is recorded, never raised to the sender
        note.status, note.error = Notification.Status.FAILED, str(exc)[:300]
    else:
        note.status, note.error, note.sent_at = Notification.Status.SENT, "", timezone.now()
    note.save(update_fields=["status", "error", "sent_at"])
    return note


@task()
def deliver_notification(notification_id: int) -> str:
    note = Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).first()
    if note is None:
        return "gone"
    return deliver(note).status


@transaction.atomic
def mark_read(*, user: Any, notification: Notification) -> bool:
    """Mark one of ``user``'s own in-app messages read; returns whether it was unread. Someone
    else's message (or a text message) is left alone: callers fetch through
    ``core.selectors.get_message``, which answers 404 first.

    No audit entry: a read receipt is the recipient's own bookkeeping, not a change to the
    association's records, and the row's status already records it (as ``ApiToken.last_used``)."""
    changed = (
        Notification.objects.filter(pk=notification.pk, recipient_id=user.pk, channel=Notification.Channel.INAPP)
        .exclude(status=Notification.Status.READ)
        .update(status=Notification.Status.READ)
    )
    if changed:
        notification.status = Notification.Status.READ
    return bool(changed)


@transaction.atomic
def mark_all_read(*, user: Any) -> int:
    """Mark every unread in-app message of ``user`` read (全部标为已读); returns how many."""
    return (
        Notification.objects.filter(recipient_id=user.pk, channel=Notification.Channel.INAPP)
        .exclude(status=Notification.Status.READ)
        .update(status=Notification.Status.READ)
    )


def ensure_templates(templates: list[tuple[str, str, str, str]]) -> None:
    """Create missing templates ``(code, name, subject, body)``; staff edits are never overwritten."""
    for code, name, subject, body in templates:
        NotificationTemplate.objects.get_or_create(code=code, defaults={"name": name, "subject": subject, "body": body})


def notify_staff(
    *,
    perm: str,
    region: Any,
    subject: str,
    body: str,
    link: str = "",
    related: models.Model | None = None,
    exclude: Any = None,
) -> list[Notification]:
    """An in-app message to every active staff user who holds ``perm`` through a role whose
    scope covers ``region`` (a ``Region``; None: something of the whole city, which only
    whole-city roles cover). ``exclude`` (the actor) is left out: nobody is told of their own act."""
    return [
        send(channel="inapp", recipient=user, subject=subject, body=body, link=link, related=related)
        for user in staff_holding(perm=perm, region=region, exclude=exclude)
    ]


def staff_holding(*, perm: str, region: Any, exclude: Any = None, whole_city: bool = True) -> list[Any]:
    """The active staff users who hold ``perm`` through a role whose scope covers ``region`` (None:
    only whole-city roles cover it), by id. ``whole_city=False`` leaves out the whole-city roles
    (the district's own staff only)."""
    roles = [role for role, perms in role_permissions().items() if perm in perms and role in REGION_ROLES]
    covers = models.Q(region__isnull=True) if whole_city or region is None else models.Q(pk__in=[])
    if region is not None:
        ancestors = [region.path[: i + 1] for i, char in enumerate(region.path) if char == "."]
        covers |= models.Q(region__path__in=ancestors)
    assignments = RoleAssignment.objects.filter(covers, role__in=roles, user__is_active=True)
    if exclude is not None and getattr(exclude, "pk", None):
        assignments = assignments.exclude(user_id=exclude.pk)
    return list({a.user_id: a.user for a in assignments.select_related("user").order_by("user_id")}.values())
