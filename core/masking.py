"""How sensitive numbers look wherever they are shown: pages, lists, exports, API answers, logs."""

from __future__ import annotations

import logging
import re


def mask_id_number(number: str) -> str:
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_bank_account(number: str) -> str:
    if not number:
        return ""
    digits = re.sub(r"\s", "", number)
    if len(digits) <= 8:
        return "*" * (len(digits) - 4) + digits[-4:]
    return digits[:4] + " **** **** " + digits[-4:]


def mask_mobile(number: str) -> str:
    if not number or len(number) != 11:
        return number[:3] + "****" if number else ""
    return number[:3] + "****" + number[-4:]


_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])", re.ASCII)
_BANK_RE = re.compile(r"(?<!\d)(\d{4})\d{8,11}(\d{4})(?!\d)", re.ASCII)
_MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)", re.ASCII)


def scrub(text: str) -> str:
    """Mask anything in free text that looks like an ID, bank or mobile number."""
    text = _ID_RE.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], text)
    text = _BANK_RE.sub(lambda m: m.group(1) + " **** **** " + m.group(2), text)
    return _MOBILE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskingLogFilter(logging.Filter):
    """Keeps full numbers out of log lines, whatever code logged them."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not break logging
            return True
        masked = scrub(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
