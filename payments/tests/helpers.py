"""Building blocks for payments tests: honours for the cast, a rule set, rounds in each state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core.models import Role, User
from payments import services
from payments.models import BenefitKind, Payout, PayoutRound, RuleSet
from people.models import HonourTitle, Person
from people.services import add_honour, update_person
from tests.cast import make_user

DAY = dt.date(2026, 1, 15)
ACCOUNT_A = "6222021234567890123"
ACCOUNT_B = "6217001234567890456"

RULES: dict[str, Any] = {
    "amount_national": Decimal("3000"),
    "amount_provincial": Decimal("1500"),
    "amount_city": Decimal("1000"),
    "amount_district": Decimal("0"),
    "statuses": ["working", "retired"],
    "title_kinds": ["model_worker", "union_award"],
    "hardship_topup": Decimal("1000"),
    "age_threshold": 80,
    "age_topup": Decimal("500"),
}


def second_city_user(username: str = "city2") -> User:
    existing = User.objects.filter(username=username).first()
    return existing or make_user(username, Role.CITY_STAFF)


def honour_cast(cast: Any) -> None:
    """person_a: 宁波市劳动模范 (city); person_b: 浙江省劳动模范 (provincial), with bank accounts."""
    if cast.person_a.honours.exists():
        return
    add_honour(actor=None, person=cast.person_a, title=HonourTitle.objects.get(name="宁波市劳动模范"), year=2019)
    add_honour(actor=None, person=cast.person_b, title=HonourTitle.objects.get(name="浙江省劳动模范"), year=2015)
    update_person(actor=None, person=cast.person_a, bank_account=ACCOUNT_A, bank_name="中国工商银行宁波分行")
    update_person(actor=None, person=cast.person_b, bank_account=ACCOUNT_B, bank_name="中国建设银行宁波分行")


def spring_rules(cast: Any, **overrides: Any) -> RuleSet:
    honour_cast(cast)
    existing = RuleSet.objects.filter(year=2026, kind__code="spring_festival").first()
    if existing:
        return existing
    return services.create_rule_set(
        actor=cast.city,
        kind=BenefitKind.objects.get(code="spring_festival"),
        year=2026,
        name="2026年春节慰问金发放规则",
        rules={**RULES, **overrides},
    )


def draft(cast: Any, *, creator: User | None = None, title: str = "2026年春节慰问金") -> PayoutRound:
    rule_set = spring_rules(cast)
    return services.draft_round(actor=creator or second_city_user(), rule_set=rule_set, title=title, reference_date=DAY)


def approved(cast: Any) -> PayoutRound:
    round_ = draft(cast, creator=second_city_user())
    return services.approve_round(actor=cast.city, round_=round_)


def line_of(round_: PayoutRound, person: Person) -> Payout:
    return Payout.objects.get(round=round_, person=person)
