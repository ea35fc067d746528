"""The registry over REST: people, their honours and skills, and the two catalogues.

The same rules as the pages: reads through people.selectors (the scope rule: outside it is 404),
writes through people.services (a refusal is 422 with the field at fault), the permission
checked first (403). Numbers come out masked only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from core.errors import DomainError
from core.models import Region
from core.permissions import require_api_perm
from core.scope import regions_visible_to
from people import services
from people.models import Honour, HonourTitle, Person, Skill, Trade
from people.schemas import (
    ErrorOut,
    HonourIn,
    HonourOut,
    HonourRevokeIn,
    HonourTitleOut,
    PersonDetail,
    PersonIn,
    PersonPage,
    PersonPatch,
    PersonQueryIn,
    SkillIn,
    SkillOut,
    TradeOut,
)
from people.selectors import PersonFilters, get_person, people_for_user, people_list_page

router = Router(tags=["people"])

_TEXT_FIELDS = {
    "name",
    "ethnicity",
    "political_status",
    "education",
    "employer",
    "post",
    "landline",
    "address",
    "bank_name",
    "bank_account_name",
    "notes",
}


def _refusal(exc: DomainError) -> Status[ErrorOut]:
    return Status(422, ErrorOut(detail=exc.message, field=exc.field))


def _region_for(user: Any, region_id: int) -> Region:
    region = regions_visible_to(user).filter(pk=region_id).first()
    if region is None:
        raise DomainError(_("所选区域不存在或不在您的管辖范围内"), field="region")
    return region


def _with_current_honours(person: Person) -> Person:
    prefetch_related_objects(
        [person], Prefetch("honours", queryset=Honour.objects.select_related("title").filter(revoked=False))
    )
    return person


def _visible_person(user: Any, person_id: int) -> Person:
    return get_person(user, person_id)


# --- people -------------------------------------------------------------------------------


@router.get("/people", response=PersonPage, url_name="people", summary="人员列表（筛选、分页）")
def list_people(request: HttpRequest, filters: Query[PersonQueryIn]) -> dict[str, Any]:
    user = require_api_perm(request, "people.view")
    qs = people_for_user(
        user,
        PersonFilters(
            q=filters.q,
            district=filters.district,
            region=filters.region,
            level=filters.level or "",
            title=filters.title,
            status=filters.status or "",
            trade=filters.trade,
            hardship=filters.hardship,
            age_min=filters.age_min,
            age_max=filters.age_max,
            gender=filters.gender or "",
            sort=filters.sort,
        ),
    )
    start = (filters.page - 1) * filters.page_size
    items = list(people_list_page(qs)[start : start + filters.page_size])
    return {"count": qs.count(), "page": filters.page, "page_size": filters.page_size, "items": items}


@router.post(
    "/people",
    response={201: PersonDetail, 422: ErrorOut},
    url_name="people",
    summary="新增人员",
)
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    user = require_api_perm(request, "people.edit")
    data = payload.dict()
    try:
        region = _region_for(user, data.pop("region"))
        data["gender"] = data["gender"] or ""
        person = services.create_person(actor=user, region=region, **data)
    except DomainError as exc:
        return _refusal(exc)
    return Status(201, _with_current_honours(get_person(user, person.pk)))


@router.get("/people/{person_id}", response=PersonDetail, url_name="person", summary="人员详情（号码脱敏）")
def person_detail(request: HttpRequest, person_id: int) -> Person:
    user = require_api_perm(request, "people.view")
    return _with_current_honours(_visible_person(user, person_id))


@router.patch(
    "/people/{person_id}",
    response={200: PersonDetail, 422: ErrorOut},
    url_name="person",
    summary="修改人员（只改传入的字段）",
)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Any:
    user = require_api_perm(request, "people.edit")
    person = _visible_person(user, person_id)
    data = payload.dict(exclude_unset=True)
    for key in _TEXT_FIELDS & set(data):
        data[key] = data[key] or ""
    for key in ("gender", "status", "hardship"):
        if key in data and data[key] is None:
            del data[key]
    try:
        if "region" in data:
            region_id = data.pop("region")
            data["region"] = _region_for(user, region_id) if region_id is not None else None
        services.update_person(actor=user, person=person, **data)
    except DomainError as exc:
        return _refusal(exc)
    return Status(200, _with_current_honours(get_person(user, person.pk)))


# --- honours ------------------------------------------------------------------------------


@router.get(
    "/people/{person_id}/honours",
    response=list[HonourOut],
    url_name="person_honours",
    summary="人员的荣誉（含已撤销）",
)
def list_honours(request: HttpRequest, person_id: int) -> Any:
    user = require_api_perm(request, "people.view")
    person = _visible_person(user, person_id)
    return Honour.objects.filter(person=person).select_related("title")


@router.post(
    "/people/{person_id}/honours",
    response={201: HonourOut, 422: ErrorOut},
    url_name="person_honours",
    summary="添加荣誉",
)
def add_honour(request: HttpRequest, person_id: int, payload: HonourIn) -> Any:
    user = require_api_perm(request, "people.edit")
    person = _visible_person(user, person_id)
    try:
        title = HonourTitle.objects.filter(pk=payload.title, active=True).first()
        if title is None:
            raise DomainError(_("荣誉称号不存在或已停用"), field="title")
        honour = services.add_honour(
            actor=user,
            person=person,
            title=title,
            year=payload.year,
            awarding_body=payload.awarding_body,
            certificate_no=payload.certificate_no,
        )
    except DomainError as exc:
        return _refusal(exc)
    return Status(201, honour)


@router.post(
    "/people/{person_id}/honours/{honour_id}/revoke",
    response={200: HonourOut, 422: ErrorOut},
    url_name="honour_revoke",
    summary="撤销荣誉",
)
def revoke_honour(request: HttpRequest, person_id: int, honour_id: int, payload: HonourRevokeIn) -> Any:
    user = require_api_perm(request, "people.edit")
    person = _visible_person(user, person_id)
    honour = get_object_or_404(Honour.objects.select_related("title", "person"), pk=honour_id, person=person)
    try:
        honour = services.revoke_honour(actor=user, honour=honour, reason=payload.reason)
    except DomainError as exc:
        return _refusal(exc)
    return Status(200, honour)


# --- skills -------------------------------------------------------------------------------


@router.get("/people/{person_id}/skills", response=list[SkillOut], url_name="person_skills", summary="人员的技能")
def list_skills(request: HttpRequest, person_id: int) -> Any:
    user = require_api_perm(request, "people.view")
    person = _visible_person(user, person_id)
    return Skill.objects.filter(person=person).select_related("trade").order_by("trade__sort", "id")


@router.post(
    "/people/{person_id}/skills",
    response={200: SkillOut, 422: ErrorOut},
    url_name="person_skills",
    summary="添加或修改技能（同一工种只保留一条）",
)
def add_skill(request: HttpRequest, person_id: int, payload: SkillIn) -> Any:
    user = require_api_perm(request, "people.edit")
    person = _visible_person(user, person_id)
    try:
        trade = Trade.objects.filter(pk=payload.trade).first()
        if trade is None:
            raise DomainError(_("工种不存在"), field="trade")
        skill = services.set_skill(
            actor=user, person=person, trade=trade, grade=payload.grade or "", specialties=payload.specialties.strip()
        )
    except DomainError as exc:
        return _refusal(exc)
    return Status(200, Skill.objects.select_related("trade").get(pk=skill.pk))


@router.delete(
    "/people/{person_id}/skills/{skill_id}",
    response={204: None},
    url_name="person_skill",
    summary="删除技能",
)
def remove_skill(request: HttpRequest, person_id: int, skill_id: int) -> Any:
    user = require_api_perm(request, "people.edit")
    person = _visible_person(user, person_id)
    skill = get_object_or_404(Skill.objects.select_related("trade", "person"), pk=skill_id, person=person)
    services.remove_skill(actor=user, skill=skill)
    return Status(204, None)


# --- catalogues ---------------------------------------------------------------------------


@router.get("/honour-titles", response=list[HonourTitleOut], url_name="honour_titles", summary="荣誉称号目录")
def list_honour_titles(request: HttpRequest) -> Any:
    require_api_perm(request, "people.view")
    return HonourTitle.objects.all()


@router.get("/trades", response=list[TradeOut], url_name="trades", summary="工种目录")
def list_trades(request: HttpRequest) -> Any:
    require_api_perm(request, "people.view")
    return Trade.objects.all()
