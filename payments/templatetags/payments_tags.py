"""Money as the association writes it: thousands separators, two places, and 人民币大写."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_GROUPS = ["", "万", "亿", "万亿"]


@register.filter
def money(value: Any) -> str:
    if value in (None, ""):
        return "0.00"
    return f"{Decimal(value):,.2f}"


def _group(n: int) -> str:
    out = ""
    zero = False
    for i in range(3, -1, -1):
        d = n // 10**i % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _UNITS[i]
    return out


@register.filter
def rmb_upper(value: Any) -> str:
    """1234.50 → 壹仟贰佰叁拾肆元伍角整."""
    amount = Decimal(value or 0).quantize(Decimal("0.01"))
    fen_total = int(amount * 100)
    yuan, fen = divmod(fen_total, 100)
    jiao, fen = divmod(fen, 10)
    text = ""
    if yuan:
        groups = []
        g = 0
        while yuan:
            yuan, part = divmod(yuan, 10000)
            groups.append((part, g))
            g += 1
        pieces = ""
        need_zero = False
        for part, gi in reversed(groups):
            if part == 0:
                need_zero = bool(pieces)
                continue
            if pieces and (need_zero or part < 1000):
                pieces += "零"
            pieces += _group(part) + _GROUPS[gi]
            need_zero = False
        text = pieces + "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return text


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def cells(row: Any, levels: list[str]) -> Any:
    return row.cells(levels)
