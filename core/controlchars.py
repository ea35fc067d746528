"""Control characters (C0, DEL, C1) and lone surrogates in text people type or send.

They are invisible on screen, mean nothing in a name or a note, and break what is written from
the record later (an .xlsx refuses them, PostgreSQL refuses a lone surrogate and NUL). Input
refuses them everywhere: forms (``core.forms.CleanTextMixin``), the API (``core.api_input``) and
spreadsheets read in (``core.sheetreader``). Writers strip them anyway
(``core.spreadsheets.cell_value``), for what was stored before.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop

# Tab, line feed and carriage return are allowed in multi-line text (a note, a description).
_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

REFUSAL = gettext_noop("含有不可见的控制字符（%(code)s），请删除后重新填写")


def first_control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character ``text`` may not hold, or None."""
    match = (_MULTI_LINE if multiline else _SINGLE_LINE).search(text)
    return match.group() if match else None


def code_of(char: str) -> str:
    """``U+0001``: how a clerk can find the character in an editor."""
    return f"U+{ord(char):04X}"


def refusal(char: str) -> str:
    return gettext(REFUSAL) % {"code": code_of(char)}


def strip_control_characters(text: str) -> str:
    """``text`` without what may not be written out; tab and line breaks stay."""
    return _MULTI_LINE.sub("", text)
