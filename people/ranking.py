"""The shared part of ranking people for a piece of work (technical help's requests, volunteering's
call-outs): skill grade and honour level (the static score), area (same grid/street first, then the
same district), and current load, with the reasons a clerk reads. Each app adds its own fit
(technical help: text and category; volunteering: specialty and team) and its own notion of load."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from people.models import LEVEL_RANK, Level, SkillGrade

W_CATEGORY_DEFAULT = 0.25  # the app's own fit (technical help: category; volunteering: specialty)
W_LOCAL = 0.15
W_DISTRICT = 0.10
W_GRADE = 0.08
W_HONOUR = 0.04
W_RATING = 0.05
W_LOAD = 0.05
MAX_LOAD = 3

GRADE_VALUE = {"0": 1.0, "1": 0.85, "2": 0.7, "3": 0.5, "4": 0.3, "5": 0.15}


def honour_value(top_level: str) -> float:
    return LEVEL_RANK[Level(top_level)] / 4 if top_level else 0.0


def static_score(grade: str, top_level: str, rating_sum: int = 0, rating_count: int = 0) -> float:
    """Skill grade, honour level and past ratings. Ratings shrink toward 3 (two imaginary middling
    ratings) so one 5 does not beat ten 4s; with no ratings the rating part is 0."""
    rating = ((rating_sum + 6) / (rating_count + 2) - 3) / 2
    return W_GRADE * GRADE_VALUE.get(grade, 0.0) + W_HONOUR * honour_value(top_level) + W_RATING * rating


def local_region_ids(region_id: int | None, street_id: int | None, district_id: int | None) -> list[int]:
    """The grid and street of a place (nothing when it only knows its district)."""
    return [i for i in (region_id, street_id) if i and i != district_id]


def area_score(
    person_region_id: int | None, person_district_id: int | None, local: Sequence[int], district_id: int | None
) -> float:
    if person_region_id in local:
        return W_LOCAL
    if person_district_id is not None and person_district_id == district_id:
        return W_DISTRICT
    return 0.0


def area_sql(
    region_column: str, district_column: str, local: Sequence[int], district_id: int | None
) -> tuple[str, list[Any]]:
    """``area_score`` as a SQL expression over two columns (with its parameters)."""
    local = list(local) or [-1]
    sql = (
        f"(CASE WHEN {region_column} IN ({', '.join(['%s'] * len(local))}) THEN {W_LOCAL} "
        f"WHEN {district_column} = %s THEN {W_DISTRICT} ELSE 0.0 END)"
    )
    return sql, [*local, district_id or -1]


def static_sql(grade_column: str, level_column: str) -> str:
    """The grade and honour part of ``static_score`` as a SQL expression (no ratings)."""
    grades = " ".join(f"WHEN '{g}' THEN {W_GRADE * v}" for g, v in GRADE_VALUE.items())
    levels = " ".join(f"WHEN '{lv.value}' THEN {W_HONOUR * LEVEL_RANK[lv] / 4}" for lv in LEVEL_RANK)
    return f"((CASE {grade_column} {grades} ELSE 0.0 END) + (CASE {level_column} {levels} ELSE 0.0 END))"


def load_penalty(load: int) -> float:
    return W_LOAD * min(load, MAX_LOAD)


def area_reason(person: Any, local: Sequence[int], district_id: int | None) -> str | None:
    if person.region_id in local:
        return _("同一网格/镇街：%(region)s") % {"region": person.region}
    if person.district_id == district_id:
        return _("同一区县：%(district)s") % {"district": person.district}
    return None


def grade_reason(grade: str) -> str | None:
    return _("技能等级：%(grade)s") % {"grade": SkillGrade(grade).label} if grade else None


def honour_reason(top_level: str) -> str | None:
    return _("荣誉级别：%(level)s") % {"level": Level(top_level).label} if top_level else None


def load_reason(load: int) -> str:
    return _("当前任务：%(n)s项") % {"n": load} if load else _("当前空闲")
