"""The registry import: forgiving about how a spreadsheet is written, strict about what it says.

``validate_file`` reads the whole file (streamed, in chunks) and returns a ``Validation``: either
refusals (nothing may be written) or a plan of who is created, updated or unchanged, with the
field-by-field differences. ``census.services.commit_import`` writes a clean plan in one
transaction; ``census.services.import_file`` checks and writes in one pass (each checked chunk
handed to ``on_chunk``), rolling everything back if any row is refused. People are matched on the
keyed hash of their ID number.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from core.idnumber import IdNumberError, parse_id_number
from core.masking import mask_id_number
from core.models import Actor, Region, RegionKind
from core.scope import scope_for
from core.selectors import city_prefix_pattern
from core.sheetreader import (
    MAX_CELL_CHARS,
    SheetError,
    is_blank,
    is_footer,
    locate_header,
    normalize_header,
    open_sheet,
)
from people import names
from people.bulk import keyed_hasher
from people.models import Honour, Person, PersonStatus, Skill

from .values import (
    CellError,
    HonourCatalogue,
    TradeCatalogue,
    mask_refused_id,
    nfkc,
    parse_date,
    parse_gender,
    parse_grade,
    parse_honours,
    parse_landline,
    parse_phone,
    parse_skills,
    parse_status,
    plain_text,
    shown,
)

CHUNK = 2000
MAX_STORED_ERRORS = 2000
MAX_STORED_DIFFS = 1000

# key: (label in the template and in messages, header variants people write)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("姓名", ("姓名", "名字", "劳模姓名", "人员姓名", "劳模工匠姓名")),
    "id_number": (
        "身份证号",
        ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "身份证", "证件号", "身份证件号码"),
    ),
    "gender": ("性别", ("性别",)),
    "birth_date": ("出生日期", ("出生日期", "出生年月", "出生年月日", "生日")),
    "ethnicity": ("民族", ("民族",)),
    "political_status": ("政治面貌", ("政治面貌",)),
    "education": ("学历", ("学历", "文化程度", "最高学历")),
    "employer": ("工作单位", ("工作单位", "单位", "所在单位", "单位名称", "工作单位名称")),
    "post": ("职务/岗位", ("职务/岗位", "职务", "岗位", "职务岗位", "职务(岗位)", "职务或岗位")),
    "district": (
        "区县(市)",
        ("区县(市)", "区县", "所属区县", "所在区县", "区县市", "所属区县(市)", "所在区县(市)", "地区", "区域"),
    ),
    "street": ("镇街", ("镇街", "镇(街道)", "乡镇(街道)", "街道", "所属镇街", "乡镇街道", "镇街道", "街道(镇)")),
    "status": ("状态", ("状态", "人员状态", "在职状态", "在职/退休", "现状")),
    "mobile": ("手机号", ("手机号", "手机", "手机号码", "联系电话", "联系方式", "移动电话", "电话")),
    "landline": ("固定电话", ("固定电话", "座机", "办公电话", "固话")),
    "address": ("地址", ("地址", "家庭住址", "联系地址", "通讯地址", "现住址", "住址")),
    "honours": (
        "荣誉称号",
        ("荣誉称号", "荣誉", "获得荣誉", "称号", "荣誉称号及年份", "所获荣誉", "荣誉称号(年份)", "获得荣誉(年份)"),
    ),
    "skills": (
        "工种/专业特长",
        (
            "工种/专业特长",
            "工种",
            "工种及专业特长",
            "工种及特长",
            "工种/特长",
            "工种与专长",
            "专业工种",
            "技术工种",
            "职业工种",
            "职业(工种)",
        ),
    ),
    "grade": ("技能等级", ("技能等级", "职业技能等级", "技术等级", "技能鉴定等级")),
    "specialties": ("专业特长", ("专业特长", "专长", "特长", "技能特长", "技术专长", "专业专长", "技术特长")),
    "notes": ("备注", ("备注",)),
}
# Columns a district sheet often has that hold nothing to import: ignored without asking.
NOTHING_TO_IMPORT = frozenset({"序号", "编号", "No", "NO", "no"})

# Header variants beyond the list: full-width or half-width, a qualifier in brackets
# (荣誉称号（授予年份）), separators (职务/岗位), a trailing "及年份". ``header_key`` is what is
# left; it keys both the built-in variants and a district's remembered choices (ColumnMapping).
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|<[^<>]*>|《[^《》]*》")
_SEPARATORS = re.compile(r"[/\\、\-_·.,;|]")
_QUALIFIER = re.compile(r"(?:及|和|与)?(?:授予|获得|取得|获奖)?(?:年份|年度|时间)$")


def header_key(label: Any) -> str:
    text = normalize_header(label)
    text = _SEPARATORS.sub("", _BRACKETED.sub("", text) or re.sub(r"[()\[\]【】〔〕<>《》]", "", text))
    return _QUALIFIER.sub("", text) or text


def _header_keys() -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for key, (_, variants) in COLUMNS.items():
        for v in variants:
            exact[normalize_header(v)] = key
            if loose.setdefault(header_key(v), key) != key:  # held by test_header_keys_are_unambiguous
                raise ValueError(f"header variant {v} is ambiguous")
    return exact, loose


_HEADER_KEYS, _LOOSE_HEADER_KEYS = _header_keys()
# Plain text fields and the model's length limit.
TEXT_FIELDS = {
    "ethnicity": 20,
    "political_status": 20,
    "education": 20,
    "employer": 120,
    "post": 60,
    "address": 200,
    "notes": 2000,
}
FIELD_LABELS = {key: label for key, (label, _) in COLUMNS.items()} | {"region": "所属区域"}


def known_column(label: str) -> str | None:
    """The field a header (as ``normalize_header`` leaves it) names, if we know it."""
    return _HEADER_KEYS.get(label) or _LOOSE_HEADER_KEYS.get(header_key(label))


@dataclass
class RowError:
    row: int  # as Excel shows it (1-based)
    column: str  # the header as written in the file
    value: str
    problem: str
    hint: str
    col: int | None = None  # 0-based column index, for the marked copy

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "problem": self.problem,
            "hint": self.hint,
            "col": self.col,
        }


@dataclass(slots=True)
class Plan:
    """One person the file speaks about, after validation."""

    row: int
    id_number: str
    id_hash: str
    fields: dict[str, Any]
    region_id: int | None
    honours: tuple[tuple[int, int], ...]
    skills: tuple[tuple[int, str, str], ...] = ()  # (trade id, grade, specialties)
    person_id: int | None = None
    kind: str = ""  # created / updated / unchanged
    # field → [before, after] as shown to people (for the preview and the audit log)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    # field → value in the form people.services takes, only fields that change
    updates: dict[str, Any] = field(default_factory=dict)
    new_honours: list[tuple[int, int]] = field(default_factory=list)
    new_skills: list[tuple[int, str, str]] = field(default_factory=list)  # added or changed


@dataclass
class Validation:
    filename: str
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    notices: list[str] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    header_row: int | None = None
    columns: dict[int, str] = field(default_factory=dict)
    # Columns nobody has said what to do with: {"col", "header", "key"}; the import waits for
    # the clerk to map or ignore each (census.services.map_columns).
    unmapped: list[dict[str, Any]] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.error_count > 0

    def counts(self) -> dict[str, int]:
        result = {"created": 0, "updated": 0, "unchanged": 0}
        for p in self.plans:
            result[p.kind] += 1
        return result

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(error)

    def report(self) -> dict[str, Any]:
        diffs = [
            {"row": p.row, "person_id": p.person_id, "name": p.fields.get("name", ""), "changes": p.changes}
            for p in self.plans
            if p.kind == "updated"
        ][:MAX_STORED_DIFFS]
        return {
            "filename": self.filename,
            "refused": self.refused,
            "total_rows": self.total_rows,
            "error_count": self.error_count,
            "errors": [e.as_dict() for e in self.errors],
            "notices": self.notices,
            "counts": self.counts() if not self.refused else {},
            "diffs": diffs,
            "header_row": self.header_row,
            "unmapped": self.unmapped,
            "fields": sorted(set(self.columns.values())),
        }


class Regions:
    """Districts (by name, short name, code, former codes) and streets, loaded once."""

    def __init__(self) -> None:
        self.districts: dict[str, Region] = {}
        self.streets: dict[tuple[int, str], Region] = {}
        self.streets_by_name: dict[str, list[Region]] = {}
        self.by_id: dict[int, Region] = {}
        self.parent_district: dict[int, int] = {}
        self.city_prefix = city_prefix_pattern()
        for r in Region.objects.all():
            self.by_id[r.pk] = r
        for r in self.by_id.values():
            if r.kind in {RegionKind.DISTRICT, RegionKind.ZONE}:
                keys = {r.name, r.short_name, r.code} | {c.strip() for c in r.former_codes.split(",")}
                for key in keys:
                    if key:
                        self.districts[_region_key(key)] = r
        for r in self.by_id.values():
            district = self._district_of(r)
            if district is not None:
                self.parent_district[r.pk] = district.pk
                if r.kind == RegionKind.STREET:
                    for key in {r.name, r.short_name, _strip_suffix(r.name)}:
                        if key:
                            self.streets[(district.pk, _region_key(key))] = r
                            self.streets_by_name.setdefault(_region_key(key), []).append(r)

    def _district_of(self, region: Region) -> Region | None:
        node: Region | None = region
        while node is not None and node.kind not in {RegionKind.DISTRICT, RegionKind.ZONE}:
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return node

    def district(self, text: str) -> Region:
        key = _region_key(re.sub(self.city_prefix, "", nfkc(text)))
        found = self.districts.get(key) or self.districts.get(_strip_suffix(key))
        if found is None:
            names_ = sorted({r.short_name or r.name for r in self.districts.values()})
            near = difflib.get_close_matches(key, [r.name for r in self.districts.values()], n=1, cutoff=0.3)
            hint = f"是不是“{near[0]}”？" if near else ""
            raise CellError(f"区县“{text}”不存在", hint + "可填写：" + "、".join(names_))
        return found

    def street(self, text: str, district: Region | None) -> Region:
        key = _region_key(nfkc(text))
        if district is not None:
            found = self.streets.get((district.pk, key)) or self.streets.get((district.pk, _strip_suffix(key)))
            if found is None:
                known = sorted({r.name for (d, _), r in self.streets.items() if d == district.pk})
                raise CellError(
                    f"{district.name}没有名为“{text}”的镇街",
                    ("本区县已登记的镇街：" + "、".join(known) + "。" if known else "")
                    + "请核对名称，或请协会在区域管理中添加后再导入；也可以留空",
                )
            return found
        candidates = self.streets_by_name.get(key) or self.streets_by_name.get(_strip_suffix(key)) or []
        if len(candidates) != 1:
            raise CellError(f"无法确定镇街“{text}”属于哪个区县", "请同时填写“区县(市)”列")
        return candidates[0]


def _region_key(text: str) -> str:
    return re.sub(r"\s", "", text)


def _strip_suffix(text: str) -> str:
    return re.sub(r"(区|县|市|街道|镇|乡)$", "", text)


@dataclass
class Context:
    actor: Actor
    regions: Regions
    honours: HonourCatalogue
    trades: TradeCatalogue
    allowed_districts: set[int] | None  # None: everywhere
    campaign_districts: set[int] | None  # None: no campaign or city-wide
    today: dt.date
    # Held around each registry lookup: while an import writes as it checks, the writer thread
    # holds it around each COPY, and one connection serves one statement at a time.
    db_lock: AbstractContextManager[Any] = field(default_factory=nullcontext)


def build_context(actor: Actor, campaign: Any = None) -> Context:
    regions = Regions()
    allowed: set[int] | None = None
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and not scope.everything:
        allowed = {
            pk
            for pk, r in regions.by_id.items()
            if r.kind in {RegionKind.DISTRICT, RegionKind.ZONE} and r.path.startswith(scope.region_paths or ("\0",))
        }
    campaign_districts = None
    if campaign is not None and not campaign.city_wide:
        campaign_districts = set(campaign.districts.values_list("pk", flat=True))
    return Context(
        actor, regions, HonourCatalogue.load(), TradeCatalogue.load(), allowed, campaign_districts, dt.date.today()
    )


Progress = Callable[[int, int, str], None]
ChunkSink = Callable[[list[Plan]], None]


def validate_file(
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    campaign: Any = None,
    progress: Progress | None = None,
    on_chunk: ChunkSink | None = None,
    db_lock: AbstractContextManager[Any] | None = None,
    mappings: dict[str, str] | None = None,
) -> Validation:
    """Read and check the whole file; nothing is written here. See the module docstring.

    ``mappings``: the clerk's choices for headers we do not know, ``header_key`` → field key
    (``IGNORE``: the column holds nothing to import). A column neither known nor mapped refuses
    the file until the clerk chooses.

    ``on_chunk`` receives each chunk of checked plans (matched against the registry) as long as
    no row so far has been refused: ``census.services.import_file`` writes them while the next
    chunk is being checked. ``db_lock`` is held around each registry lookup."""
    result = Validation(filename=filename)
    try:
        stream = open_sheet(data, filename)
    except SheetError as exc:
        result.add_error(RowError(0, "", "", str(exc), ""))
        return result
    ctx = build_context(actor, campaign)
    if db_lock is not None:
        ctx.db_lock = db_lock
    try:
        _validate_stream(stream.rows, stream.total_rows, result, ctx, progress, on_chunk, mappings or {})
    except SheetError as exc:
        result.add_error(RowError(0, "", "", str(exc), ""))
    if not result.plans and not result.refused:
        result.add_error(RowError(0, "", "", "表格中没有任何人员数据", "请在表头下方逐行填写人员信息"))
    return result


def _validate_stream(
    rows: Iterator[tuple[int, list[Any]]],
    total: int,
    result: Validation,
    ctx: Context,
    progress: Progress | None,
    on_chunk: ChunkSink | None = None,
    mappings: dict[str, str] | None = None,
) -> None:
    mappings = mappings or {}
    head: list[tuple[int, list[Any]]] = []
    for item in rows:
        head.append(item)
        if len(head) >= 30:
            break

    def known(label: str) -> str | None:
        return known_column(label) or mappings.get(header_key(label)) or None

    header = locate_header(head, known, required=("name", "id_number"))
    if header is None:
        result.add_error(
            RowError(
                0,
                "",
                "",
                "找不到表头：表格中必须有“姓名”和“身份证号”两列",
                "请使用协会的导入模板，或在数据上方加一行表头（姓名、身份证号、区县(市)……）",
            )
        )
        return
    result.header_row = header.index + 1
    result.columns = header.columns
    _check_unknown_columns(next(row for i, row in head if i == header.index), header.columns, mappings, result)
    labels = header.labels

    def remaining() -> Iterator[tuple[int, list[Any]]]:
        for item in head:
            if item[0] > header.index:
                yield item
        yield from rows

    seen: dict[str, Plan] = {}
    chunk: list[Plan] = []
    footers = blanks = duplicates = 0
    parser = _RowParser(header.columns, labels, result, ctx)
    parse = parser.parse
    for index, row in remaining():
        if is_blank(row):
            blanks += 1
            continue
        if is_footer(row):
            footers += 1
            continue
        result.total_rows += 1
        plan = parse(index + 1, row)
        if plan is None:
            continue
        first = seen.get(plan.id_hash)
        if first is not None:
            if _facts(first) == _facts(plan):
                duplicates += 1
                continue
            col = _col_of(header.columns, "id_number")
            result.add_error(
                RowError(
                    plan.row,
                    labels.get(col, "身份证号") if col is not None else "身份证号",
                    mask_id_number(plan.id_number),
                    f"同一身份证号在第 {first.row} 行已出现，但两行内容不同",
                    "同一个人只保留一行；请核对两行，删去错误的一行",
                    col,
                )
            )
            continue
        seen[plan.id_hash] = plan
        chunk.append(plan)
        if len(chunk) >= CHUNK:
            _resolve(chunk, result, ctx, labels, header.columns)
            if on_chunk is not None and not result.refused:
                on_chunk(chunk)
            chunk = []
            if progress:
                progress(result.total_rows, total, "校验中" if on_chunk is None else "校验并写入中")
    if chunk:
        _resolve(chunk, result, ctx, labels, header.columns)
        if on_chunk is not None and not result.refused:
            on_chunk(chunk)
    if footers:
        result.notices.append(f"已跳过 {footers} 行表尾（合计、填表人、审核人等）")
    if duplicates:
        result.notices.append(f"有 {duplicates} 行与前面的行完全相同，已按一行处理")


IGNORE = ""  # a ColumnMapping's field for a column that holds nothing to import


def _check_unknown_columns(
    cells: list[Any], columns: dict[int, str], mappings: dict[str, str], result: Validation
) -> None:
    """Every header cell that is not an imported column must be one that holds nothing to
    import (序号), one the district chose to ignore, or a repeat of a column already read;
    any other refuses the file, to be mapped or ignored by the clerk, never dropped silently."""
    auto, chosen, repeated = [], [], []
    for col, value in enumerate(cells):
        label = str(value).strip() if value is not None else ""
        if col in columns or not normalize_header(value):
            continue
        key = header_key(value)
        if normalize_header(value) in NOTHING_TO_IMPORT or key in NOTHING_TO_IMPORT:
            auto.append(label)
        elif key in mappings and mappings[key] == IGNORE:
            chosen.append(label)
        elif known_column(normalize_header(value)) or mappings.get(key):
            repeated.append(label)
        else:
            result.unmapped.append({"col": col, "header": label, "key": key})
            result.add_error(
                RowError(
                    0,
                    label,
                    "",
                    f"无法识别“{label}”列，不知道应导入到哪个字段",
                    "请在本页上方为这一列选择对应的字段，或选择“忽略此列”；您的选择会被记住，本区县以后上传时自动使用",
                    col,
                )
            )
    if auto:
        result.notices.append("以下列无需导入，已忽略：" + "、".join(auto))
    if chosen:
        result.notices.append("以下列已按本区县的设置忽略：" + "、".join(chosen))
    if repeated:
        result.notices.append("以下列与前面的列重复，已忽略：" + "、".join(repeated))
    for col, key in columns.items():
        label = str(cells[col]).strip()
        if not known_column(normalize_header(cells[col])):
            result.notices.append(f"“{label}”列已按本区县的设置作为“{COLUMNS[key][0]}”导入")


def _facts(plan: Plan) -> tuple[Any, ...]:
    """What two rows of one ID must agree on to count as the same row written twice."""
    return (plan.fields, plan.region_id, sorted(plan.honours), sorted(plan.skills))


def _col_of(columns: dict[int, str], key: str) -> int | None:
    for c, k in columns.items():
        if k == key:
            return c
    return None


class _Memo(dict[str, Any]):
    """One column's parser with its answers kept by cell text: district sheets repeat districts,
    employers, posts, titles, statuses and dates thousands of times. The answer is the parsed
    value or the ``CellError`` it raised (returned, not raised). Non-text cells are not kept
    (1, 1.0 and True are equal keys but not the same cell).

    A dict whose ``__missing__`` parses: a repeated text is one dict lookup."""

    __slots__ = ("fn",)

    LIMIT = 50_000

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        self.fn = fn

    def answer(self, value: Any) -> Any:
        try:
            return self.fn(value)
        except CellError as exc:
            return exc

    def __missing__(self, text: str) -> Any:
        result = self.answer(text)
        if len(self) >= self.LIMIT:
            self.clear()
        self[text] = result
        return result

    def __call__(self, value: Any) -> Any:
        return self[value] if type(value) is str else self.answer(value)


_MISSING = object()
_SKILL_KEYS = frozenset({"skills", "grade", "specialties"})
_DIGIT = re.compile(r"\d")


def _clean_name(value: Any) -> str:
    name = names.clean_name(nfkc(value))
    if len(name) > 40:
        raise CellError("姓名超过40字", "请只填写姓名")
    if _DIGIT.search(name):
        raise CellError("姓名中含有数字", "请核对是否把其他列的内容填到了姓名列")
    return name


def _text_parser(key: str, limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = plain_text(value)
        if key == "ethnicity" and len(text) == 1:
            text += "族"
        if len(text) > limit:
            raise CellError(f"内容超过{limit}字", "请精简内容")
        return text

    return parse


class _RowParser:
    """Turns one row into a ``Plan`` (or errors), with every column's parser built once for the
    file. The order of the checks, and so of the errors within a row, is fixed (name, ID, gender,
    birth date, text fields, status, phones, district, street, honours)."""

    def __init__(self, columns: dict[int, str], labels: dict[int, str], result: Validation, ctx: Context) -> None:
        self.columns = list(columns.items())
        self.first_col = {key: col for col, key in reversed(self.columns)}
        self.labels = labels
        self.result = result
        self.ctx = ctx
        self.today = today = ctx.today
        self.name = _Memo(_clean_name)
        self.gender = _Memo(parse_gender)
        self.date = _Memo(lambda v: parse_date(v, today=today))
        # Only the text columns the file has (a missing one would be looked up on every row).
        present = set(columns.values())
        self.texts = [(key, _Memo(_text_parser(key, limit))) for key, limit in TEXT_FIELDS.items() if key in present]
        self.status = _Memo(parse_status)
        self.district = _Memo(lambda v: ctx.regions.district(str(shown(v))))
        self.streets: dict[tuple[int | None, str], Any] = {}
        self.honours = _Memo(lambda v: tuple(parse_honours(v, ctx.honours, today=today)))
        self.skills = _Memo(lambda v: tuple(parse_skills(v, ctx.trades)))
        self.grade = _Memo(parse_grade)
        self.specialties = _Memo(_text_parser("specialties", 300))
        self.hash = keyed_hasher()

    def fail(self, row: int, col: int, value: Any, problem: str, hint: str) -> None:
        self.result.add_error(RowError(row, self.labels.get(col, ""), shown(value), problem, hint, col))

    def _checked(
        self, excel_row: int, cells: dict[str, tuple[int, Any]], key: str, parser: Callable[[Any], Any]
    ) -> Any:
        """The row's ``key`` cell read by ``parser`` (which returns the value or a ``CellError``);
        ``_MISSING`` when the cell is empty or refused (the refusal recorded against the cell)."""
        cell = cells.get(key)
        if cell is None:
            return _MISSING
        col, value = cell
        found = parser(value)
        if isinstance(found, CellError):
            self.fail(excel_row, col, value, found.problem, found.hint)
            return _MISSING
        return found

    def _street(self, value: Any, district: Region | None) -> Any:
        key = (district.pk if district is not None else None, str(shown(value)))
        found = self.streets.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = self.ctx.regions.street(key[1], district)
            except CellError as exc:
                found = exc
            self.streets[key] = found
        return found

    def parse(self, excel_row: int, row: list[Any]) -> Plan | None:
        cells: dict[str, tuple[int, Any]] = {}
        too_long: set[str] = set()
        errors_before = self.result.error_count
        fail = self.fail
        width = len(row)
        for col, key in self.columns:
            value = row[col] if col < width else None
            # Skipped: None, "" and spaces only; refused: text over MAX_CELL_CHARS. Text (most
            # cells) is tested first; the tests and their order are those of the line below.
            if type(value) is str:
                if not value:
                    continue
                if len(value) > MAX_CELL_CHARS:
                    fail(
                        excel_row,
                        col,
                        value,
                        f"单元格内容过长（{len(value):,} 字）",
                        f"每个单元格最多 {MAX_CELL_CHARS} 字",
                    )
                    too_long.add(key)
                    continue
                if value.isspace():
                    continue
            elif value is None or value == "":
                continue
            cells[key] = (col, value)
        fields: dict[str, Any] = {}
        # Name
        name = self._checked(excel_row, cells, "name", self.name)
        if name is not _MISSING:
            fields["name"] = name
        elif "name" not in cells and "name" not in too_long:
            fail(excel_row, self.first_col.get("name") or 0, "", "姓名为空", "请填写姓名")
        # ID number
        info = None
        cell = cells.get("id_number")
        if cell is not None:
            col, value = cell
            try:
                info = parse_id_number(value, today=self.today)
            except IdNumberError as exc:
                fail(excel_row, col, *mask_refused_id(value, exc.code, exc.message), exc.hint)
        elif "id_number" not in too_long:
            fail(
                excel_row,
                self.first_col.get("id_number") or 0,
                "",
                "身份证号为空",
                "按身份证号识别人员，必须填写18位身份证号",
            )
        # Gender and birth date must agree with the ID number
        cell = cells.get("gender")
        if cell is not None:
            col, value = cell
            gender = self.gender(value)
            if isinstance(gender, CellError):
                fail(excel_row, col, value, gender.problem, gender.hint)
            elif info is not None and gender != info.gender:
                fail(
                    excel_row,
                    col,
                    value,
                    "性别与身份证号不一致",
                    "身份证号第17位奇数为男、偶数为女；请核对性别或身份证号",
                )
        cell = cells.get("birth_date")
        if cell is not None:
            col, value = cell
            date = self.date(value)
            if isinstance(date, CellError):
                fail(excel_row, col, value, date.problem, date.hint)
            elif info is not None and not date.matches(info.birth_date):
                fail(
                    excel_row,
                    col,
                    value,
                    f"出生日期与身份证号中的 {info.birth_date:%Y-%m-%d} 不一致",
                    "请核对出生日期或身份证号（第7至14位）",
                )
        if info is not None:
            fields["gender"] = info.gender
            fields["birth_date"] = info.birth_date
        for key, parser in (*self.texts, ("status", self.status)):
            text = self._checked(excel_row, cells, key, parser)
            if text is not _MISSING:
                fields[key] = text
        cell = cells.get("mobile")
        if cell is not None:
            col, value = cell
            try:
                mobile, landline = parse_phone(value)
                if mobile:
                    fields["mobile"] = mobile
                else:
                    fields["landline"] = landline
            except CellError as exc:
                fail(excel_row, col, value, exc.problem, exc.hint)
        cell = cells.get("landline")
        if cell is not None:
            col, value = cell
            try:
                fields["landline"] = parse_landline(value)
            except CellError as exc:
                fail(excel_row, col, value, exc.problem, exc.hint)
        found = self._checked(excel_row, cells, "district", self.district)
        district = None if found is _MISSING else found
        region_id = district.pk if district is not None else None
        if "street" in cells:
            street = self._checked(excel_row, cells, "street", lambda value: self._street(value, district))
            region_id = region_id if street is _MISSING else street.pk
        found = self._checked(excel_row, cells, "honours", self.honours)
        honours: tuple[tuple[int, int], ...] = () if found is _MISSING else found
        skills = self._skills(excel_row, cells) if _SKILL_KEYS.intersection(cells) else ()
        if info is None or self.result.error_count != errors_before:
            return None
        return Plan(
            row=excel_row,
            id_number=info.number,
            id_hash=self.hash(info.number),
            fields=fields,
            region_id=region_id,
            honours=honours,
            skills=skills,
        )

    def _skills(self, excel_row: int, cells: dict[str, tuple[int, Any]]) -> tuple[tuple[int, str, str], ...]:
        """Trades from the 工种 column; a 技能等级 or 专业特长 column belongs to the row's one trade."""
        skills: tuple[tuple[int, str, str], ...] = ()
        cell = cells.get("skills")
        if cell is not None:
            found = self.skills(cell[1])
            if isinstance(found, CellError):
                self.fail(excel_row, cell[0], cell[1], found.problem, found.hint)
                return ()
            skills = found
        extra: dict[str, str] = {}
        for key, parser in (("grade", self.grade), ("specialties", self.specialties)):
            cell = cells.get(key)
            if cell is None:
                continue
            col, value = cell
            found = parser(value)
            if isinstance(found, CellError):
                self.fail(excel_row, col, value, found.problem, found.hint)
            elif not skills:
                self.fail(
                    excel_row,
                    col,
                    value,
                    f"填写了{COLUMNS[key][0]}，但没有填写工种",
                    "请在“工种/专业特长”列填写工种，如 焊工",
                )
            elif len(skills) > 1:
                self.fail(
                    excel_row,
                    col,
                    value,
                    f"有多个工种，不知道{COLUMNS[key][0]}属于哪一个",
                    "请在“工种/专业特长”列为每个工种分别写明，如 焊工（技师）：氩弧焊；电工（高级工）",
                )
            else:
                extra[key] = found
        if extra and len(skills) == 1:
            trade, grade, specialties = skills[0]
            skills = ((trade, extra.get("grade") or grade, extra.get("specialties") or specialties),)
        return skills


_COMPARED = (
    "name",
    "ethnicity",
    "political_status",
    "education",
    "employer",
    "post",
    "status",
    "mobile",
    "landline",
    "address",
    "notes",
)


def _display(key: str, value: Any) -> Any:
    if key == "status" and value:
        return str(PersonStatus(value).label)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_Known = namedtuple(  # type: ignore[misc]
    "_Known", ["pk", "id_number_hash", "region_id", "district_id", "merged_into_id", *_COMPARED]
)


def _rows_where_in(select: str, column: str, values: list[Any], *, digests: bool = False) -> list[tuple[Any, ...]]:
    """``select`` + ``WHERE column IN values`` as plain tuples: one array parameter on
    PostgreSQL (thousands of placeholders cost more to bind than the query costs to run).
    ``digests``: the values are hex digests, sent as one comma-joined text (psycopg dumps a list
    of strings value by value)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and digests:
            cursor.execute(f"{select} WHERE \"{column}\" = ANY(string_to_array(%s, ','))", [",".join(values)])
        elif connection.vendor == "postgresql":
            cursor.execute(f'{select} WHERE "{column}" = ANY(%s)', [values])
        else:
            marks = ", ".join(["%s"] * len(values))
            cursor.execute(f'{select} WHERE "{column}" IN ({marks})', values)
        return cursor.fetchall()


def _known_people(hashes: list[str]) -> list[Any]:
    """The registry's people with these ID hashes, with the columns an import compares."""
    names_sql = ", ".join(f'"{c}"' for c in ("id", *_Known._fields[1:]))
    rows = _rows_where_in(
        f'SELECT {names_sql} FROM "{Person._meta.db_table}"',  # noqa: S608 - fixed names
        "id_number_hash",
        hashes,
        digests=True,
    )
    return [_Known(*row) for row in rows]


def _resolve(
    chunk: list[Plan], result: Validation, ctx: Context, labels: dict[int, str], columns: dict[int, str]
) -> None:
    """Match the chunk on ID hash, check scope, and work out what changes."""
    held: dict[int, set[tuple[int, int]]] = {}
    skilled: dict[int, dict[int, tuple[str, str]]] = {}
    with ctx.db_lock:
        existing = {p.id_number_hash: p for p in _known_people([c.id_hash for c in chunk])}
        if existing:
            for person_id, title_id, year in _rows_where_in(
                f'SELECT "person_id", "title_id", "year" FROM "{Honour._meta.db_table}"',  # noqa: S608 - fixed
                "person_id",
                [p.pk for p in existing.values()],
            ):
                held.setdefault(person_id, set()).add((title_id, year))
        if existing and any(c.skills for c in chunk):
            for person_id, trade_id, grade, specialties in _rows_where_in(
                f'SELECT "person_id", "trade_id", "grade", "specialties" FROM "{Skill._meta.db_table}"',  # noqa: S608
                "person_id",
                [p.pk for p in existing.values()],
            ):
                skilled.setdefault(person_id, {})[trade_id] = (grade, specialties)
    district_col = _col_of(columns, "district")
    id_col = _col_of(columns, "id_number")
    for plan in chunk:
        person = existing.get(plan.id_hash)
        target_district = ctx.regions.parent_district.get(plan.region_id) if plan.region_id else None
        if person is None and plan.region_id is None:
            result.add_error(
                RowError(
                    plan.row,
                    labels.get(district_col, "区县(市)") if district_col is not None else "区县(市)",
                    "",
                    "新登记的人员必须填写区县(市)",
                    "请填写所属区县(市)，如 鄞州",
                    district_col,
                )
            )
            continue
        current_district = person.district_id if person is not None else None
        if ctx.allowed_districts is not None:
            outside = [
                d for d in (current_district, target_district) if d is not None and d not in ctx.allowed_districts
            ]
            if outside:
                name = ctx.regions.by_id[outside[0]].name
                result.add_error(
                    RowError(
                        plan.row,
                        labels.get(id_col, "身份证号") if id_col is not None else "身份证号",
                        mask_id_number(plan.id_number),
                        f"该人员属于{name}，不在您的管辖范围内，不能导入或修改",
                        "请删除这一行；跨区县的人员请联系协会或所属区县处理",
                        id_col,
                    )
                )
                continue
        if ctx.campaign_districts is not None:
            d = target_district or current_district
            if d not in ctx.campaign_districts:
                result.add_error(
                    RowError(
                        plan.row,
                        labels.get(district_col, "区县(市)") if district_col is not None else "区县(市)",
                        ctx.regions.by_id[d].name if d else "",
                        "该人员不在本次普查的范围内",
                        "请删除这一行，或改用“人员库导入”",
                        district_col,
                    )
                )
                continue
        if person is not None and person.merged_into_id:
            result.add_error(
                RowError(plan.row, "身份证号", "", "该身份证号对应的记录已被合并", "请联系协会核对", id_col)
            )
            continue
        if person is None:
            plan.kind = "created"
            result.plans.append(plan)
            continue
        plan.person_id = person.pk
        for key in _COMPARED:
            if key in plan.fields and plan.fields[key] != getattr(person, key):
                plan.updates[key] = plan.fields[key]
                plan.changes[FIELD_LABELS[key]] = [_display(key, getattr(person, key)), _display(key, plan.fields[key])]
        if plan.region_id is not None and plan.region_id != person.region_id:
            # A district alone does not move someone out of a street of that same district.
            region = ctx.regions.by_id[plan.region_id]
            same_district = region.kind in {RegionKind.DISTRICT, RegionKind.ZONE} and region.pk == person.district_id
            if not same_district:
                plan.updates["region"] = plan.region_id
                plan.changes[FIELD_LABELS["region"]] = [
                    ctx.regions.by_id[person.region_id].name,
                    region.name,
                ]
        have = held.get(person.pk, set())
        plan.new_honours = [h for h in plan.honours if h not in have]
        if plan.new_honours:
            plan.changes["荣誉称号"] = [
                None,
                "；".join(f"{ctx.honours.by_id[t].name}（{y}）" for t, y in plan.new_honours),
            ]
        plan.new_skills = _skill_changes(plan.skills, skilled.get(person.pk, {}))
        if plan.new_skills:
            plan.changes[FIELD_LABELS["skills"]] = [
                ctx.trades.describe(
                    (t, *skilled[person.pk][t]) for t, _g, _s in plan.new_skills if t in skilled.get(person.pk, {})
                )
                or None,
                ctx.trades.describe(plan.new_skills),
            ]
        plan.kind = "updated" if plan.changes else "unchanged"
        result.plans.append(plan)


def _skill_changes(
    skills: tuple[tuple[int, str, str], ...], held: dict[int, tuple[str, str]]
) -> list[tuple[int, str, str]]:
    """The file's skills that are new to the person or say more than the registry: a grade or
    specialties left blank in the file keep what the registry has."""
    changed = []
    for trade, grade, specialties in skills:
        before = held.get(trade)
        after = (grade or (before[0] if before else ""), specialties or (before[1] if before else ""))
        if before != after:
            changed.append((trade, *after))
    return changed
