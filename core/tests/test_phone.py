"""Mobile and landline numbers as people write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.phone import PhoneError, normalize_landline, normalize_mobile

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@given(mobiles, st.data())
def test_prefixes_spaces_and_dashes_normalise(number: str, data: st.DataObject) -> None:
    prefix = data.draw(st.sampled_from(["", "+86", "+86 ", "0086", "86", "+86-", "（+86）"]))
    if prefix == "（+86）":
        prefix = "+86 "
    body = number
    if data.draw(st.booleans()):
        sep = data.draw(st.sampled_from([" ", "-", "\u3000"]))
        body = f"{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"
    if data.draw(st.booleans()):
        body = "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in body)
    assert normalize_mobile(f"{prefix}{body}") == number


@given(mobiles)
def test_numeric_cells_normalise(number: str) -> None:
    assert normalize_mobile(int(number)) == number
    assert normalize_mobile(float(number)) == number


@pytest.mark.parametrize(
    "raw",
    ["1380574000", "12805740001", "138057400012", "+1 13805740001", "abc", "", None, "13٨057400١١", "138០5740001"],
)
def test_invalid_mobiles_are_refused(raw: object) -> None:
    with pytest.raises(PhoneError):
        normalize_mobile(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0574 87654321", "0574-87654321"),
        ("0574-8765-4321", "0574-87654321"),
        ("010-12345678", "010-12345678"),
        ("87654321", "87654321"),
    ],
)
def test_landlines(raw: str, expected: str) -> None:
    assert normalize_landline(raw) == expected


def test_short_landline_is_refused() -> None:
    with pytest.raises(PhoneError):
        normalize_landline("12345")


def test_landline_in_other_digits_is_refused() -> None:
    with pytest.raises(PhoneError):
        normalize_landline("0574-٨٧٦٥٤٣٢١")
