"""The fast paths the census import leans on give the same answers as the full rules they skip:
the same value, or the same refusal with the same code and message."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from core import idnumber, phone
from core.idnumber import IdNumberError, _check_char_by_weights, check_char, normalize_id_number
from core.phone import PhoneError, normalize_mobile

# Text close to what cells hold: digits (ASCII, full-width and other scripts), X/x, separators,
# signs and letters, so both the fast and the full paths are taken.
CELL_CHARS = st.sampled_from([*"0123456789Xx +-.()'\n\t\u3000\u00a0Ee", "０", "９", "ｘ", "٣", "²", "＋", "A"])
digits17 = st.from_regex(r"[0-9]{17}", fullmatch=True)


def outcome(fn: Any, raw: object) -> tuple[str, ...]:
    try:
        return ("ok", fn(raw))
    except IdNumberError as exc:
        return ("error", exc.code, exc.message, exc.hint)
    except PhoneError as exc:
        return ("error", exc.message, exc.hint)


@given(digits17)
def test_check_char_matches_the_weighted_sum(first17: str) -> None:
    assert check_char(first17) == _check_char_by_weights(first17)


@given(st.text(CELL_CHARS, max_size=20) | digits17)
def test_check_char_refuses_what_the_weighted_sum_refuses(text: str) -> None:
    try:
        expected = _check_char_by_weights(text)
    except ValueError:
        expected = "ValueError"
    try:
        got = check_char(text)
    except ValueError:
        got = "ValueError"
    assert got == expected


@given(st.text(CELL_CHARS, min_size=15, max_size=20) | st.from_regex(r"[0-9]{17}[0-9Xx]\n?", fullmatch=True))
@example("33021219650312001X")
@example("33021219650312001x")
@example("33021219650312001X\n")
@example("٣30212196503120013")
def test_normalize_id_number_fast_path_agrees_with_the_full_path(raw: str) -> None:
    assert outcome(normalize_id_number, raw) == outcome(idnumber._normalize_id_number, raw)


@given(st.text(CELL_CHARS, min_size=9, max_size=16) | st.from_regex(r"(\+86|86)?1[0-9]{10}\n?", fullmatch=True))
@example("13805740001")
@example("13805740001\n")
@example("8613805740001")
@example("١3805740001")
def test_normalize_mobile_fast_path_agrees_with_the_full_path(raw: str) -> None:
    assert outcome(normalize_mobile, raw) == outcome(phone._normalize_mobile, raw)
