"""Pinyin, initials and name pairs: what search is built on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from people import names

COMPOUNDS = sorted((s for s in names.SURNAMES if len(s) > 1), key=len, reverse=True)
SOME_CHARS = "".join(COMPOUNDS) + "王李单曾万亚勇明华秀英俟迟· "


def _split_by_scan(name: str) -> tuple[str, str]:
    """The plain reading of the rule split_surname implements with a set lookup."""
    for compound in COMPOUNDS:
        if name.startswith(compound):
            return compound, name[len(compound) :]
    return name[:1], name[1:]


def test_every_compound_surname_has_two_characters() -> None:
    assert COMPOUNDS and {len(s) for s in COMPOUNDS} == {2}


@given(st.text(alphabet=SOME_CHARS, max_size=6))
def test_split_surname_takes_the_compound_surname_first(name: str) -> None:
    assert names.split_surname(name) == _split_by_scan(name)


@given(st.text(alphabet=SOME_CHARS, max_size=6))
def test_search_keys_are_the_three_keys_read_once(name: str) -> None:
    assert names.search_keys(name) == (names.name_pinyin(name), names.name_initials(name), names.name_pairs(name))


def test_known_names() -> None:
    assert names.search_keys("欧阳明华") == ("ouyangminghua", "oymh", {"欧阳", "欧明", "欧华", "阳明", "阳华", "明华"})
    assert names.search_keys(" 单 秀英")[:2] == ("shanxiuying", "sxy")
