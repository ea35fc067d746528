"""Reference data every installation starts with: the city's regions and the dictionaries.
Idempotent: running it again adds what is missing and changes nothing else."""

from __future__ import annotations

from django.db import transaction

from core import extensions, phonecodes
from core.models import DictItem, Region, RegionKind
from core.notify import ensure_templates
from core.reference import ningbo

ETHNICITIES = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]
POLITICAL = [
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民革党员",
    "民盟盟员",
    "民建会员",
    "民进会员",
    "农工党党员",
    "致公党党员",
    "九三学社社员",
    "台盟盟员",
    "无党派人士",
    "群众",
]
EDUCATION = ["博士研究生", "硕士研究生", "大学本科", "大学专科", "中专/中技", "高中", "初中", "小学"]

DICTS = {"ethnicity": ETHNICITIES, "political_status": POLITICAL, "education": EDUCATION}


def _region(
    code: str, name: str, short: str, kind: str, parent: Region | None, former: str = "", sort: int = 0
) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "short_name": short,
            "kind": kind,
            "parent": parent,
            "path": (parent.path if parent else "") + code + ".",
            "former_codes": former,
            "sort": sort,
        },
    )
    return region


@transaction.atomic
def load_core_reference() -> None:
    province = _region(*ningbo.PROVINCE, kind=RegionKind.PROVINCE, parent=None)
    city = _region(*ningbo.CITY, kind=RegionKind.CITY, parent=province)
    districts = {}
    for i, (code, name, short, former) in enumerate(ningbo.DISTRICTS):
        districts[code] = _region(code, name, short, RegionKind.DISTRICT, city, former, sort=i)
    for i, (code, name, short) in enumerate(ningbo.ZONES):
        districts[code] = _region(code, name, short, RegionKind.ZONE, city, sort=20 + i)
    for i, (code, parent_code, name) in enumerate(ningbo.STREETS):
        _region(code, name, "", RegionKind.STREET, districts[parent_code], sort=i)
    for dict_type, values in DICTS.items():
        for i, value in enumerate(values):
            DictItem.objects.get_or_create(dict_type=dict_type, value=value, defaults={"label": value, "sort": i})
    ensure_templates(phonecodes.TEMPLATES)


def load_all_reference() -> None:
    """Core first, then each app's ``reference_data`` (``<app>/reference.py`` ``load()``) in INSTALLED_APPS order."""
    load_core_reference()
    for load in extensions.reference_data.implementations():
        load()


def dict_choices(dict_type: str) -> list[tuple[str, str]]:
    return [(i.value, i.label) for i in DictItem.objects.filter(dict_type=dict_type, active=True)]
