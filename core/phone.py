"""Mobile and landline numbers as people write them (+86, spaces, dashes, full-width digits)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from core.errors import InputProblem

_FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"＋": "+", "－": "-"})
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only: \d would take ٨ or ໑ too
# A mobile written plainly: 11 ASCII digits, nothing around them (matched in full).
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")


class PhoneError(InputProblem):
    pass


def normalize_mobile(raw: object) -> str:
    """Return the 11-digit mobile number or raise PhoneError."""
    if type(raw) is str and _PLAIN_MOBILE.fullmatch(raw):
        # Most cells: no full-width digits, separators or +86 to remove, and it starts with 1,
        # so the full path would return it unchanged.
        return raw
    return _normalize_mobile(raw)


def _normalize_mobile(raw: object) -> str:
    if raw is None:
        raise PhoneError(gettext_noop("手机号为空"))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).translate(_FULLWIDTH)
    text = re.sub(r"[\s\u3000\-()（）.]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if not _MOBILE.match(text):
        raise PhoneError(gettext_noop("“%(raw)s”不是有效的手机号"), gettext_noop("手机号是以1开头的11位数字"), raw=raw)
    return text


def normalize_landline(raw: object) -> str:
    """Keep digits and one dash between area code and number (0574-87654321)."""
    text = str(raw or "").translate(_FULLWIDTH).strip()
    digits = re.sub(r"[^\d]", "", text)
    if not digits.isascii():  # other scripts' digits (٨, ໑): a number nobody can dial as written
        raise PhoneError(
            gettext_noop("“%(raw)s”不是有效的固定电话"),
            gettext_noop("请用阿拉伯数字 0–9 填写，格式如 0574-87654321"),
            raw=raw,
        )
    if not 7 <= len(digits) <= 12:
        raise PhoneError(gettext_noop("“%(raw)s”不是有效的固定电话"), gettext_noop("格式如 0574-87654321"), raw=raw)
    if digits.startswith("0") and len(digits) >= 10:
        area = 3 if digits[1] in "12" else 4
        return f"{digits[:area]}-{digits[area:]}"
    return digits
