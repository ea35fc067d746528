"""Masking never lets a full ID number or mobile number through free text (log lines, audit
entries, messages)."""

from __future__ import annotations

import logging

from hypothesis import given
from hypothesis import strategies as st

from core.audit import log_action
from core.idnumber import check_char
from core.masking import MaskingLogFilter, mask_bank_account, mask_id_number, mask_mobile, scrub


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    area = draw(st.from_regex(r"[1-8][0-9]{5}", fullmatch=True))
    birth = draw(st.from_regex(r"(19[0-9]{2}|20[01][0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])", fullmatch=True))
    first17 = area + birth + draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    last = check_char(first17)
    return first17 + (last.lower() if last == "X" and draw(st.booleans()) else last)


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
# Text around the numbers: anything but ASCII letters and digits, and never empty between two
# numbers (two numbers written together are one longer token, not a phone or ID number).
# Unicode digits of other scripts (Nd, e.g. "੦") are left out: the masking patterns use ``\d``,
# which counts them as digits, so a number touching one is not recognised (reported).
filler = st.text(alphabet=st.characters(exclude_categories=("Cs", "Nd")), max_size=12).map(
    lambda s: "".join(c for c in s if not (c.isascii() and c.isalnum())) or "，"
)


@given(st.lists(st.tuples(filler, id_numbers() | mobiles), min_size=1, max_size=5), filler)
def test_scrub_never_leaves_a_number(parts: list[tuple[str, str]], tail: str) -> None:
    text = "".join(f + n for f, n in parts) + tail
    out = scrub(text)
    for _, number in parts:
        assert number not in out
        assert number.upper() not in out
        assert number[-4:].upper() in out.upper()


@given(id_numbers())
def test_mask_id_number_shows_first_and_last_four(number: str) -> None:
    assert mask_id_number(number) == number[:4] + "*" * 10 + number[-4:]


@given(mobiles)
def test_mask_mobile(number: str) -> None:
    assert mask_mobile(number) == number[:3] + "****" + number[-4:]


def test_mask_bank_account() -> None:
    assert mask_bank_account("6222 0212 3456 7890 123") == "6222 **** **** 0123"


def test_log_filter_masks_arguments() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "person %s phone %s", ("330212196503120013", "13805740001"), None
    )
    MaskingLogFilter().filter(record)
    assert record.getMessage() == "person 3302**********0013 phone 138****0001"


def test_audit_entries_are_scrubbed(db: None) -> None:
    entry = log_action(
        None, "test.scrub", changes={"note": "身份证330212196503120013，手机13805740001"}, object_repr="13805740001"
    )
    entry.refresh_from_db()
    assert entry.changes == {"note": "身份证3302**********0013，手机138****0001"}
    assert entry.object_repr == "138****0001"
