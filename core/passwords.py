from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, symbols (等保 strong passwords)."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if classes < 3:
            raise ValidationError(_("密码须包含大写字母、小写字母、数字、符号中的至少三类"), code="password_classes")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with a Chinese message: Django 5.2's Simplified Chinese catalogue lacks the
    reworded "This password is too short…" and people saw it in English."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要%(min_length)d位") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要%(min_length)d位") % {"min_length": self.min_length}
