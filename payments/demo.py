"""Demo payments, built from the demo registry through the real services: the 2025 and 2026
Spring Festival rounds (approved, paid from a bank return file, reconciled), with the 2026 rules
extending the payment to city-level model workers — so the 2026 round's city-level recipients
are paid for the first time, as in the seed's story — and a follow-up draft for the failed lines.

The seed's figures for the 2026 round, 253万余 yuan paid and 1,276 city-level model workers paid
for the first time, follow from the registry's mix of honours (people/demo.py CENSUS_BEST_TITLE)
and the amounts below; the figures themselves are whatever the records give, and
tests/test_demo.py holds the default demo to them.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import extensions as core_points
from core.demo import DEMO_PASSWORD, demo_totp_key
from core.models import Role, User
from core.scope import regions_visible_to
from core.services import assign_role, create_user
from payments import services
from payments.models import BankLayout, BenefitKind, ExclusionReason, Payout, PayoutRound, RuleSet
from payments.reference import load as load_reference
from payments.selectors import round_totals
from payments.xlsxstream import write_sheet
from people.models import Person
from people.services import update_person

# The second pair of eyes: rounds drafted by "city" are approved by this account.
APPROVER = ("city2", "协会财务负责人（演示）")

RULES_2025 = {
    "amount_national": "3400",
    "amount_provincial": "1500",
    "amount_city": "0",
    "amount_district": "0",
    "statuses": ["working", "retired"],
    "title_kinds": ["model_worker", "union_award"],
    "hardship_topup": "1000",
    "age_threshold": 80,
    "age_topup": "500",
}
RULES_2026 = {**RULES_2025, "amount_city": "1000"}

FAILURES = [
    ("失败", "账户已销户"),
    ("失败", "户名与账号不符"),
    ("退回", "账户冻结，资金退回"),
    ("退回", "长期不动户，资金退回"),
]


def _approver() -> User:
    user = User.objects.filter(username=APPROVER[0]).first()
    if user is None:
        user = create_user(actor=None, username=APPROVER[0], password=DEMO_PASSWORD, display_name=APPROVER[1])
        assign_role(actor=None, user=user, role=Role.CITY_STAFF)
        TOTPDevice.objects.create(user=user, name="demo", key=demo_totp_key(APPROVER[0]), confirmed=True)
    return user


def _return_file(round_: PayoutRound, rng: random.Random, failure_rate: float) -> bytes:
    """What the bank sends back: every line of the payout file with its outcome."""
    rows = []
    for pk, amount in Payout.objects.filter(round=round_, excluded=False).order_by("id").values_list("pk", "amount"):
        status, reason = ("成功", "")
        if rng.random() < failure_rate:
            status, reason = rng.choice(FAILURES)
        rows.append([f"P{pk:08d}", amount, status, reason])
    return write_sheet(["业务编号", "金额", "交易状态", "失败原因"], rows, money_columns=[1])


def _run_round(
    *,
    rule_set: RuleSet,
    title: str,
    day: dt.date,
    creator: User,
    approver: User,
    rng: random.Random,
    failure_rate: float,
) -> PayoutRound:
    round_ = services.draft_round(actor=creator, rule_set=rule_set, title=title, reference_date=day)
    # District review: a few lines taken out with a reason, one note.
    lines = list(Payout.objects.filter(round=round_).select_related("person").order_by("id"))
    for payout, reason in zip(
        rng.sample(lines, 3),
        [ExclusionReason.UNREACHABLE, ExclusionReason.REFUSED, ExclusionReason.DECEASED],
        strict=True,
    ):
        services.exclude_payout(actor=creator, payout=payout, reason=reason, note="区县审核")
    services.note_payout(actor=creator, payout=lines[0], note="本人要求上门送达")
    # The round page lists the people without an account number or bank (approval waits for
    # them); the districts complete their records. No random draw here, so the figures stay.
    missing = Person.objects.filter(
        pk__in=Payout.objects.filter(round=round_, excluded=False).values("person_id")
    ).filter(Q(bank_account_encrypted="") | Q(bank_name=""))
    for person in missing.order_by("pk"):
        update_person(
            actor=creator,
            person=person,
            bank_account=f"62155{person.pk:014d}",
            bank_name=person.bank_name or "宁波银行",
        )
    # 区县确认上报: the districts with a demo account confirm and report their lines.
    for user in User.objects.filter(username__in=["yinzhou", "haishu"]).order_by("username"):
        in_round = Payout.objects.filter(round=round_).values("district_id")
        for district in regions_visible_to(user).filter(pk__in=in_round).order_by("sort", "code"):
            services.report_district(actor=user, round_=round_, district=district)
    round_ = services.approve_round(actor=approver, round_=round_)
    services.export_bank_file(actor=approver, round_=round_, layout=BankLayout.objects.get(is_default=True))
    services.import_results(
        actor=creator,
        round_=round_,
        data=_return_file(round_, rng, failure_rate),
        filename="回盘.xlsx",
        visible=Payout.objects.all(),
    )
    return round_


@core_points.demo_data
@transaction.atomic
def build(*, size: int, seed: int, stdout: Any) -> None:
    load_reference()
    if PayoutRound.objects.exists():
        stdout.write("  payments: rounds exist, left alone")
        return
    creator = User.objects.filter(username="city").first()
    if creator is None:
        stdout.write("  payments: no demo account 'city', skipped")
        return
    approver = _approver()
    rng = random.Random(seed)
    kind = BenefitKind.objects.get(code="spring_festival")
    rules_2025 = services.create_rule_set(
        actor=creator, kind=kind, year=2025, name="2025年春节慰问金发放规则", rules=RULES_2025
    )
    first = _run_round(
        rule_set=rules_2025,
        title="2025年春节慰问金",
        day=dt.date(2025, 1, 10),
        creator=creator,
        approver=approver,
        rng=rng,
        failure_rate=0.01,
    )
    services.close_round(actor=approver, round_=first)

    rules_2026 = services.create_rule_set(
        actor=creator,
        kind=kind,
        year=2026,
        name="2026年春节慰问金发放规则",
        rules={**RULES_2026, "amount_city": "800"},
        note="初稿：市级 800 元",
    )
    services.save_rule_version(
        actor=creator, rule_set=rules_2026, rules=RULES_2026, note="市级劳模首次纳入春节慰问，标准调整为 1000 元"
    )
    second = _run_round(
        rule_set=rules_2026,
        title="2026年春节慰问金",
        day=dt.date(2026, 1, 15),
        creator=creator,
        approver=approver,
        rng=rng,
        failure_rate=0.008,
    )
    services.close_round(actor=approver, round_=second)
    follow = services.create_follow_up_round(actor=creator, round_=second)

    totals = round_totals(second)
    city_first = Payout.objects.filter(
        round=second, excluded=False, result="paid", first_time=True, level="city"
    ).count()
    stdout.write(
        f"  payments: {second.title} paid ¥{totals.paid_total:,.2f} to {totals.paid_people} people, "
        f"{city_first} city-level for the first time; follow-up draft with "
        f"{Payout.objects.filter(round=follow).count()} lines"
    )
    assert totals.approved_total == totals.paid_total + totals.failed_total + totals.returned_total + Decimal(0)
