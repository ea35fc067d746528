"""TOTP second factor for staff (django-otp). Setup shows the key as text and a QR code (segno)."""

from __future__ import annotations

from typing import Any

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import log_action
from core.models import Actor, LoginEvent


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


@transaction.atomic
def verify_token(request: Any, token: str) -> bool:
    user = request.user
    device = confirmed_device(user) or pending_device(user)
    if not device.verify_token(token):
        LoginEvent.objects.create(username=user.get_username(), user=user, kind=LoginEvent.Kind.OTP_FAILED)
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log_action(user, "security.otp.enrolled", user)
    otp_login(request, device)
    return True


@transaction.atomic
def reset_otp(*, actor: Actor, user: Any) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    log_action(actor, "security.otp.reset", user)
