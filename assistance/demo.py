"""Demo technical help: the 2021 round "百名工匠进百企" with the seed's two cases, more served and
open requests around them, a few grids, and the matching index. Runs after the people demo and
takes its craftsmen from the registry; deterministic for a seed. Writes go through the services
(dates are moved back afterwards, the way a 2021 round would have been recorded then)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from assistance import matching, services
from assistance.creditcode import check_character
from assistance.models import Call, Category, HelpRequest
from core import extensions as core_points
from core.models import Region, RegionKind, User
from core.services import create_region
from people.models import Person, PersonStatus

GRIDS = [  # code, street code, name
    ("330212001001", "330212001", "中河第一网格"),
    ("330212001002", "330212001", "中河第二网格"),
    ("330212002001", "330212002", "首南第一网格"),
    ("330203001001", "330203001", "南门第一网格"),
]

# org, district code, street code or "", category, title, description
CASES = [
    (
        "宁波长青模具有限公司",
        "330206",
        "330206001",
        "moulds",
        "注塑模具冷却不均，产品翘曲",
        "汽车内饰件注塑后翘曲变形，怀疑模具冷却水路设计不合理，需要模具专家现场诊断。",
    ),
    (
        "慈溪市恒达电器有限公司",
        "330282",
        "330282001",
        "electrical",
        "车间配电频繁跳闸",
        "夏季用电高峰时车间配电柜频繁跳闸，影响生产，请电气专家排查线路和负荷。",
    ),
    (
        "余姚市精工机械厂",
        "330281",
        "330281001",
        "machining",
        "数控车床加工精度不稳定",
        "数控车床加工轴类零件尺寸波动大，刀具磨损快，希望提高加工精度。",
    ),
    (
        "宁波北仑港机维修服务部",
        "330206",
        "",
        "equipment",
        "门机减速箱异响",
        "港口门机减速箱运行异响、温升高，需要设备维修专家指导检修。",
    ),
    (
        "奉化区锦屏街道光明社区",
        "330213",
        "330213001",
        "safety",
        "老旧小区电动车充电安全隐患",
        "小区电动车飞线充电多，希望专家指导建设集中充电点并开展安全培训。",
    ),
    (
        "象山县丹城水产加工厂",
        "330225",
        "330225001",
        "energy",
        "冷库能耗过高",
        "冷库电费占成本比重大，希望节能专家评估制冷系统，降低能耗。",
    ),
    (
        "镇海区招宝山街道某化工配套企业",
        "330211",
        "330211001",
        "safety",
        "危化品仓库安全管理",
        "危化品仓库管理制度不健全，希望安全专家帮助完善并培训员工。",
    ),
    (
        "宁波江北华丰焊接件厂",
        "330205",
        "330205001",
        "welding",
        "不锈钢焊缝气孔多",
        "氩弧焊焊接不锈钢管件时焊缝气孔多，返工率高，请焊接专家指导工艺。",
    ),
    (
        "宁海县跃龙街道文具企业",
        "330226",
        "330226001",
        "automation",
        "装配工序人工多效率低",
        "文具装配工序依靠人工，希望通过简单自动化改造提高效率、减少用工。",
    ),
    (
        "海曙区鼓楼街道老字号食品店",
        "330203",
        "330203002",
        "quality",
        "产品合格率波动",
        "糕点产品合格率不稳定，希望质量管理专家帮助建立检验流程。",
    ),
    (
        "鄞州区洞桥镇农机合作社",
        "330212",
        "330212101",
        "equipment",
        "农机维修保养技术",
        "合作社农机故障多，希望专家上门培训维修保养技术。",
    ),
    (
        "慈溪市匡堰镇五金厂",
        "330282",
        "330282101",
        "training",
        "青年工人技能培训",
        "新进青年工人多，希望劳模工匠带徒传技，提升操作技能。",
    ),
]


def _code(rng: random.Random, district: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + district + "MA" + "".join(rng.choice(alphabet) for _ in range(7))
    return body + check_character(body)


def _craftsmen(category: Category, k: int, rng: random.Random, prefer: Region | None = None) -> list[Person]:
    trades = list(category.trades.values_list("pk", flat=True))
    qs = Person.objects.filter(merged_into__isnull=True, status=PersonStatus.WORKING)
    if trades:
        qs = qs.filter(skills__trade_id__in=trades)
    pool = list(qs.distinct().order_by("pk").values_list("pk", flat=True)[:400])
    if prefer is not None:
        local = list(qs.filter(district=prefer).distinct().order_by("pk").values_list("pk", flat=True)[:100])
        pool = local + [p for p in pool if p not in set(local)]
    if len(pool) < k:
        pool += [
            p
            for p in Person.objects.filter(status=PersonStatus.WORKING)
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
            if p not in pool
        ]
    chosen = pool[: max(k * 3, k)]
    rng.shuffle(chosen)
    ids = chosen[:k]
    people = Person.objects.in_bulk(ids)
    return [people[i] for i in ids]


def _request(
    *,
    org: str,
    district: Region,
    street: Region | None,
    category: Category,
    title: str,
    description: str,
    call: Call | None,
    requester: User | None,
    rng: random.Random,
    org_kind: str = "enterprise",
) -> HelpRequest:
    data = services.RequestData(
        org_kind=org_kind,
        org_name=org,
        credit_code=_code(rng, district.code) if org_kind == "enterprise" else "",
        address=f"{street.name if street else district.name}{rng.randint(1, 300)}号",
        district=district,
        street=street,
        contact_name=rng.choice(["林", "王", "陈", "张", "李", "周"]) + rng.choice(["经理", "主任", "厂长", "书记"]),
        contact_mobile=f"139{rng.randint(0, 99999999):08d}",
        category=category,
        title=title,
        description=description,
        urgency=rng.choice(["normal", "normal", "soon", "urgent"]),
        call=call,
    )
    return services.submit_request(
        actor=requester,
        data=data,
        channel="online" if requester else "phone",
        requester=requester,
        mobile_verified=requester is not None,
    )


def _serve(
    r: HelpRequest,
    people: list[Person],
    *,
    created: dt.datetime,
    visit_days: list[int],
    hours: str,
    work: str,
    outcome: dict[str, Any],
    measures: list[services.MeasureData],
    rating: int | None,
    comment: str = "",
) -> None:
    r = services.accept_request(actor=None, request=r)
    # The demo stands for staff who phone anyone the registry holds no mobile for.
    invitations = services.invite_people(
        actor=None, request=r, people=people, lead=people[0], unreachable_confirmed=True
    )
    for inv in invitations:
        services.answer_invitation(actor=None, invitation=inv, accept=True)
    for i, days in enumerate(visit_days):
        group = people if i == 0 else people[: max(1, len(people) // 2)]
        services.record_visit(
            actor=None,
            request=r,
            date=(created + dt.timedelta(days=days)).date(),
            work_done=work,
            participants=[(p, Decimal(hours)) for p in group],
        )
    services.record_outcome(actor=None, request=r, measures=measures, **outcome)
    if rating and r.requester_id:
        services.rate_request(actor=r.requester, request=r, rating=rating, comment=comment)
    elif rating:
        HelpRequest.objects.filter(pk=r.pk).update(rating=rating, rating_comment=comment)
    closed = created + dt.timedelta(days=max(visit_days) + 3)
    HelpRequest.objects.filter(pk=r.pk).update(
        number=f"JB{created:%Y}{r.pk:06d}",
        created=created,
        accepted_at=created + dt.timedelta(days=1),
        closed_at=closed,
        rated_at=closed if rating else None,
    )
    r.events.update(created=created)
    r.invitations.update(invited_at=created + dt.timedelta(days=1), answered_at=created + dt.timedelta(days=1))


@core_points.demo_data
@transaction.atomic
def build(*, size: int, seed: int, stdout: Any) -> None:
    if HelpRequest.objects.exists():
        stdout.write("  assistance: requests exist, left alone")
        return
    if not Person.objects.exists():
        stdout.write("  assistance: no people in the registry (run the people demo first), skipped")
        return
    rng = random.Random(seed + 5)
    regions = {
        r.code: r
        for r in Region.objects.filter(
            kind__in=[RegionKind.DISTRICT, RegionKind.ZONE, RegionKind.STREET, RegionKind.CITY]
        )
    }
    for code, street, name in GRIDS:
        if street in regions and not Region.objects.filter(code=code).exists():
            create_region(actor=None, code=code, name=name, kind=RegionKind.GRID, parent=regions[street])
    cats = {c.code: c for c in Category.objects.all()}
    requester = User.objects.filter(username="requester").first()
    tz = timezone.get_current_timezone()

    call_2021 = services.save_call(
        actor=None,
        call=None,
        title="2021年“百名工匠进百企”技术帮扶需求征集",
        starts=dt.date(2021, 3, 1),
        ends=dt.date(2021, 6, 30),
        scope=regions["330200"],
        description="面向中小企业、社区和村征集技术难题，劳模工匠上门“揭榜”服务。",
    )
    today = timezone.localdate()
    services.save_call(
        actor=None,
        call=None,
        title=f"{today.year}年技术帮扶需求征集",
        starts=dt.date(today.year, 1, 1),
        ends=dt.date(today.year, 12, 31),
        scope=regions["330200"],
        description="常态化征集。",
    )

    # The seed's first case: four craftsmen, and four people now do the work of eight.
    lin = _request(
        org="宁波市林工艺品有限公司",
        district=regions["330212"],
        street=regions["330212002"],
        category=cats["automation"],
        title="工艺品包装线用工多、效率低",
        description="包装线靠人工折盒、装箱，一条线需要8个人，希望通过自动化改造减少用工、提高效率。",
        call=call_2021,
        requester=requester,
        rng=rng,
    )
    _serve(
        lin,
        _craftsmen(cats["automation"], 4, rng, regions["330212"]),
        created=dt.datetime(2021, 3, 15, 9, 30, tzinfo=tz),
        visit_days=[6, 20, 35],
        hours="6",
        work="现场调研包装线，设计折盒工装和输送线，指导安装调试，培训操作工。",
        outcome={
            "solved": True,
            "problems_solved": 3,
            "workers_trained": 12,
            "workers_served": 40,
            "equipment_repaired": 2,
            "summary": "包装线改造后4个人干了原来8个人的活。",
        },
        measures=[
            services.MeasureData("包装线用工", "人", Decimal(8), Decimal(4)),
            services.MeasureData("每小时产量", "箱", Decimal(60), Decimal(95)),
        ],
        rating=5,
        comment="工匠们很专业，改造效果明显。",
    )
    # The second: nine experts on cable winding (集体会诊).
    renhe = _request(
        org="浙江人和光伏科技有限公司",
        district=regions["330226"],
        street=regions.get("330226001"),
        category=cats["equipment"],
        title="光伏电缆绕线工序断线、排线不齐",
        description="光伏电缆绕线机高速运行时频繁断线、排线不齐，废品率高，多次自行调整无效。",
        call=call_2021,
        requester=None,
        rng=rng,
    )
    _serve(
        renhe,
        _craftsmen(cats["equipment"], 9, rng),
        created=dt.datetime(2021, 4, 8, 10, 0, tzinfo=tz),
        visit_days=[9, 23],
        hours="5",
        work="9位劳模工匠集体会诊，检查绕线机张力控制和排线机构，调整工艺参数，更换导轮。",
        outcome={
            "solved": True,
            "problems_solved": 4,
            "workers_trained": 18,
            "workers_served": 60,
            "equipment_repaired": 6,
            "summary": "集体会诊解决电缆绕线难题。",
        },
        measures=[services.MeasureData("绕线废品率", "%", Decimal("6.5"), Decimal("1.2"))],
        rating=5,
        comment="九位专家一起会诊，解决了困扰我们半年的难题。",
    )
    # More of the 2021 round, served.
    for i, (org, d, s, cat, title, desc) in enumerate(CASES):
        r = _request(
            org=org,
            district=regions[d],
            street=regions.get(s) if s else None,
            category=cats[cat],
            title=title,
            description=desc,
            call=call_2021,
            requester=None,
            rng=rng,
            org_kind="community" if "社区" in org else ("village" if "合作社" in org else "enterprise"),
        )
        created = dt.datetime(2021, 3, 5, 9, 0, tzinfo=tz) + dt.timedelta(days=7 * i)
        n = rng.choice([1, 1, 2, 3])
        _serve(
            r,
            _craftsmen(cats[cat], n, rng, regions[d]),
            created=created,
            visit_days=sorted(rng.sample(range(2, 30), k=rng.choice([1, 2]))),
            hours=rng.choice(["2", "3", "4", "6"]),
            work="现场查看问题，讲解原理，指导调整并培训员工。",
            outcome={
                "solved": rng.random() > 0.1,
                "problems_solved": rng.randint(1, 4),
                "workers_trained": rng.randint(0, 30),
                "workers_served": rng.randint(5, 80),
                "equipment_repaired": rng.randint(0, 6),
                "summary": "",
            },
            measures=[],
            rating=rng.choice([4, 5, 5, None]),
        )
    # Open requests this year: waiting for triage, and one invitation waiting for the demo worker.
    open_cases = [
        (
            "宁波鄞州恒信机械有限公司",
            "330212",
            "330212001",
            "welding",
            "焊接机器人焊缝偏移",
            "新上的焊接机器人焊缝偏移，需要调整示教程序和夹具。",
        ),
        (
            "海曙区南门街道某服装厂",
            "330203",
            "330203001",
            "equipment",
            "缝纫设备老化故障多",
            "缝纫设备老化，故障停机多，希望专家指导维修保养。",
        ),
        (
            "北仑区新碶街道汽配企业",
            "330206",
            "330206001",
            "quality",
            "零件尺寸检验效率低",
            "零件尺寸全靠人工检验，效率低且漏检，希望改进检验方法。",
        ),
    ]
    opened = [
        _request(
            org=o,
            district=regions[d],
            street=regions.get(s),
            category=cats[c],
            title=t,
            description=desc,
            call=None,
            requester=requester if i == 0 else None,
            rng=rng,
        )
        for i, (o, d, s, c, t, desc) in enumerate(open_cases)
    ]
    waiting = services.accept_request(actor=None, request=opened[0])
    wan = Person.objects.filter(user__username="worker").first()
    if wan is not None:
        services.invite_people(actor=None, request=waiting, people=[wan], unreachable_confirmed=True)
    count = matching.refresh_profiles()
    stdout.write(f"  assistance: {HelpRequest.objects.count()} requests, {count} matching profiles")
