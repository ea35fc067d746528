"""One-time codes by text message, for people who have no password: technical help's requesters,
model workers signing in on their phone, petitioners following their case. A code is six digits,
valid CODE_MINUTES, used once, with a few attempts; only its keyed hash is stored and the text
message is kept and logged with the code masked. Limits per number and per client address hold
under concurrency (lock rows)."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import notify
from core.crypto import keyed_hash
from core.errors import DomainError
from core.models import PhoneCode, PhoneCodeSendLock
from core.phone import PhoneError, normalize_mobile

CODE_MINUTES = 10
CODE_MAX_ATTEMPTS = 5
CODE_MIN_INTERVAL_SECONDS = 60
CODE_MAX_PER_HOUR = 5
CODE_MAX_PER_IP_HOUR = 20

TEMPLATES = [
    (
        "core.phone_code",
        "短信验证码",
        "",
        "【劳模工匠服务】您的验证码是{{ code }}，{{ minutes }}分钟内有效，请勿告诉他人。",
    ),
]


def _code_hash(mobile: str, purpose: str, code: str) -> str:
    return keyed_hash(f"otp:{purpose}:{mobile}:{code}")


def _lock_code_limits(*, mobile: str, ip: str | None) -> None:
    """Take the number's and the address's lock rows (created on first use, always in the same
    order, so two requests never wait on each other crosswise) until the transaction ends."""
    keys = sorted({f"mobile:{mobile}", *([f"ip:{ip}"] if ip else [])})
    PhoneCodeSendLock.objects.bulk_create([PhoneCodeSendLock(key=k) for k in keys], ignore_conflicts=True)
    list(PhoneCodeSendLock.objects.select_for_update().filter(key__in=keys).order_by("key"))


@transaction.atomic
def send_phone_code(*, mobile: str, purpose: str, ip: str | None = None) -> PhoneCode:
    """Send a 6-digit code by text message. At most one a minute and five an hour per number,
    twenty an hour per address, however many requests arrive at once (lock rows per number and
    address); only the keyed hash is stored, and the message is kept and logged with it masked."""
    try:
        mobile = normalize_mobile(mobile)
    except PhoneError as exc:
        raise DomainError(exc.problem(), field="mobile") from exc
    _lock_code_limits(mobile=mobile, ip=ip)
    now = timezone.now()
    recent = PhoneCode.objects.filter(mobile=mobile, created__gte=now - timedelta(hours=1))
    last = recent.order_by("-created").first()
    if last and (now - last.created).total_seconds() < CODE_MIN_INTERVAL_SECONDS:
        wait = CODE_MIN_INTERVAL_SECONDS - int((now - last.created).total_seconds())
        raise DomainError(_("验证码已发送，请%(seconds)s秒后再试") % {"seconds": wait}, field="mobile")
    if recent.count() >= CODE_MAX_PER_HOUR:
        raise DomainError(_("该手机号获取验证码过于频繁，请一小时后再试"), field="mobile")
    if ip and PhoneCode.objects.filter(ip=ip, created__gte=now - timedelta(hours=1)).count() >= CODE_MAX_PER_IP_HOUR:
        raise DomainError(_("获取验证码过于频繁，请稍后再试"), field="mobile")
    code = f"{secrets.randbelow(10**6):06d}"
    record = PhoneCode.objects.create(
        mobile=mobile,
        purpose=purpose,
        code_hash=_code_hash(mobile, purpose, code),
        ip=ip,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    notify.send(
        channel="sms",
        address=mobile,
        template_code="core.phone_code",
        context={"minutes": CODE_MINUTES},
        secret_context={"code": code},  # stored and logged masked: the code lives only as a hash
        related=record,
    )
    return record


def verify_phone_code(*, mobile: str, purpose: str, code: str) -> str:
    """Check the latest code for this number; return the normalised number or raise. A wrong
    attempt is counted even though the caller sees an error (the count commits first)."""
    try:
        mobile = normalize_mobile(mobile)
    except PhoneError as exc:
        raise DomainError(exc.problem(), field="mobile") from exc
    with transaction.atomic():
        record = (
            PhoneCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, used_at__isnull=True)
            .order_by("-created", "-id")
            .first()
        )
        now = timezone.now()
        if record is None:
            error = _("请先获取验证码")
        elif record.expires_at < now:
            error = _("验证码已过期，请重新获取")
        elif record.attempts >= CODE_MAX_ATTEMPTS:
            error = _("验证码错误次数过多，请重新获取")
        else:
            record.attempts += 1
            if hmac.compare_digest(record.code_hash, _code_hash(mobile, purpose, (code or "").strip())):
                record.used_at = now
                record.save(update_fields=["attempts", "used_at"])
                return mobile
            record.save(update_fields=["attempts"])
            left = CODE_MAX_ATTEMPTS - record.attempts
            error = _("验证码不正确，还可尝试%(n)s次") % {"n": left} if left else _("验证码错误次数过多，请重新获取")
    raise DomainError(error, field="code")
