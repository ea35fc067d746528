"""What the registry API reads and writes. Answers carry masked numbers only: the full ID,
bank and mobile numbers never leave the server through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from core.masking import mask_mobile
from people.models import Gender, Level, PersonStatus, SkillGrade


class ErrorOut(Schema):
    """A refusal a person can act on; ``field`` names the input at fault when there is one."""

    detail: str
    field: str | None = None


class RegionRef(Schema):
    id: int
    code: str
    name: str


class HonourBrief(Schema):
    title: str
    year: int

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.title.name)


class PersonListItem(Schema):
    id: int
    name: str
    gender: Gender
    birth_date: dt.date | None
    age: int | None
    id_number_masked: str
    mobile_masked: str
    employer: str
    post: str
    district: RegionRef
    region: RegionRef
    status: PersonStatus
    top_level: Level | None
    hardship: bool
    honours: list[HonourBrief]

    @staticmethod
    def resolve_age(obj: Any) -> int | None:
        return age_on(obj.birth_date, dt.date.today())

    @staticmethod
    def resolve_mobile_masked(obj: Any) -> str:
        return mask_mobile(obj.mobile)

    @staticmethod
    def resolve_top_level(obj: Any) -> str | None:
        return obj.top_level or None

    @staticmethod
    def resolve_honours(obj: Any) -> list[Any]:
        # people_list_page prefetches the honours that are not revoked.
        return list(obj.honours.all())


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PersonListItem]


class PersonDetail(PersonListItem):
    ethnicity: str
    political_status: str
    education: str
    status_date: dt.date | None
    landline: str
    address: str
    bank_name: str
    bank_account_name: str
    bank_account_masked: str
    notes: str
    merged_into: int | None = Field(None, alias="merged_into_id")
    created: dt.datetime
    updated: dt.datetime


class PersonIn(Schema):
    """A new record. ``id_number`` and ``bank_account`` are taken in full and stored encrypted."""

    name: str
    region: int = Field(..., description="区域 id：区县(市)、功能区或其下的镇街")
    gender: Gender | None = None
    ethnicity: str = ""
    birth_date: dt.date | None = None
    id_number: str | None = None
    political_status: str = ""
    education: str = ""
    employer: str = ""
    post: str = ""
    status: PersonStatus = PersonStatus.WORKING
    status_date: dt.date | None = None
    mobile: str = ""
    landline: str = ""
    address: str = ""
    bank_name: str = ""
    bank_account_name: str = ""
    bank_account: str | None = None
    hardship: bool = False
    notes: str = ""


class PersonPatch(Schema):
    """A change: only the fields sent are touched."""

    name: str | None = None
    region: int | None = None
    gender: Gender | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    political_status: str | None = None
    education: str | None = None
    employer: str | None = None
    post: str | None = None
    status: PersonStatus | None = None
    status_date: dt.date | None = None
    mobile: str | None = None
    landline: str | None = None
    address: str | None = None
    bank_name: str | None = None
    bank_account_name: str | None = None
    bank_account: str | None = None
    hardship: bool | None = None
    notes: str | None = None


class PersonQueryIn(Schema):
    """The list's filters, as in the registry pages (people.selectors.PersonFilters)."""

    q: str = Field("", description="姓名、全拼、首字母、任意两个字、身份证后四位或工作单位")
    district: int | None = None
    region: int | None = None
    level: Level | None = None
    title: int | None = None
    status: PersonStatus | None = None
    trade: int | None = None
    hardship: bool | None = None
    age_min: int | None = Field(None, ge=0, le=150)
    age_max: int | None = Field(None, ge=0, le=150)
    gender: Gender | None = None
    sort: str = Field("", description="name, -name, birth, -birth, district, -district, level, updated")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class HonourOut(Schema):
    id: int
    title_id: int
    title: str
    level: Level
    enjoys_level: Level | None
    year: int
    awarding_body: str
    certificate_no: str
    revoked: bool
    revoked_reason: str

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.title.name)

    @staticmethod
    def resolve_level(obj: Any) -> str:
        return str(obj.title.level)

    @staticmethod
    def resolve_enjoys_level(obj: Any) -> str | None:
        return obj.title.enjoys_level or None


class HonourIn(Schema):
    title: int = Field(..., description="荣誉称号 id（见 honour-titles）")
    year: int
    awarding_body: str = ""
    certificate_no: str = ""


class HonourRevokeIn(Schema):
    reason: str


class SkillOut(Schema):
    id: int
    trade_id: int
    trade: str
    grade: SkillGrade | None
    grade_label: str
    specialties: str

    @staticmethod
    def resolve_trade(obj: Any) -> str:
        return str(obj.trade.name)

    @staticmethod
    def resolve_grade(obj: Any) -> str | None:
        return obj.grade or None

    @staticmethod
    def resolve_grade_label(obj: Any) -> str:
        return str(obj.get_grade_display()) if obj.grade else ""


class SkillIn(Schema):
    trade: int = Field(..., description="工种 id（见 trades）")
    grade: SkillGrade | None = None
    specialties: str = ""


class HonourTitleOut(Schema):
    id: int
    name: str
    kind: str
    level: Level
    enjoys_level: Level | None = Field(None, description="享受待遇级别（空：同称号级别）")
    awarding_body: str
    for_collectives: bool
    active: bool

    @staticmethod
    def resolve_enjoys_level(obj: Any) -> str | None:
        return obj.enjoys_level or None


class TradeOut(Schema):
    id: int
    code: str
    name: str
    category: str


def age_on(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
