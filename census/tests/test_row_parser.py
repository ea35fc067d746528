"""The row parser's shortcuts give the answers of the plain code they stand in for."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from census.importer import _Memo
from census.values import CellError, PartialDate
from core.crypto import keyed_hash
from core.sheetreader import is_blank
from people.bulk import keyed_hasher


@given(st.binary(min_size=1, max_size=100), st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_crypto_hasher_is_keyed_hash(key: bytes, values: list[str]) -> None:
    # Keys longer than SHA-256's 64-byte block are hashed first, shorter ones padded: both covered.
    with override_settings(FIELD_HASH_KEY=base64.b64encode(key).decode()):
        keyed = keyed_hasher()
        assert [keyed(v) for v in values] == [keyed_hash(v) for v in values]


def _matches_with_sets(partial: PartialDate, date: dt.date) -> bool:
    """PartialDate.matches as first written."""
    if partial.year != date.year:
        return False
    months = {partial.month, 10} if partial.month_ambiguous else {partial.month}
    if date.month not in months:
        return False
    return partial.day is None or partial.day == date.day


@given(
    st.integers(1999, 2001),
    st.integers(1, 12),
    st.none() | st.integers(1, 31),
    st.booleans(),
    st.dates(dt.date(1999, 1, 1), dt.date(2001, 12, 31)),
)
def test_partial_date_matches_as_before(year: int, month: int, day: int | None, ambiguous: bool, date: dt.date) -> None:
    partial = PartialDate(year, month, day, month_ambiguous=ambiguous)
    assert partial.matches(date) is _matches_with_sets(partial, date)


cells = st.none() | st.text(" \t\u3000\nab", max_size=4) | st.integers() | st.floats(allow_nan=False)


@given(st.lists(cells, max_size=6))
def test_is_blank_as_before(row: list[Any]) -> None:
    assert is_blank(row) is all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def test_memo_keeps_text_answers_and_errors_but_not_other_cells() -> None:
    calls: list[Any] = []

    def parse(value: Any) -> str:
        calls.append(value)
        if value == "bad":
            raise CellError("bad", "hint")
        return f"<{value}>"

    memo = _Memo(parse)
    assert memo("a") == "<a>"
    assert memo["a"] == "<a>"
    error = memo("bad")
    assert isinstance(error, CellError)
    assert memo("bad") is error
    # 1, 1.0 and True are equal dict keys: not kept, parsed each time.
    assert [memo(1), memo(1.0), memo(True)] == ["<1>", "<1.0>", "<True>"]
    assert memo(1) == "<1>"
    assert calls == ["a", "bad", 1, 1.0, True, 1]
    assert set(memo) == {"a", "bad"}


def test_memo_starts_over_at_its_limit() -> None:
    class Small(_Memo):
        LIMIT = 3

    memo = Small(str.upper)
    for text in "abcd":
        memo(text)
    assert dict(memo) == {"d": "D"}
