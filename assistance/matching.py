"""Ranking people for a request, with the reasons shown.

Score (0 … about 1) = text + category + area + static − load, where
- text: cosine similarity of TF-IDF vectors (jieba tokens) between the request (title,
  description, category keywords) and the person (skills' specialties and trades, honours, past
  services), times ``W_TEXT``;
- category: the person holds a trade the category lists (``W_CATEGORY``);
- area: same grid/street (``W_LOCAL``), else same district (``W_DISTRICT``);
- static: skill grade, honour level and past ratings (precomputed per person);
- load: ``W_LOAD`` for each request the person is serving or has been asked to, up to ``MAX_LOAD``.

Only people who match the category or share a term are candidates. Precomputed per person:
``MatchProfile`` (vector and parts, for the reasons) and ``MatchTerm`` (an inverted index with
district, region and static score copied in) so the first stage is one grouped scan over the
query's terms; the second stage subtracts the live load for the best ``PREFILTER`` and explains them.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jieba
from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from assistance.models import (
    OPEN_STATUSES,
    Category,
    HelpRequest,
    Invitation,
    InvitationStatus,
    MatchProfile,
    MatchTerm,
    TermStat,
    VisitPerson,
)
from people import ranking
from people.models import Honour, Person, Skill
from people.ranking import W_CATEGORY_DEFAULT, static_score

W_TEXT = 0.45
W_CATEGORY = W_CATEGORY_DEFAULT
PREFILTER = 60
CHAMPIONS = 1500  # postings kept per term (see refresh_profiles)
MAX_QUERY_TERMS = 24
N_TERM = "__N__"
STOPWORDS = frozenset(
    "我们 你们 他们 公司 企业 有限公司 有限责任 单位 需要 希望 问题 情况 目前 现在 进行 帮助 帮扶 技术 一些 一个 "  # noqa: SIM905 - a word list reads better as text
    "没有 可以 能够 如何 怎么 什么 比较 非常 已经 还是 以及 其中 通过 对于 由于 因为 所以 但是 而且 或者 "
    "方面 工作 请求 申请 专家 师傅".split()
)
_KEEP = re.compile(r"^[\u4e00-\u9fff]{2,}$|^[a-z0-9][a-z0-9+#.\-]{1,}$")


@lru_cache(maxsize=1)
def _jieba() -> Any:

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=20000)
def _tokens_cached(text: str) -> tuple[str, ...]:
    out = []
    for raw in _jieba().lcut(text):
        token = raw.strip().lower()
        if len(token) > 40 or token in STOPWORDS or not _KEEP.match(token):
            continue
        out.append(token)
    return tuple(out)


def tokenize(text: str) -> list[str]:
    """Words of a Chinese text (jieba), without single characters, punctuation and stop words."""
    return list(_tokens_cached(text or ""))


def idf(df: int, n: int) -> float:
    return math.log((n + 1) / (df + 1)) + 1.0


def _normalise(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


# ----------------------------------------------------------------------------- profiles


def category_ids_by_trade() -> dict[int, set[int]]:
    mapping: dict[int, set[int]] = {}
    for category_id, trade_id in Category.trades.through.objects.values_list("category_id", "trade_id"):
        mapping.setdefault(trade_id, set()).add(category_id)
    return mapping


def _documents(person_ids: Iterable[int] | None) -> dict[int, dict[str, Any]]:
    """The text and parts of each available person (not merged, working or retired)."""
    people = Person.objects.available()
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    docs: dict[int, dict[str, Any]] = {}
    for pk, district_id, region_id, top_level in people.values_list("pk", "district_id", "region_id", "top_level"):
        docs[pk] = {
            "district": district_id,
            "region": region_id,
            "top_level": top_level,
            "texts": [],
            "trades": [],
            "grade": "",
            "rating_sum": 0,
            "rating_count": 0,
        }
    ids = list(docs)
    for chunk_start in range(0, len(ids), 5000):
        chunk = ids[chunk_start : chunk_start + 5000]
        for pid, trade_id, trade_name, grade, specialties in Skill.objects.filter(person_id__in=chunk).values_list(
            "person_id", "trade_id", "trade__name", "grade", "specialties"
        ):
            doc = docs[pid]
            doc["trades"].append(trade_id)
            doc["texts"] += [trade_name, specialties]
            if grade and (not doc["grade"] or grade < doc["grade"]):
                doc["grade"] = grade

        for pid, title in Honour.objects.filter(person_id__in=chunk, revoked=False).values_list(
            "person_id", "title__name"
        ):
            docs[pid]["texts"].append(title)
        served = Invitation.objects.filter(person_id__in=chunk, status=InvitationStatus.ACCEPTED)
        for pid, title, rating in served.values_list("person_id", "request__title", "request__rating"):
            docs[pid]["texts"].append(title)
            if rating:
                docs[pid]["rating_sum"] += rating
                docs[pid]["rating_count"] += 1
        for pid, work in VisitPerson.objects.filter(person_id__in=chunk).values_list("person_id", "visit__work_done"):
            docs[pid]["texts"].append(work)
    return docs


def refresh_profiles(person_ids: Iterable[int] | None = None, *, batch: int = 5000) -> int:
    """Rebuild matching data. With ``person_ids`` None: everyone, and the IDF table too;
    otherwise only those people, with the current IDF table. Returns the profiles written."""
    full = person_ids is None
    ids = None if full else list(person_ids or [])
    docs = _documents(ids)
    cat_by_trade = category_ids_by_trade()
    tfs = {pid: Counter(t for text in doc["texts"] for t in tokenize(text)) for pid, doc in docs.items()}
    with transaction.atomic():
        if full:
            df: Counter[str] = Counter()
            for counts in tfs.values():
                df.update(counts.keys())
            n = len(docs)
            TermStat.objects.all().delete()
            TermStat.objects.bulk_create(
                [TermStat(term=t, df=c) for t, c in df.items()] + [TermStat(term=N_TERM, df=n)], batch_size=batch
            )
            MatchTerm.objects.all().delete()
            MatchProfile.objects.all().delete()
            dfs = dict(df)
        else:
            wanted = {t for counts in tfs.values() for t in counts}
            dfs = dict(TermStat.objects.filter(term__in=wanted | {N_TERM}).values_list("term", "df"))
            n = dfs.pop(N_TERM, 0)
            MatchTerm.objects.filter(person_id__in=ids).delete()
            MatchProfile.objects.filter(person_id__in=ids).delete()
        profiles: list[MatchProfile] = []
        postings: dict[str, list[tuple[float, int]]] = {}
        rows: dict[int, dict[str, Any]] = {}
        for pid, doc in docs.items():
            vector = _normalise({t: c * idf(dfs.get(t, 0), n) for t, c in tfs[pid].items()})
            static = static_score(doc["grade"], doc["top_level"], doc["rating_sum"], doc["rating_count"])
            profiles.append(
                MatchProfile(
                    person_id=pid,
                    district_id_copy=doc["district"],
                    region_id_copy=doc["region"],
                    best_grade=doc["grade"],
                    trade_ids=sorted(set(doc["trades"])),
                    vector={t: round(w, 5) for t, w in vector.items()},
                    rating_sum=doc["rating_sum"],
                    rating_count=doc["rating_count"],
                    static_score=static,
                )
            )
            rows[pid] = {
                "person_id": pid,
                "district_id_copy": doc["district"],
                "region_id_copy": doc["region"],
                "static_score": static,
            }
            for c in sorted({c for tr in doc["trades"] for c in cat_by_trade.get(tr, ())}):
                # Everyone of the category in their district; city-wide only a champion list.
                postings.setdefault(f"c:{c}@{doc['district']}", []).append((W_CATEGORY, pid))
                postings.setdefault(f"c:{c}", []).append((static, pid))
            for t, w in vector.items():
                postings.setdefault(t, []).append((w, pid))
        MatchProfile.objects.bulk_create(profiles, batch_size=batch)
        terms: list[MatchTerm] = []
        for term, plist in postings.items():
            if full and "@" not in term:
                # Champion lists: a term keeps its CHAMPIONS strongest holders (by weight; for a
                # city-wide category, by grade, honours and ratings). Incremental refreshes add
                # without trimming; the nightly rebuild trims again.
                plist = sorted(plist, key=lambda wp: (-wp[0], wp[1]))[:CHAMPIONS]
            weight_of = W_CATEGORY if term.startswith("c:") else None
            terms += [MatchTerm(term=term, weight=weight_of or w, **rows[pid]) for w, pid in plist]
            if len(terms) >= batch:
                MatchTerm.objects.bulk_create(terms, batch_size=batch)
                terms = []
        MatchTerm.objects.bulk_create(terms, batch_size=batch)
    if full:
        vacuum_index()
    return len(profiles)


def vacuum_index() -> None:
    """After a rebuild, PostgreSQL needs the visibility map set for index-only scans and fresh
    statistics for the plan (VACUUM cannot run inside a transaction, so only outside one)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(MatchTerm._meta.db_table)}")


# ----------------------------------------------------------------------------- ranking


@dataclass
class Candidate:
    person: Person
    score: float
    parts: dict[str, float]
    reasons: list[str] = field(default_factory=list)
    matched_terms: list[str] = field(default_factory=list)
    load: int = 0


@dataclass
class MatchFilters:
    district_only: bool = False
    min_grade: str = ""  # a SkillGrade value: "2" means 技师 or better
    exclude_busy: bool = False
    category: Category | None = None


def query_vector(request: HelpRequest, category: Category | None = None) -> dict[str, float]:
    category = category or request.category
    counts = Counter(tokenize(f"{request.title} {request.description}"))
    counts.update(tokenize(category.keywords.replace(",", " ")))
    known = dict(TermStat.objects.filter(term__in=[*counts, N_TERM]).values_list("term", "df"))
    n = known.pop(N_TERM, 0)
    weights = {t: c * idf(known[t], n) for t, c in counts.items() if t in known}
    best = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_QUERY_TERMS])
    return _normalise(best)


def local_region_ids(request: HelpRequest) -> list[int]:
    """The grid and street of a request (nothing when it only knows its district)."""
    return ranking.local_region_ids(request.region_id, request.street_id, request.district_id)


def current_loads(person_ids: list[int], *, exclude_request: int | None = None) -> dict[int, int]:
    qs = Invitation.objects.filter(
        person_id__in=person_ids,
        status__in=[InvitationStatus.INVITED, InvitationStatus.ACCEPTED],
        request__status__in=OPEN_STATUSES,
    )
    if exclude_request:
        qs = qs.exclude(request_id=exclude_request)
    return dict(qs.values("person_id").annotate(n=Count("id")).values_list("person_id", "n"))


def _first_stage(
    request: HelpRequest,
    qvec: dict[str, float],
    category_term: str,
    *,
    district_only: bool,
    exclude: list[int],
    size: int,
) -> list[tuple[int, float, float, float, float]]:
    """One grouped scan of the query's terms: (person, text, category, static, area), best
    first. Raw SQL because the ORM spends longer compiling this than the database running it."""
    category_terms = [category_term, f"{category_term}@{request.district_id}"]
    terms = [(t, W_TEXT * w) for t, w in qvec.items()] + [(c, 0.0) for c in category_terms]
    local = local_region_ids(request)
    table = connection.ops.quote_name(MatchTerm._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(terms))
    # The IN list (besides the join) lets the planner read the term index instead of the table.
    where = [f"t.term IN ({', '.join(['%s'] * len(terms))})"]
    params: list[Any] = [v for pair in terms for v in pair] + [t for t, _ in terms]
    area_expr, area_params = ranking.area_sql("t.region_id_copy", "t.district_id_copy", local, request.district_id)
    area_sql = f"MAX{area_expr}"
    select_params: list[Any] = [*category_terms, *area_params]
    if district_only:
        where.append("t.district_id_copy = %s")
        params.append(request.district_id)
    if exclude:
        where.append(f"t.person_id NOT IN ({', '.join(['%s'] * len(exclude))})")
        params += exclude
    sql = (
        f"WITH q(term, w) AS (VALUES {values}) "  # noqa: S608 - only placeholders and fixed names are interpolated
        f"SELECT person_id, txt, cat, stat, area FROM ("
        f"SELECT t.person_id AS person_id, SUM(t.weight * q.w) AS txt, "
        f"MAX(CASE WHEN t.term IN (%s, %s) THEN {W_CATEGORY} ELSE 0.0 END) AS cat, "
        f"MAX(t.static_score) AS stat, {area_sql} AS area "
        f"FROM {table} t JOIN q ON t.term = q.term WHERE {' AND '.join(where)} GROUP BY t.person_id"
        f") ranked ORDER BY txt + cat + stat + area DESC, person_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params[: 2 * len(terms)], *select_params, *params[2 * len(terms) :], size])
        return [(int(r[0]), float(r[1]), float(r[2]), float(r[3]), float(r[4])) for r in cursor.fetchall()]


def rank_candidates(request: HelpRequest, *, limit: int = 10, filters: MatchFilters | None = None) -> list[Candidate]:
    """The best ``limit`` people for ``request``, best first, with the reasons. People already
    invited to it are left out (they are listed with their answers instead)."""
    filters = filters or MatchFilters()
    category = filters.category or request.category
    qvec = query_vector(request, category)
    invited = (
        list(Invitation.objects.filter(request_id=request.pk).values_list("person_id", flat=True)) if request.pk else []
    )
    rows = _first_stage(
        request,
        qvec,
        f"c:{category.pk}",
        district_only=filters.district_only,
        exclude=invited,
        size=max(PREFILTER, limit * 3),
    )
    # Profiles are refreshed after a change commits (assistance.hooks); until then someone who
    # died, moved away or was merged must still never be proposed.
    available = set(Person.objects.available().filter(pk__in=[r[0] for r in rows]).values_list("pk", flat=True))
    rows = [r for r in rows if r[0] in available]
    ids = [r[0] for r in rows]
    loads = current_loads(ids, exclude_request=request.pk)
    grades = (
        dict(MatchProfile.objects.filter(person_id__in=ids).values_list("person_id", "best_grade"))
        if filters.min_grade
        else {}
    )
    scored: list[tuple[float, int, dict[str, float], int]] = []
    for pid, text, cat, static, area in rows:
        load = loads.get(pid, 0)
        if filters.exclude_busy and load:
            continue
        if filters.min_grade and (not grades.get(pid) or grades[pid] > filters.min_grade):
            continue
        penalty = ranking.load_penalty(load)
        parts = {"text": round(text, 4), "category": cat, "area": area, "static": round(static, 4), "load": -penalty}
        scored.append((round(text + cat + area + static - penalty, 6), pid, parts, load))
    scored.sort(key=lambda s: (-s[0], s[1]))
    top = scored[:limit]
    top_ids = [s[1] for s in top]
    profiles = MatchProfile.objects.select_related("person__district", "person__region").in_bulk(top_ids)
    trade_names = dict(category.trades.values_list("pk", "name"))
    out = []
    for score, pid, parts, load in top:
        vector = profiles[pid].vector
        matched = sorted((t for t in qvec if t in vector), key=lambda t: -qvec[t] * vector[t])
        c = Candidate(person=profiles[pid].person, score=score, parts=parts, matched_terms=matched[:6], load=load)
        c.reasons = _reasons(c, profiles[pid], request, trade_names)
        out.append(c)
    return out


def _reasons(c: Candidate, profile: MatchProfile, request: HelpRequest, trade_names: dict[int, str]) -> list[str]:
    reasons = []
    matching_trades = [trade_names[t] for t in profile.trade_ids if t in trade_names]
    if matching_trades:
        reasons.append(_("工种对口：%(trades)s") % {"trades": "、".join(matching_trades)})
    if c.matched_terms:
        reasons.append(_("专长/经历相关：%(terms)s") % {"terms": "、".join(c.matched_terms)})
    shared = [
        ranking.area_reason(c.person, local_region_ids(request), request.district_id),
        ranking.grade_reason(profile.best_grade),
        ranking.honour_reason(c.person.top_level),
    ]
    reasons += [r for r in shared if r]
    if profile.rating_count:
        average = f"{profile.rating_sum / profile.rating_count:.1f}"
        reasons.append(
            _("以往评价：%(average)s分（%(count)s次）") % {"average": average, "count": profile.rating_count}
        )
    reasons.append(ranking.load_reason(c.load))
    return reasons
