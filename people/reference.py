"""The honours catalogue and the trades catalogue an installation starts with (editable later)."""

from __future__ import annotations

from django.db import transaction

from core import extensions as core_points
from people.models import HonourTitle, Level, TitleKind, Trade

L, K = Level, TitleKind
# name, kind, level, enjoys_level, awarding body, aliases, for collectives
HONOUR_TITLES = [
    ("全国劳动模范", K.MODEL_WORKER, L.NATIONAL, "", "国务院", "全国劳模", False),
    ("全国先进工作者", K.MODEL_WORKER, L.NATIONAL, "", "国务院", "", False),
    ("浙江省劳动模范", K.MODEL_WORKER, L.PROVINCIAL, "", "浙江省人民政府", "省劳模,浙江省劳模", False),
    ("浙江省先进工作者", K.MODEL_WORKER, L.PROVINCIAL, "", "浙江省人民政府", "省先进工作者", False),
    ("部委级劳动模范", K.MODEL_WORKER, L.PROVINCIAL, "", "", "部级劳模,部委级劳模", False),
    ("全国五一劳动奖章", K.UNION_AWARD, L.NATIONAL, L.PROVINCIAL, "中华全国总工会", "全国五一奖章", False),
    ("浙江省五一劳动奖章", K.UNION_AWARD, L.PROVINCIAL, "", "浙江省总工会", "省五一劳动奖章", False),
    ("宁波市劳动模范", K.MODEL_WORKER, L.CITY, "", "宁波市人民政府", "市劳模,宁波市劳模", False),
    ("宁波市先进工作者", K.MODEL_WORKER, L.CITY, "", "宁波市人民政府", "", False),
    ("宁波市五一劳动奖章", K.UNION_AWARD, L.CITY, "", "宁波市总工会", "市五一劳动奖章", False),
    ("大国工匠年度人物", K.CRAFTSMAN, L.NATIONAL, "", "中华全国总工会", "大国工匠", False),
    ("浙江工匠", K.CRAFTSMAN, L.PROVINCIAL, "", "浙江省总工会", "", False),
    ("港城工匠", K.CRAFTSMAN, L.CITY, "", "宁波市总工会", "", False),
    ("宁波市首席工人", K.CRAFTSMAN, L.CITY, "", "宁波市总工会", "首席工人", False),
    ("全国模范集体", K.MODEL_WORKER, L.NATIONAL, "", "国务院", "", True),
    ("全国工人先锋号", K.UNION_AWARD, L.NATIONAL, "", "中华全国总工会", "", True),
    ("浙江省模范集体", K.MODEL_WORKER, L.PROVINCIAL, "", "浙江省人民政府", "", True),
    ("宁波市模范集体", K.MODEL_WORKER, L.CITY, "", "宁波市人民政府", "", True),
]

TRADES = [
    ("01", "电工", "电气"),
    ("02", "焊工", "加工制造"),
    ("03", "钳工", "加工制造"),
    ("04", "车工", "加工制造"),
    ("05", "铣工", "加工制造"),
    ("06", "数控机床操作工", "加工制造"),
    ("07", "模具工", "加工制造"),
    ("08", "机修钳工", "设备维修"),
    ("09", "电气自动化", "电气"),
    ("10", "工业机器人运维", "电气"),
    ("11", "汽车维修工", "交通运输"),
    ("12", "质量检验员", "质量"),
    ("13", "安全员", "安全"),
    ("14", "化工操作工", "化工"),
    ("15", "纺织服装（裁剪）", "轻工"),
    ("16", "建筑施工", "建筑"),
    ("17", "水暖工", "建筑"),
    ("18", "农业技术员", "农业"),
    ("19", "医护", "医疗卫生"),
    ("20", "教师", "教育"),
    ("21", "法律服务", "法律"),
    ("22", "美容美发", "生活服务"),
    ("23", "厨师", "生活服务"),
    ("24", "港口装卸机械司机", "交通运输"),
    ("25", "光伏设备运维", "能源"),
    ("26", "节能管理", "能源"),
    ("27", "软件与信息技术", "信息技术"),
    ("28", "家电维修", "生活服务"),
]


@core_points.reference_data
@transaction.atomic
def load() -> None:
    for i, (name, kind, level, enjoys, body, aliases, collective) in enumerate(HONOUR_TITLES):
        HonourTitle.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "level": level,
                "enjoys_level": enjoys,
                "awarding_body": body,
                "aliases": aliases,
                "for_collectives": collective,
                "sort": i,
            },
        )
    for i, (code, name, category) in enumerate(TRADES):
        Trade.objects.get_or_create(code=code, defaults={"name": name, "category": category, "sort": i})
