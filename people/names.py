"""Search keys for Chinese names: full pinyin, initials, and character pairs.

pypinyin reads a surname as an ordinary word (单 → dan, 曾 → ceng); surnames have their own
readings, so the surname is looked up in SURNAMES first. Readings are cached per character:
names repeat characters and pypinyin is the slow part.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Compound surnames first (matched longest first), then single characters whose surname reading
# differs from pypinyin's default.
SURNAMES: dict[str, str] = {
    "欧阳": "ouyang",
    "司马": "sima",
    "上官": "shangguan",
    "诸葛": "zhuge",
    "东方": "dongfang",
    "皇甫": "huangfu",
    "尉迟": "yuchi",
    "公孙": "gongsun",
    "慕容": "murong",
    "长孙": "zhangsun",
    "宇文": "yuwen",
    "司徒": "situ",
    "夏侯": "xiahou",
    "令狐": "linghu",
    "万俟": "moqi",
    "单": "shan",
    "曾": "zeng",
    "区": "ou",
    "解": "xie",
    "仇": "qiu",
    "查": "zha",
    "朴": "piao",
    "盖": "ge",
    "覃": "qin",
    "乐": "yue",
    "缪": "miao",
    "秘": "bi",
    "种": "chong",
    "翟": "zhai",
    "召": "shao",
    "繁": "po",
    "尉": "yu",
    "员": "yun",
    "隗": "wei",
    "句": "gou",
    "宿": "su",
    "能": "nai",
    "都": "du",
    "阚": "kan",
    "褚": "chu",
    "乜": "nie",
    "莘": "shen",
    "眭": "sui",
    "沈": "shen",
    "石": "shi",
    "贾": "jia",
    "曲": "qu",
    "薄": "bo",
    "车": "che",
    "费": "fei",
    "纪": "ji",
    "隽": "juan",
    "厍": "she",
    "折": "she",
    "祭": "zhai",
    "柏": "bai",
    "华": "hua",
    "任": "ren",
    "燕": "yan",
    "应": "ying",
    "藏": "zang",
    "冼": "xian",
    "洗": "xian",
    "相": "xiang",
    "朝": "chao",
    "长": "chang",
    "重": "chong",
    "舍": "she",
    "蕃": "pi",
    "牟": "mou",
    "那": "na",
    "芮": "rui",
    "占": "zhan",
    "粘": "nian",
    "尹": "yin",
    "郇": "huan",
    "过": "guo",
    "谌": "chen",
    "鲜": "xian",
    "逄": "pang",
    "龟": "qiu",
    "黑": "he",
    "万": "wan",
}
_COMPOUND_SET = frozenset(s for s in SURNAMES if len(s) > 1)
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=20000)
def _char_pinyin(char: str) -> str:
    if not _CJK.match(char):
        return char.lower() if char.isalnum() else ""
    return lazy_pinyin(char, style=Style.NORMAL, errors="ignore")[0] if char else ""


def split_surname(name: str) -> tuple[str, str]:
    if name[:2] in _COMPOUND_SET:  # every compound surname has two characters (tested)
        return name[:2], name[2:]
    return name[:1], name[1:]


def name_syllables(name: str) -> list[str]:
    name = clean_name(name)
    surname, given = split_surname(name)
    if surname in SURNAMES:
        head = [SURNAMES[surname]] if len(surname) == 1 else [_surname_part(surname, i) for i in range(len(surname))]
    else:
        head = [_char_pinyin(c) for c in surname]
    return [s for s in head + [_char_pinyin(c) for c in given] if s]


def _surname_part(compound: str, index: int) -> str:
    # Compound surnames: the joined reading is stored; split it by the characters' own readings.
    readings = [_char_pinyin(c) for c in compound]
    joined = SURNAMES[compound]
    if "".join(readings) == joined:
        return readings[index]
    # e.g. 万俟 moqi, 尉迟 yuchi: split the stored reading in halves of the known lengths
    first = {"万俟": "mo", "尉迟": "yu", "长孙": "zhang"}.get(compound, readings[0])
    return first if index == 0 else joined[len(first) :]


def clean_name(name: str) -> str:
    """Names arrive with stray and inner spaces (王 小 明, full-width spaces). Keep a middle dot."""
    return re.sub(r"[\s\u3000]+", "", name or "")


def name_pinyin(name: str) -> str:
    return "".join(name_syllables(name))


def name_initials(name: str) -> str:
    return "".join(s[0] for s in name_syllables(name))


def search_keys(name: str) -> tuple[str, str, set[str]]:
    """``name_pinyin``, ``name_initials`` and ``name_pairs`` of a name, reading it once."""
    syllables = name_syllables(name)
    return "".join(syllables), "".join(s[0] for s in syllables), name_pairs(name)


def name_pairs(name: str) -> set[str]:
    """Every ordered pair of characters (i < j): 万亚勇 → 万亚, 万勇, 亚勇."""
    chars = [c for c in clean_name(name) if c.strip()]
    return {a + b for a, b in itertools.combinations(chars, 2)}
