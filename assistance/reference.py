"""The help-category catalogue and the notification templates an installation starts with.
Both are edited by staff afterwards; loading again only adds what is missing."""

from __future__ import annotations

from django.db import transaction

from assistance.models import Category
from core import extensions as core_points
from core.notify import ensure_templates
from people.models import Trade

# code, name, trade codes (people.reference.TRADES), keywords
CATEGORIES = [
    ("automation", "自动化改造", ["09", "10", "27"], "自动化 机器人 PLC 产线 改造 减员 增效"),
    ("welding", "焊接工艺", ["02"], "焊接 焊缝 气孔 氩弧焊 电焊 变形"),
    ("electrical", "电气维修", ["01", "09"], "电气 电机 配电 线路 故障 电缆"),
    ("machining", "机械加工", ["03", "04", "05", "06"], "加工 车削 铣削 数控 精度 刀具"),
    ("moulds", "模具", ["07"], "模具 注塑 冲压 开模 修模"),
    ("equipment", "设备维修", ["08", "28"], "设备 维修 保养 故障 停机 绕线"),
    ("quality", "质量管理", ["12"], "质量 检验 废品率 良品率 合格率"),
    ("safety", "安全生产", ["13", "14"], "安全 隐患 消防 防护"),
    ("energy", "节能降耗", ["25", "26"], "节能 光伏 能耗 电费 降耗"),
    ("training", "技能培训", ["20"], "培训 带徒 技能 考证"),
    ("other", "其他", [], ""),
]

TEMPLATES = [
    (
        "assistance.invited",
        "帮扶邀请",
        "技术帮扶邀请",
        "【劳模工匠服务】{{ name }}您好，{{ org }}需要{{ category }}方面的技术帮扶，"
        "诚邀您参加{{ team }}。请点击链接答复：",
    ),
    (
        "assistance.reminder",
        "帮扶邀请提醒",
        "技术帮扶邀请待答复",
        "【劳模工匠服务】{{ name }}您好，{{ org }}的技术帮扶邀请还在等您答复，请点击链接：",
    ),
    (
        "assistance.status",
        "帮扶需求进展",
        "您的帮扶需求有新进展",
        "【劳模工匠服务】您提交的帮扶需求{{ number }}：{{ text }}",
    ),
    (
        "assistance.unanswered",
        "邀请无人答复",
        "帮扶邀请无人答复",
        "帮扶需求{{ number }}（{{ org }}）的邀请已{{ hours }}小时无人答复，请另行安排。",
    ),
]


@core_points.reference_data
@transaction.atomic
def load() -> None:
    trades = {t.code: t for t in Trade.objects.all()}
    for i, (code, name, trade_codes, keywords) in enumerate(CATEGORIES):
        category, created = Category.objects.get_or_create(
            code=code, defaults={"name": name, "keywords": keywords, "sort": i}
        )
        if created:
            category.trades.set([trades[c] for c in trade_codes if c in trades])
    ensure_templates(TEMPLATES)
