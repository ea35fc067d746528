"""信访: same-matter repeat detection (重复件 candidates).

A case's "matter words" are its jieba tokens without single characters, punctuation, digits and
a few words every petition uses (反映, 问题, 要求 …). Two cases are on the same matter when the
Jaccard index of their word sets is at least ``SIMILAR_THRESHOLD``. Candidates are limited to the
same district and the 180 days before the case (index ``petition_district_day``), at most
``MAX_CANDIDATES`` of them, so a check costs one indexed query and a few hundred set operations.
Besides the matter, the same registry person, mobile or ID number within 180 days is a candidate
(the existing automatic link, ``services.find_repeat``, covers only the first of those)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jieba
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import PetitionCase

WINDOW_DAYS = 180
SIMILAR_THRESHOLD = 0.5
MAX_CANDIDATES = 500
MAX_SHOWN = 10

# Words nearly every letter or call contains: they say nothing about the matter.
STOPWORDS = frozenset(
    [
        "反映",
        "问题",
        "要求",
        "希望",
        "请求",
        "情况",
        "有关",
        "相关",
        "关于",
        "我们",
        "我的",
        "本人",
        "他们",
        "自己",
        "已经",
        "一直",
        "没有",
        "还是",
        "现在",
        "目前",
        "因为",
        "所以",
        "但是",
        "如果",
        "这个",
        "那个",
        "什么",
        "怎么",
        "为什么",
        "进行",
        "处理",
        "解决",
        "帮助",
        "帮忙",
        "尽快",
        "及时",
        "给予",
        "予以",
        "来电",
        "来信",
        "来访",
        "信访",
        "咨询",
        "投诉",
        "举报",
        "建议",
        "申诉",
        "事项",
        "一下",
        "一个",
        "可以",
        "能否",
        "是否",
        "非常",
        "十分",
        "多次",
        "一些",
        "",
    ]
)
_KEEP = re.compile(r"^[\u4e00-\u9fff]{2,}$|^[a-z][a-z0-9]{1,}$")

REASONS = {
    "person": _("同一人员库人员"),
    "mobile": _("同一手机号"),
    "id": _("同一身份证号"),
    "matter": _("事项相似"),
}


@lru_cache(maxsize=1)
def _jieba() -> Any:
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


@lru_cache(maxsize=5000)
def matter_words(text: str) -> frozenset[str]:
    """The content words of a matter (jieba tokens, lower-cased, without stop words)."""
    words = set()
    for raw in _jieba().lcut_for_search(text or ""):
        token = raw.strip().lower()
        if token in STOPWORDS or len(token) > 20 or not _KEEP.match(token):
            continue
        words.add(token)
    return frozenset(words)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Candidate:
    case: PetitionCase
    reasons: tuple[str, ...]
    score: float  # Jaccard of the matter words (0 when matched only by person, mobile or ID)

    @property
    def reason_labels(self) -> str:
        return "、".join(str(REASONS[r]) for r in self.reasons)


def possible_repeats(case: PetitionCase, user: Any = None) -> list[Candidate]:
    """Earlier cases (received up to 180 days before, or the same day with a smaller id) that may be
    the same matter: same registry person, mobile or ID number anywhere in the city, or similar
    matter words in the same district. Nearest first; the case it is already linked to included.
    With ``user``, only the cases in their scope (a district clerk never sees another district's)."""
    since = case.received_on - dt.timedelta(days=WINDOW_DAYS)
    base = PetitionCase.objects.visible_to(user) if user is not None else PetitionCase.objects.all()
    earlier = (
        base.filter(received_on__gte=since, received_on__lte=case.received_on)
        .exclude(pk=case.pk)
        .exclude(received_on=case.received_on, pk__gt=case.pk)
    )
    reasons: dict[int, list[str]] = {}
    rows: dict[int, PetitionCase] = {}
    same_party = Q(pk__in=[])
    if case.person_id:
        same_party |= Q(person_id=case.person_id)
    if case.mobile:
        same_party |= Q(mobile=case.mobile)
    if case.id_number_hash:
        same_party |= Q(id_number_hash=case.id_number_hash)
    if case.person_id or case.mobile or case.id_number_hash:
        for other in earlier.filter(same_party).select_related("district").order_by("-received_on", "-id")[:MAX_SHOWN]:
            rows[other.pk] = other
            found = reasons.setdefault(other.pk, [])
            if case.person_id and other.person_id == case.person_id:
                found.append("person")
            if case.mobile and other.mobile == case.mobile:
                found.append("mobile")
            if case.id_number_hash and other.id_number_hash == case.id_number_hash:
                found.append("id")
    scores: dict[int, float] = {}
    words = matter_words(case.matter)
    if words:
        nearby = earlier.filter(district_id=case.district_id).order_by("-received_on", "-id")
        for pk, matter in nearby.values_list("pk", "matter")[:MAX_CANDIDATES]:
            score = jaccard(words, matter_words(matter))
            if score >= SIMILAR_THRESHOLD:
                scores[pk] = score
                reasons.setdefault(pk, []).append("matter")
        missing = [pk for pk in sorted(scores, key=lambda k: -scores[k])[:MAX_SHOWN] if pk not in rows]
        rows |= base.select_related("district").in_bulk(missing)
    shown = [pk for pk in reasons if pk in rows]
    shown.sort(key=lambda pk: (rows[pk].received_on, pk), reverse=True)
    return [Candidate(rows[pk], tuple(reasons[pk]), round(scores.get(pk, 0.0), 2)) for pk in shown[:MAX_SHOWN]]
