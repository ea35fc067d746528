"""REST API of technical help: requests (scoped like the pages) and ranked candidates."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema

from assistance import matching, selectors
from core.api_input import MAX_OFFSET
from core.permissions import require_api_perm

router = Router(tags=["assistance"])


class RequestOut(Schema):
    id: int
    number: str
    org_name: str
    title: str
    category: str
    district: str
    region: str
    status: str
    urgency: str
    created: dt.datetime


class RequestDetailOut(RequestOut):
    description: str
    address: str
    contact_name: str
    solved: bool | None
    problems_solved: int
    workers_trained: int
    workers_served: int
    equipment_repaired: int
    rating: int | None
    first_visit_on: dt.date | None


class CandidateOut(Schema):
    person_id: int
    name: str
    district: str
    score: float
    parts: dict[str, float]
    reasons: list[str]


def _out(r: object) -> dict[str, object]:
    return {
        "id": r.pk,  # type: ignore[attr-defined]
        "number": r.number,  # type: ignore[attr-defined]
        "org_name": r.org_name,  # type: ignore[attr-defined]
        "title": r.title,  # type: ignore[attr-defined]
        "category": r.category.name,  # type: ignore[attr-defined]
        "district": r.district.name,  # type: ignore[attr-defined]
        "region": r.region.name,  # type: ignore[attr-defined]
        "status": r.status,  # type: ignore[attr-defined]
        "urgency": r.urgency,  # type: ignore[attr-defined]
        "created": r.created,  # type: ignore[attr-defined]
    }


@router.get("/requests/", response=list[RequestOut], url_name="assistance_requests")
def list_requests(
    request: HttpRequest,
    status: str = "",
    q: str = "",
    limit: int = Query(50, ge=1),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[dict[str, object]]:
    """Requests the caller may see (staff: their regions; requesters: their own)."""
    require_api_perm(request, "assistance.view", "assistance.request", combine=any)
    qs = selectors.request_list_page(
        selectors.requests_for_user(request.user, selectors.RequestFilters(q=q, status=status))
    )
    limit = max(1, min(limit, 200))
    return [_out(r) for r in qs[offset : offset + limit]]


@router.get("/requests/{pk}/", response=RequestDetailOut, url_name="assistance_request")
def get_request(request: HttpRequest, pk: int) -> dict[str, object]:
    require_api_perm(request, "assistance.view", "assistance.request", combine=any)
    r = selectors.get_request(request.user, pk)
    return _out(r) | {
        "description": r.description,
        "address": r.address,
        "contact_name": r.contact_name,
        "solved": r.solved,
        "problems_solved": r.problems_solved,
        "workers_trained": r.workers_trained,
        "workers_served": r.workers_served,
        "equipment_repaired": r.equipment_repaired,
        "rating": r.rating,
        "first_visit_on": r.first_visit_on,
    }


@router.get("/requests/{pk}/candidates/", response=list[CandidateOut], url_name="assistance_candidates")
def candidates(
    request: HttpRequest, pk: int, limit: int = Query(10, ge=1), district_only: bool = False
) -> list[dict[str, object]]:
    """The ranked candidates for a request, with the score's parts and the reasons."""
    require_api_perm(request, "assistance.dispatch", combine=any)
    r = selectors.get_request(request.user, pk)
    ranked = matching.rank_candidates(
        r, limit=max(1, min(limit, 50)), filters=matching.MatchFilters(district_only=district_only)
    )
    return [
        {
            "person_id": c.person.pk,
            "name": c.person.name,
            "district": c.person.district.name,
            "score": c.score,
            "parts": c.parts,
            "reasons": c.reasons,
        }
        for c in ranked
    ]
