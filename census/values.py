"""Reading one cell the way a clerk meant it: dates, genders, statuses, phones, honours.

Each parser returns the clean value or raises ``CellError(problem, hint)``: what is wrong and how
to fix it, in words a district clerk can act on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.phone import PhoneError, normalize_landline, normalize_mobile
from people.models import HonourTitle, SkillGrade, Trade


class CellError(ValueError):
    def __init__(self, problem: str, hint: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


def nfkc(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def plain_text(value: Any) -> str:
    """Free text (employer, address): stray spaces trimmed and runs of spaces collapsed; Chinese
    punctuation kept as written."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[\s\u3000]+", " ", str(value)).strip()


def shown(value: Any) -> str:
    """A cell value as the clerk sees it, for messages."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6G}" if abs(value) >= 1e15 else (str(int(value)) if value.is_integer() else str(value))
    text = str(value)
    return text if len(text) <= 60 else text[:60] + "…"


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int
    day: int | None  # None: a year-month (the ID number gives the day)
    month_ambiguous: bool = False  # 1965.1 may be January or October (Excel drops the trailing 0)

    def matches(self, date: dt.date) -> bool:
        if self.year != date.year:
            return False
        if date.month != self.month and not (self.month_ambiguous and date.month == 10):
            return False
        return self.day is None or self.day == date.day


_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT_YM = re.compile(r"^(\d{4})(\d{2})$")


def parse_date(value: Any, *, today: dt.date | None = None) -> PartialDate:
    today = today or dt.date.today()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        result = PartialDate(value.year, value.month, value.day)
    else:
        ambiguous = isinstance(value, float) and not value.is_integer() and re.fullmatch(r"\d{4}\.1", str(value))
        text = nfkc(value)
        text = re.sub(r"\s+0{1,2}:0{1,2}(:0{1,2})?$", "", text)
        if m := _FULL.match(text) or _COMPACT.match(text):
            y, mo, d = (int(g) for g in m.groups())
            try:
                dt.date(y, mo, d)
            except ValueError as exc:
                raise CellError(f"日期“{text}”不存在", "请核对年月日，例如 1965-03-12") from exc
            result = PartialDate(y, mo, d)
        elif m := _YEAR_MONTH.match(text) or _COMPACT_YM.match(text):
            y, mo = int(m.group(1)), int(m.group(2))
            if not 1 <= mo <= 12:
                raise CellError(f"日期“{text}”的月份不存在", "月份应在1到12之间，例如 1965.3 或 1965-03-12")
            result = PartialDate(y, mo, None, month_ambiguous=bool(ambiguous))
        else:
            raise CellError(
                f"无法识别的日期“{text}”", "请写成 1965-03-12、1965年3月12日、19650312 或 1965.3（只写年月也可以）"
            )
    if result.year < 1900 or dt.date(result.year, result.month, result.day or 1) > today:
        raise CellError("日期不合理（早于1900年或晚于今天）", "请核对年份")
    return result


GENDERS = {
    "男": "M",
    "男性": "M",
    "M": "M",
    "MALE": "M",
    "女": "F",
    "女性": "F",
    "F": "F",
    "FEMALE": "F",
}


def parse_gender(value: Any) -> str:
    text = nfkc(value).upper()
    if text in GENDERS:
        return GENDERS[text]
    raise CellError(f"无法识别的性别“{shown(value)}”", "请填写“男”或“女”（也可以留空，由身份证号识别）")


STATUSES = {
    "在职": "working",
    "在岗": "working",
    "工作": "working",
    "WORKING": "working",
    "退休": "retired",
    "已退休": "retired",
    "离休": "retired",
    "离退休": "retired",
    "RETIRED": "retired",
    "已故": "deceased",
    "去世": "deceased",
    "已去世": "deceased",
    "逝世": "deceased",
    "已逝世": "deceased",
    "死亡": "deceased",
    "DECEASED": "deceased",
    "迁出": "moved_away",
    "已迁出": "moved_away",
    "MOVED_AWAY": "moved_away",
}


def parse_status(value: Any) -> str:
    text = re.sub(r"\s", "", nfkc(value)).upper()
    if text in STATUSES:
        return STATUSES[text]
    raise CellError(f"无法识别的状态“{shown(value)}”", "请填写 在职、退休、去世 或 迁出 之一")


def parse_phone(value: Any) -> tuple[str, str]:
    """(mobile, landline): a 联系电话 column may hold either."""
    try:
        return normalize_mobile(nfkc(value)), ""
    except PhoneError as mobile_error:
        digits = re.sub(r"\D", "", nfkc(value))
        if digits.startswith("0") and 10 <= len(digits) <= 12:
            try:
                return "", normalize_landline(value)
            except PhoneError:
                pass
        raise CellError(mobile_error.message, "手机号是以1开头的11位数字，可带 +86、空格或短横线") from mobile_error


def parse_landline(value: Any) -> str:
    try:
        return normalize_landline(nfkc(value))
    except PhoneError as exc:
        raise CellError(exc.message, exc.hint) from exc


@dataclass(frozen=True)
class TitleInfo:
    id: int
    name: str
    level: str
    for_collectives: bool


class HonourCatalogue:
    """Honour titles by name and alias (spaces and bracket widths ignored)."""

    def __init__(self, titles: list[TitleInfo], aliases: dict[str, int]) -> None:
        self.by_id = {t.id: t for t in titles}
        self.lookup = {_key(t.name): t.id for t in titles} | {_key(a): i for a, i in aliases.items()}
        self.names = [t.name for t in titles if not t.for_collectives]

    @classmethod
    def load(cls) -> HonourCatalogue:

        titles, aliases = [], {}
        for t in HonourTitle.objects.filter(active=True):
            titles.append(TitleInfo(t.pk, t.name, t.effective_level, t.for_collectives))
            for alias in re.split(r"[,，、]", t.aliases):
                if alias.strip():
                    aliases[alias.strip()] = t.pk
        return cls(titles, aliases)

    def find(self, text: str) -> TitleInfo:
        title_id = self.lookup.get(_key(text))
        if title_id is None:
            near = difflib.get_close_matches(text, self.names, n=1, cutoff=0.3)
            hint = f"是不是“{near[0]}”？" if near else "请使用荣誉称号目录中的名称"
            raise CellError(f"荣誉称号“{text}”不在目录中", hint + "（可在模板的“填写说明”页查看全部称号）")
        return self.by_id[title_id]


def _key(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


_HONOUR_SPLIT = re.compile(r"[;；、,，\n]+")
_TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*[(\[]?\s*(?P<year>(?:19|20)\d{2})\s*年?\s*[)\]]?$")
_YEAR_TITLE = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*年?\s*(?P<title>.+)$")


def parse_honours(value: Any, catalogue: HonourCatalogue, *, today: dt.date | None = None) -> list[tuple[int, int]]:
    """全国劳动模范（2015）；浙江省劳动模范（2010） → [(title id, 2015), (title id, 2010)]."""
    today = today or dt.date.today()
    result: list[tuple[int, int]] = []
    for part in _HONOUR_SPLIT.split(nfkc(value)):
        part = part.strip()
        if not part:
            continue
        m = _TITLE_YEAR.match(part) or _YEAR_TITLE.match(part)
        if not m:
            raise CellError(
                f"荣誉“{part}”没有写获得年份", "请在称号后用括号写上年份，如 浙江省劳动模范（2010）；多个荣誉用分号隔开"
            )
        title = catalogue.find(m.group("title").strip(" ()[]"))
        year = int(m.group("year"))
        if title.for_collectives:
            raise CellError(f"“{title.name}”授予集体，不能授予个人", "个人荣誉请填写个人称号")
        if not 1950 <= year <= today.year:
            raise CellError(f"荣誉年份 {year} 不合理", f"年份应在1950到{today.year}之间")
        if (title.id, year) not in result:
            result.append((title.id, year))
    return result


def mask_refused_id(value: Any, code: str, problem: str) -> tuple[str, str]:
    """A refused ID number as the import report shows it: every digit masked except the part
    that is wrong (the check digit, the birth date digits), so the clerk sees what to fix and the
    report keeps no full number. Separators and illegal characters stay visible. Returns the
    value and ``problem`` with the number masked in it too (the scientific-notation message
    quotes it)."""
    text = shown(value)
    significant = sum(1 for ch in text if ch.isdigit() or ch in "Xx")
    keep: set[int] = set()
    if code == "check":
        keep = {significant - 1}
    elif code == "date":
        keep = set(range(6, 12)) if significant == 15 else set(range(6, 14))
    exponent = ""
    if code == "numeric":
        # 3.30212E+17: the mantissa's first digits are the area code; the rest is masked.
        keep = set(range(4))
        found = re.search(r"[eE]", text)
        if found:
            text, exponent = text[: found.start()], text[found.start() :]
    out = []
    index = 0
    for ch in text:
        if ch.isdigit() or ch in "Xx":
            out.append(ch if index in keep else "*")
            index += 1
        else:
            out.append(ch)
    masked = "".join(out) + exponent
    original = text + exponent
    return masked, problem.replace(original, masked) if original else problem


# Skill grades as clerks write them: the names, the national vocational levels (一级 is the
# highest), and the old 特级/首席 titles. Keys are compared without spaces, half-width.
GRADES = {
    "初级工": "5",
    "初级": "5",
    "五级": "5",
    "五级/初级工": "5",
    "中级工": "4",
    "中级": "4",
    "四级": "4",
    "四级/中级工": "4",
    "高级工": "3",
    "高级": "3",
    "三级": "3",
    "三级/高级工": "3",
    "技师": "2",
    "二级": "2",
    "二级/技师": "2",
    "高级技师": "1",
    "一级": "1",
    "一级/高级技师": "1",
    "特级技师": "0",
    "首席技师": "0",
    "特级技师/首席技师": "0",
}


def parse_grade(value: Any) -> str:
    """A skill grade (技能等级) → a ``people.models.SkillGrade`` value."""
    text = re.sub(r"\s", "", nfkc(value))
    if text in GRADES:
        return GRADES[text]
    raise CellError(
        f"无法识别的技能等级“{shown(value)}”", "请填写 初级工、中级工、高级工、技师、高级技师 或 特级技师/首席技师"
    )


@dataclass(frozen=True)
class TradeCatalogue:
    """Trades (工种) by name and code, spaces and bracket widths ignored."""

    lookup: dict[str, int]
    names: list[str]
    by_id: dict[int, str]

    @classmethod
    def load(cls) -> TradeCatalogue:

        lookup: dict[str, int] = {}
        by_id: dict[int, str] = {}
        for pk, code, name in Trade.objects.values_list("pk", "code", "name"):
            lookup[_key(name)] = pk
            lookup[_key(code)] = pk
            by_id[pk] = name
        return cls(lookup, list(by_id.values()), by_id)

    def describe(self, skills: Iterable[tuple[int, str, str]]) -> str:
        """焊工 高级技师：氩弧焊；电工 — as the preview and the proposals show skills."""
        return "；".join(
            " ".join(x for x in (self.by_id[t], str(SkillGrade(g).label) if g else "") if x) + (f"：{sp}" if sp else "")
            for t, g, sp in skills
        )

    def find(self, text: str) -> int:
        found = self.lookup.get(_key(text))
        if found is None:
            near = difflib.get_close_matches(text, self.names, n=1, cutoff=0.3)
            hint = f"是不是“{near[0]}”？" if near else "请使用工种目录中的名称"
            raise CellError(
                f"工种“{text}”不在工种目录中", hint + "；格式如 焊工（高级技师）：氩弧焊、管道焊接，多个工种用分号隔开"
            )
        return found


_SKILL_SPLIT = re.compile(r"[;；\n]+")
_TRADE_GRADE = re.compile(r"^(?P<trade>.+?)\s*\((?P<grade>[^()]*)\)$")


def parse_skills(value: Any, catalogue: TradeCatalogue) -> list[tuple[int, str, str]]:
    """焊工（高级技师）：氩弧焊、管道焊接；电工 → [(trade id, grade, specialties), ...]: the grade
    in brackets and the specialties after a colon are both optional."""
    result: list[tuple[int, str, str]] = []
    for part in _SKILL_SPLIT.split(nfkc(value)):
        head, _colon, specialties = part.partition(":")
        head = head.strip()
        if not head:
            if specialties.strip():
                raise CellError("专业特长前没有写工种", "格式如 焊工（高级技师）：氩弧焊、管道焊接")
            continue
        grade = ""
        if _key(head) not in catalogue.lookup and (m := _TRADE_GRADE.match(head)):
            head, grade = m.group("trade"), parse_grade(m.group("grade"))
        trade = catalogue.find(head)
        specialties = plain_text(specialties)
        if len(specialties) > 300:
            raise CellError("专业特长超过300字", "请精简内容")
        if trade in {t for t, _g, _s in result}:
            raise CellError(f"工种“{head}”写了两次", "同一工种只写一次")
        result.append((trade, grade, specialties))
    return result
