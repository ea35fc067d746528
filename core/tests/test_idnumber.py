"""GB 11643 ID numbers, property-tested: what spreadsheets do to valid numbers is undone, and any
single wrong digit is caught."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.idnumber import IdNumberError, check_char, normalize_id_number, parse_id_number

AREAS = ["330203", "330205", "330206", "330211", "330212", "330213", "330281", "330282", "330225", "330226", "330204"]
FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)} | {"X": "ｘ"}


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(AREAS) | st.from_regex(r"[1-8][0-9]{5}", fullmatch=True))
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)))
    seq = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


@given(id_numbers())
def test_valid_numbers_round_trip(number: str) -> None:
    info = parse_id_number(number)
    assert info.number == number
    assert info.area_code == number[:6]
    assert info.birth_date == dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert info.male is (int(number[16]) % 2 == 1)
    assert info.gender == ("M" if info.male else "F")


@given(id_numbers(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_is_refused(number: str, position: int, data: st.DataObject) -> None:
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(changed)
    assert exc.value.code in {"check", "date"}


@given(id_numbers(), st.data())
def test_full_width_lowercase_and_spaces_normalise(number: str, data: st.DataObject) -> None:
    chars = []
    for c in number:
        if data.draw(st.booleans()):
            c = FULLWIDTH[c]
        elif c == "X" and data.draw(st.booleans()):
            c = "x"
        chars.append(c + data.draw(st.sampled_from(["", "", " ", "\u3000", "-"])))
    messy = data.draw(st.sampled_from(["", " ", "'"])) + "".join(chars) + data.draw(st.sampled_from(["", " \t"]))
    assert normalize_id_number(messy) == number
    assert parse_id_number(messy).number == number


@settings(max_examples=50)
@given(id_numbers())
def test_floats_are_refused_as_numeric(number: str) -> None:
    with pytest.raises(IdNumberError) as exc:
        normalize_id_number(float(number[:17] + ("0" if number[17] == "X" else number[17])))
    assert exc.value.code == "numeric"


@pytest.mark.parametrize("raw", ["3.30203E+17", "3.30212196503120E+17", "3.3e17", "330212196503120013.0"])
def test_scientific_notation_is_refused_as_numeric(raw: str) -> None:
    with pytest.raises(IdNumberError) as exc:
        normalize_id_number(raw)
    assert exc.value.code == "numeric"
    assert exc.value.hint == "请把该列设为“文本”格式后重新填写完整的18位号码"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "missing"),
        ("33021219650312001", "length"),
        ("3302121965031200133", "length"),
        ("33021219650312001A", "chars"),
        ("330212196502300013", "date"),
        ("330212196503120014", "check"),
    ],
)
def test_refusals_carry_a_code(raw: object, code: str) -> None:
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(raw)
    assert exc.value.code == code


def test_fifteen_digit_numbers_are_upgraded() -> None:
    assert normalize_id_number("330212650312001") == "330212196503120013"


def test_known_number_with_x() -> None:
    info = parse_id_number("33020319701123002x")
    assert (info.number, info.birth_date, info.male) == ("33020319701123002X", dt.date(1970, 11, 23), False)
