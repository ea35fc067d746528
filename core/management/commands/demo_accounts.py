from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, totp_secret_base32
from core.models import User


class Command(BaseCommand):
    help = "Print the demo accounts, their password and (for staff) the second-factor key and current code."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"\n演示账号 Demo accounts (password / 密码: {DEMO_PASSWORD})\n")
        self.stdout.write(f"{'用户名':<10} {'角色':<24} {'认证器密钥 TOTP key (staff)':<34} 当前口令")
        for username, display, _role, _code in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            key = code = ""
            if device is not None:
                key = totp_secret_base32(device.key)
                code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
            # A model worker signs in on the phone with the mobile of their registry record.
            person = getattr(user, "person", None)
            if not key and person is not None and person.mobile:
                key = f"手机 mobile {person.mobile}"
            self.stdout.write(f"{username:<10} {display:<24} {key:<34} {code}")
        self.stdout.write(
            "\nStaff sign in with a 6-digit code: add the key to any authenticator app, or run\n"
            "  .venv/bin/python manage.py demo_accounts   (prints the current codes)\n"
            "Model workers sign in on the phone page /p/login/ (劳模工匠手机登录) with the mobile number\n"
            "their registry record holds; the demo writes every text message, codes included, to var/sms.log\n"
            "Open http://127.0.0.1:8000/\n"
        )
