"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

18 characters from a 31-character alphabet (digits and capitals without I, O, Z, S, V):
registration authority, organisation kind, 6-digit region code, 9-character organisation code,
and a check character. Position i (0-based) weighs 3**i mod 31; the check value is
31 - (sum mod 31), with 31 read as 0.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
_FULLWIDTH = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)} | {chr(0xFF21 + i): chr(65 + i) for i in range(26)}
)
_SHAPE = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")


class CreditCodeError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(raw: str) -> str:
    """Return the upper-case 18-character code, or raise CreditCodeError saying what is wrong."""
    text = re.sub(r"[\s\-\u3000]", "", (raw or "").translate(_FULLWIDTH)).upper()
    if len(text) != 18:
        raise CreditCodeError(_("统一社会信用代码应为18位，现为%(n)s位") % {"n": len(text)})
    if not _SHAPE.match(text):
        raise CreditCodeError(_("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V；第3–8位是行政区划代码）"))
    if check_character(text[:17]) != text[17]:
        raise CreditCodeError(_("统一社会信用代码校验位不符，请核对是否抄错"))
    return text
