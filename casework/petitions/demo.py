"""casework.petitions: deterministic demo data (called by ``casework/demo.py``): over a thousand
letters, calls and visits over 2020–2021 (the seed's "上千次") — mostly closed with an answer and the
petitioner's satisfaction, some late, some repeats (linked), some extended — and a handful of open
cases received in the last weeks so today's work lists (待告知, 即将到期, 已超期) have something in
them. Its own random stream (seed + 1202): it changes no earlier draw."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from casework.models import (
    ExtensionStatus,
    PetitionCase,
    PetitionCategory,
    PetitionChannel,
    PetitionExtension,
    PetitionKind,
    PetitionStage,
    PetitionStatus,
    PetitionTransfer,
    Satisfaction,
)
from core.errors import DomainError
from core.models import Region, RegionKind, Role, User
from core.workdays import load_year, missing_years

SEED_OFFSET = 1202
FIRST, LAST = dt.date(2020, 1, 1), dt.date(2021, 12, 31)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "建国红梅志强秀英海燕国平丽华永明桂芳德胜玉兰文军春花卫东小红晓东淑珍宝山金凤"
MATTERS: list[tuple[str, str]] = [
    (PetitionKind.INQUIRY, "咨询劳模荣誉津贴的发放标准和时间"),
    (PetitionKind.INQUIRY, "咨询退休劳模医疗补助如何申请"),
    (PetitionKind.INQUIRY, "咨询劳模疗休养的报名条件"),
    (PetitionKind.APPEAL, "申请困难帮扶，家中有重病人，经济困难"),
    (PetitionKind.APPEAL, "反映所在单位未落实劳模退休待遇，请求协调"),
    (PetitionKind.APPEAL, "反映劳模身份认定材料遗失，请求补办证明"),
    (PetitionKind.COMPLAINT, "投诉单位拖欠劳模荣誉津贴"),
    (PetitionKind.COMPLAINT, "反映企业拖欠工资，请求工会介入"),
    (PetitionKind.SUGGESTION, "建议增加劳模疗休养名额并照顾高龄劳模"),
    (PetitionKind.SUGGESTION, "建议在社区设立劳模工匠服务点"),
]
# The category of each matter (no draw: the random stream is unchanged).
MATTER_CATEGORY = {
    "咨询劳模荣誉津贴的发放标准和时间": "劳模待遇",
    "咨询退休劳模医疗补助如何申请": "医疗",
    "咨询劳模疗休养的报名条件": "劳模待遇",
    "申请困难帮扶，家中有重病人，经济困难": "社会保障",
    "反映所在单位未落实劳模退休待遇，请求协调": "劳模待遇",
    "反映劳模身份认定材料遗失，请求补办证明": "其他",
    "投诉单位拖欠劳模荣誉津贴": "劳模待遇",
    "反映企业拖欠工资，请求工会介入": "工资待遇",
    "建议增加劳模疗休养名额并照顾高龄劳模": "劳模待遇",
    "建议在社区设立劳模工匠服务点": "其他",
}
ANSWERS = [
    "已电话答复政策依据和办理流程，信访人表示理解。",
    "已协调所在单位落实相关待遇，单位承诺按月发放。",
    "已转区总工会帮扶中心核实，符合条件的已纳入帮扶。",
    "经核查，所反映情况不符合政策规定，已书面说明理由。",
    "建议已收悉，转有关部门研究采纳，并书面回复。",
]
EXTENSION_REASONS = ["需多部门会商核实", "涉及单位改制历史遗留问题，需调阅档案", "信访人补充材料，需再次核实"]


def _ensure_calendar(today: dt.date) -> None:
    """The work lists count 即将到期 in working days: the calendar must hold this year and next."""
    for year in missing_years([today.year, today.year + 1]):
        try:
            load_year(year)
        except DomainError:
            load_year(year, plain=True)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2])


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def build(*, size: int, seed: int, stdout: Any) -> None:
    if PetitionCase.objects.exists():
        return
    districts = list(Region.objects.filter(kind=RegionKind.DISTRICT).order_by("sort", "code"))
    if not districts:
        return
    today = timezone.localdate()
    _ensure_calendar(today)
    rng = random.Random(seed + SEED_OFFSET)
    categories = {c.name: c for c in PetitionCategory.objects.all()}
    handlers = list(User.objects.filter(role_assignments__role=Role.CITY_STAFF).distinct().order_by("id"))
    weights = [rng.randint(1, 5) for _d in districts]  # some districts busier than others
    channels = [PetitionChannel.CALL] * 9 + [PetitionChannel.VISIT] * 5 + [PetitionChannel.LETTER] * 4
    channels += [PetitionChannel.ONLINE] * 2
    span = (LAST - FIRST).days + 1
    count = max(40, size // 2)  # 1,146 with the default registry of 2,293 people
    rows: list[PetitionCase] = []
    petitioners: list[tuple[str, str, Region, dt.date]] = []  # (name, mobile, district, received)
    for _n in range(count):
        received = FIRST + dt.timedelta(days=rng.randrange(span))
        if petitioners and rng.random() < 0.1:  # comes back within months: same phone (重复件, linked below)
            name, mobile, district, before = rng.choice(petitioners)
            received = min(LAST, before + dt.timedelta(days=rng.randint(7, 150)))
        else:
            name, mobile = _name(rng), _mobile(rng) if rng.random() < 0.85 else ""
            district = rng.choices(districts, weights)[0]
            petitioners.append((name, mobile, district, received))
        kind, matter = rng.choice(MATTERS)
        extended = rng.randint(10, 30) if rng.random() < 0.07 else 0
        due = received + dt.timedelta(days=60 + extended)
        late_notice = rng.random() < 0.05
        noticed = received + dt.timedelta(days=rng.randint(16, 25) if late_notice else rng.randint(1, 15))
        late_close = rng.random() < 0.06
        closed = (
            due + dt.timedelta(days=rng.randint(1, 20))
            if late_close
            else received + dt.timedelta(days=rng.randint(5, 60 + extended))
        )
        closed = max(closed, noticed)
        r = rng.random()
        satisfaction = (
            Satisfaction.SATISFIED if r < 0.7 else Satisfaction.BASIC if r < 0.92 else Satisfaction.UNSATISFIED
        )
        rows.append(
            PetitionCase(
                number=f"tmp{_n}",
                channel=rng.choice(channels),
                kind=kind,
                category=categories.get(MATTER_CATEGORY[matter]),
                name=name,
                mobile=mobile,
                matter=matter,
                district=district,
                handler=rng.choice(handlers) if handlers else None,
                received_on=received,
                notice_due=received + dt.timedelta(days=15),
                noticed_on=noticed,
                due=due,
                extended_days=extended,
                extension_reason=rng.choice(EXTENSION_REASONS) if extended else "",
                status=PetitionStatus.CLOSED,
                answer=rng.choice(ANSWERS),
                satisfaction=satisfaction,
                closed_on=closed,
            )
        )
    rows.sort(key=lambda c: c.received_on)
    # Open cases of the last weeks: (days ago received, status, extension) — 待告知, 即将到期, 已超期.
    recent = [(d, PetitionStatus.RECEIVED, 0) for d in (1, 2, 4, 6, 9, 12, 17)]
    recent += [(d, PetitionStatus.HANDLING, 0) for d in (20, 33, 45, 58, 59, 61, 66, 75)]
    recent += [(80, PetitionStatus.HANDLING, 30), (95, PetitionStatus.HANDLING, 30)]
    for ago, status, extended in recent:
        received = today - dt.timedelta(days=ago)
        kind, matter = rng.choice(MATTERS)
        rows.append(
            PetitionCase(
                number=f"tmp-r{ago}",
                channel=rng.choice(channels),
                kind=kind,
                category=categories.get(MATTER_CATEGORY[matter]),
                name=_name(rng),
                mobile=_mobile(rng),
                matter=matter,
                district=rng.choices(districts, weights)[0],
                handler=rng.choice(handlers) if handlers else None,
                received_on=received,
                notice_due=received + dt.timedelta(days=15),
                noticed_on=received + dt.timedelta(days=rng.randint(2, 12))
                if status != PetitionStatus.RECEIVED
                else None,
                due=received + dt.timedelta(days=60 + extended),
                extended_days=extended,
                extension_reason=rng.choice(EXTENSION_REASONS) if extended else "",
                status=status,
            )
        )
    created = PetitionCase.objects.bulk_create(rows, batch_size=500)
    if created and created[0].pk is None:  # a backend that does not return keys
        created = list(PetitionCase.objects.order_by("id"))
    last_by_mobile: dict[str, PetitionCase] = {}
    repeats = 0
    for case in created:
        case.number = f"XF{case.received_on:%Y}{case.pk:07d}"
        earlier = last_by_mobile.get(case.mobile) if case.mobile else None
        if earlier and (case.received_on - earlier.received_on).days <= 180:
            case.repeat_of = earlier.repeat_of or earlier
            repeats += 1
        if case.mobile:
            last_by_mobile[case.mobile] = case
    PetitionCase.objects.bulk_update(created, ["number", "repeat_of"], batch_size=500)
    _approved_extensions(created, handlers)
    reviews = _reviews(created)
    transfers = _transfers(created, handlers)
    closed_count = sum(1 for c in created if c.status == PetitionStatus.CLOSED)
    stdout.write(
        f"casework.petitions: {len(created)} letters/calls/visits ({closed_count} closed in 2020–2021, "
        f"{repeats} repeats, {sum(1 for c in created if c.extended_days)} extended, {len(recent)} open, "
        f"{reviews} reviews, {transfers} transferred)\n"
    )


def _approved_extensions(cases: list[PetitionCase], handlers: list[User]) -> None:
    """Each extended case's request, asked by its handler and approved by another city clerk (no draw)."""
    if len(handlers) < 2:
        return
    rows = []
    for case in cases:
        if not case.extended_days or case.handler is None:
            continue
        approver = next(h for h in handlers if h.pk != case.handler.pk)
        decided = dt.datetime.combine(case.received_on + dt.timedelta(days=50), dt.time(10), tzinfo=dt.UTC)
        rows.append(
            PetitionExtension(
                case=case,
                days=case.extended_days,
                reason=case.extension_reason,
                status=ExtensionStatus.APPROVED,
                requested_by=case.handler,
                decided_by=approver,
                decided_at=decided,
            )
        )
    PetitionExtension.objects.bulk_create(rows, batch_size=500)


def _reviews(cases: list[PetitionCase]) -> int:
    """Every third 不满意 closed case asked for a 复查 five days after the answer, answered in 15 (no draw)."""
    unsatisfied = [(c, c.closed_on) for c in cases if c.satisfaction == Satisfaction.UNSATISFIED and c.closed_on]
    rows = []
    for case, closed_on in unsatisfied[::3]:
        received = closed_on + dt.timedelta(days=5)
        if received > LAST:
            continue
        rows.append(
            PetitionCase(
                number=f"tmp-v{case.pk}",
                channel=case.channel,
                kind=case.kind,
                category=case.category,
                stage=PetitionStage.REVIEW,
                review_of=case,
                name=case.name,
                mobile=case.mobile,
                matter=case.matter,
                district=case.district,
                handler=case.handler,
                received_on=received,
                notice_due=received,
                noticed_on=received,
                due=received + dt.timedelta(days=30),
                status=PetitionStatus.CLOSED,
                answer="经复查，原答复意见符合政策规定，予以维持。",
                satisfaction=Satisfaction.BASIC,
                closed_on=received + dt.timedelta(days=15),
            )
        )
    created = PetitionCase.objects.bulk_create(rows, batch_size=500)
    if created and created[0].pk is None:
        created = list(PetitionCase.objects.filter(stage=PetitionStage.REVIEW).order_by("id"))
    for review in created:
        review.number = f"XF{review.received_on:%Y}{review.pk:07d}"
    PetitionCase.objects.bulk_update(created, ["number"], batch_size=500)
    return len(created)


def _transfers(cases: list[PetitionCase], handlers: list[User]) -> int:
    """Every 40th case was handed from its first handler to another city clerk (no draw)."""
    if len(handlers) < 2:
        return 0
    rows, moved = [], []
    for case in cases[::40]:
        if case.handler is None:
            continue
        to = next(h for h in handlers if h.pk != case.handler.pk)
        rows.append(
            PetitionTransfer(
                case=case,
                from_district=case.district,
                from_handler=case.handler,
                to_district=case.district,
                to_handler=to,
                by=case.handler,
                reason="按属地管理和职责分工转办",
            )
        )
        case.handler = to
        moved.append(case)
    PetitionTransfer.objects.bulk_create(rows, batch_size=500)
    PetitionCase.objects.bulk_update(moved, ["handler"], batch_size=500)
    return len(rows)
