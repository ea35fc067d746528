"""Reads of the registry shared by pages, the API, exports and reports. All go through the scope rule."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core import crypto
from core.errors import DomainError
from core.masking import mask_mobile
from core.models import AuditEntry
from core.params import parse_id
from core.scope import get_visible_or_404
from people.models import LEVEL_RANK, Collective, Honour, Person, PersonNameToken, PersonStatus, Skill

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"^[a-zA-Z]+$")
_ID_TAIL = re.compile(r"^\d{3}[\dXx]$")
_ID_FULL = re.compile(r"^\d{17}[\dXx]$")
_MOBILE = re.compile(r"^(?:\+?86)?(1\d{10})$")
_LAST4_DIGITS = re.compile(r"^\d{4}$")


def prefix_q(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``. On SQLite written as a range so the index is used
    (Django's ``startswith`` becomes GLOB there, which scans); a range is only right under a
    code-point collation, so PostgreSQL (any collation) keeps LIKE 'p%', served by Django's
    ``varchar_pattern_ops`` index."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})


def search_q(term: str) -> Q:
    """What a search box means: a name (prefix, or any two of its characters), full pinyin or
    initials (prefix), the last four characters of the ID or the mobile number, a full ID (exact,
    through the keyed hash), a full mobile number (exact; "+86" and dashes allowed), or an
    employer (substring)."""
    term = re.sub(r"\s+", "", term)
    if not term:
        return Q()
    if _ID_FULL.match(term):
        return Q(id_number_hash=crypto.keyed_hash(term.upper()))
    mobile = _MOBILE.match(term.replace("-", ""))
    if mobile:
        return Q(mobile=mobile.group(1))
    if _LAST4_DIGITS.match(term):
        # One id set: the ID's last four through its index, the mobile's by a scan of the
        # (short, plain-text) mobile column; a plain OR would scan for both.
        ids = Person.objects.filter(id_last4=term).order_by().values("pk")
        ids = ids.union(Person.objects.filter(mobile__endswith=term).order_by().values("pk"), all=True)
        return Q(pk__in=ids)
    if _ID_TAIL.match(term):
        return Q(id_last4=term.upper())
    if _LATIN.match(term):
        lowered = term.lower()
        q = prefix_q("name_initials", lowered)
        # Two letters are initials (zh would otherwise match every 张, 赵, 周 … by full pinyin).
        if len(lowered) >= 3:
            q |= prefix_q("name_pinyin", lowered)
        return q
    if _CJK.search(term):
        # One id set built from index-driven pieces (a plain OR with a substring match would
        # scan the whole table): name prefix, any two characters, employer (trigram-indexed
        # on PostgreSQL) for terms of three or more characters.
        ids = Person.objects.filter(prefix_q("name", term)).order_by().values("pk")
        if len(term) == 2:
            ids = ids.union(PersonNameToken.objects.filter(token=term).order_by().values("person_id"), all=True)
        if len(term) >= 3:
            ids = ids.union(Person.objects.filter(employer__contains=term).order_by().values("pk"), all=True)
        return Q(pk__in=ids)
    return Q(employer__icontains=term)


@dataclass
class PersonFilters:
    q: str = ""
    district: int | None = None
    region: int | None = None
    level: str = ""
    title: int | None = None
    status: str = ""
    trade: int | None = None
    hardship: bool | None = None
    age_min: int | None = None
    age_max: int | None = None
    gender: str = ""
    sort: str = ""


SORTS = {
    "name": ("name_pinyin", "id"),
    "-name": ("-name_pinyin", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
    "district": ("district__sort", "name_pinyin", "id"),
    "-district": ("-district__sort", "name_pinyin", "id"),
    "level": ("-level_rank", "name_pinyin", "id"),
    "-level": ("level_rank", "name_pinyin", "id"),
    "updated": ("-updated", "-id"),
}


# National first: the codes' alphabetical order means nothing, so sort by rank.
LEVEL_RANK_EXPR = Case(
    *[When(top_level=level, then=Value(rank)) for level, rank in LEVEL_RANK.items()],
    default=Value(0),
    output_field=IntegerField(),
)


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def people_for_user(
    user: Any, filters: PersonFilters | None = None, *, today: dt.date | None = None
) -> QuerySet[Person]:
    """The registry as ``user`` may see it, filtered and sorted; merged duplicates are left out."""
    f = filters or PersonFilters()
    qs = Person.objects.visible_to(user).active()
    if f.q:
        qs = qs.filter(search_q(f.q))
    if f.district:
        qs = qs.filter(district_id=f.district)
    if f.region:
        qs = qs.filter(region_id=f.region)
    if f.level:
        qs = qs.filter(top_level=f.level)
    if f.title:
        qs = qs.filter(Exists(Honour.objects.filter(person=OuterRef("pk"), title_id=f.title, revoked=False)))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.trade:
        qs = qs.filter(Exists(Skill.objects.filter(person=OuterRef("pk"), trade_id=f.trade)))
    if f.hardship is not None:
        qs = qs.filter(hardship=f.hardship)
    if f.gender:
        qs = qs.filter(gender=f.gender)
    today = today or dt.date.today()
    if f.age_min is not None:
        qs = qs.filter(birth_date__lte=_years_ago(today, f.age_min))
    if f.age_max is not None:
        qs = qs.filter(birth_date__gt=_years_ago(today, f.age_max + 1))
    if f.sort in {"level", "-level"}:
        qs = qs.annotate(level_rank=LEVEL_RANK_EXPR)
    if f.q and f.sort in {"", "name", "-name"}:
        # A search matches few rows; walking the whole name_pinyin index in order looking for
        # them (what the planner picks for LIMIT 20) took 150 ms for "zh". Sorting by an
        # expression makes it fetch the matches through their own index and sort those.
        key = Lower("name_pinyin")
        return qs.order_by(key.desc() if f.sort == "-name" else key.asc(), "-id" if f.sort == "-name" else "id")
    return qs.order_by(*SORTS.get(f.sort, SORTS["name"]))


def people_list_page(qs: QuerySet[Person]) -> QuerySet[Person]:
    """What a list row shows, fetched without N+1: district, region and honours in fixed queries."""
    return qs.select_related("district", "region").prefetch_related(
        Prefetch("honours", queryset=Honour.objects.select_related("title").filter(revoked=False))
    )


def get_person(user: Any, pk: int) -> Person:
    return get_visible_or_404(Person.objects.select_related("district", "region", "merged_into"), user, pk=pk)


def person_history(person: Person, *, limit: int = 100) -> QuerySet[Any]:
    """The audit trail of one record (changes, reveals, merges), newest first."""
    return AuditEntry.objects.filter(object_type="people.person", object_id=str(person.pk)).order_by("-created", "-id")[
        :limit
    ]


def collectives_for_user(
    user: Any, *, q: str = "", district: Any = None, year: int | None = None
) -> QuerySet[Collective]:
    """Model collectives as ``user`` may see them; ``district`` is a Region whose subtree counts."""
    qs = Collective.objects.visible_to(user).select_related("region", "title")
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(employer__contains=q))
    if district is not None:
        qs = qs.filter(region__path__startswith=district.path)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "name", "id")


def get_collective(user: Any, pk: int) -> Collective:
    return get_visible_or_404(Collective.objects.select_related("region", "title"), user, pk=pk)


def person_for_mobile(mobile: str) -> Person | None:
    """The one registry person, living and not merged away, who holds this (normalised) mobile:
    who signs in by text message. None when nobody does, or when several records share it (the
    district must sort that out first). Not scoped: it answers a sign-in, before there is a user."""
    found = list(
        Person.objects.active().filter(mobile=mobile).exclude(status=PersonStatus.DECEASED).select_related("user")[:2]
    )
    return found[0] if len(found) == 1 else None


def honours_of(user: Any, person: Person) -> QuerySet[Honour]:
    """The honours of ``person`` that ``user`` may see (their own, for a model worker), newest first."""
    return (
        Honour.objects.visible_to(user)
        .filter(person=person, revoked=False)
        .select_related("title")
        .order_by("-year", "id")
    )


def age_on(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def merge_candidates(user: Any, keep: Person, *, q: str = "") -> list[Person]:
    """Records that may be the same person as ``keep``: those matching the search ``q``, or, without
    one, the living records of the same name, in the user's scope (at most 20)."""
    if q:
        qs = people_for_user(user, PersonFilters(q=q))
    else:
        qs = Person.objects.visible_to(user).active().filter(name=keep.name).order_by("id")
    return list(people_list_page(qs).exclude(pk=keep.pk)[:20])


MERGE_FIELDS = (
    (_("姓名"), "name"),
    (_("性别"), "get_gender_display"),
    (_("出生日期"), "birth_date"),
    (_("身份证号"), "id_number_masked"),
    (_("区县(市)"), "district"),
    (_("所属区域"), "region"),
    (_("工作单位"), "employer"),
    (_("职务/岗位"), "post"),
    (_("状态"), "get_status_display"),
    (_("手机号"), "mobile"),
    (_("地址"), "address"),
    (_("银行账号"), "bank_account_masked"),
)


def merge_comparison(keep: Person, duplicate: Person) -> list[dict[str, Any]]:
    """The two records side by side for the merge page, masked: one row per field, ``differs``
    where they disagree."""

    def shown(person: Person, attr: str) -> Any:
        value = getattr(person, attr)
        value = value() if callable(value) else value
        if attr == "mobile":
            return mask_mobile(value)
        if isinstance(value, dt.date):
            return f"{value:%Y-%m-%d}"
        return "" if value is None else value

    rows = []
    for label, attr in MERGE_FIELDS:
        pair = shown(keep, attr), shown(duplicate, attr)
        rows.append({"label": label, "keep": pair[0], "dup": pair[1], "differs": pair[0] != pair[1]})
    today = dt.date.today()
    rows.append(
        {
            "label": _("年龄"),
            "keep": age_on(keep.birth_date, today) or "",
            "dup": age_on(duplicate.birth_date, today) or "",
            "differs": keep.birth_date != duplicate.birth_date,
        }
    )
    honours = ["、".join(str(h) for h in p.honours.select_related("title")) for p in (keep, duplicate)]
    rows.append({"label": _("荣誉"), "keep": honours[0], "dup": honours[1], "differs": True})
    return rows


def person_by_number_or_name(user: Any, text: str, *, field: str = "person") -> Person:
    """A registry person the user may see, typed as a person number or as a name only one visible
    person has (forms of several apps take a person this way); a clear ``DomainError`` on ``field``
    otherwise."""
    text = (text or "").strip()
    people = Person.objects.visible_to(user).filter(merged_into__isnull=True)
    pk = parse_id(text)
    if pk is not None:
        found = people.filter(pk=pk).first()
        if found:
            return found
    matches = list(people.filter(name=text)[:2])
    if not matches:
        raise DomainError(str(_("人员库中没有找到「%(t)s」")) % {"t": text}, field=field)
    if len(matches) > 1:
        raise DomainError(str(_("有重名人员，请填写人员编号（人员详情页地址中的数字）")), field=field)
    return matches[0]
