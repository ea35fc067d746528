"""What an installation starts with: the benefit kinds and a bank file layout (all editable)."""

from __future__ import annotations

from django.db import transaction

from core import extensions as core_points
from payments.models import BankLayout, BenefitKind

KINDS = [
    ("spring_festival", "春节慰问金", "每年春节前向市级及以上劳模发放的慰问金"),
    ("honour_allowance", "劳模荣誉津贴", "按荣誉级别定期发放的津贴"),
    ("hardship_topup", "困难劳模补助", "向困难劳模发放的帮扶补助"),
]

DEFAULT_LAYOUT = [
    {"field": "seq", "header": "序号"},
    {"field": "account", "header": "收款账号"},
    {"field": "account_name", "header": "收款户名"},
    {"field": "amount", "header": "金额"},
    {"field": "bank_name", "header": "开户行"},
    {"field": "reference", "header": "业务编号"},
    {"field": "remark", "header": "用途"},
]


@core_points.reference_data
@transaction.atomic
def load() -> None:
    for i, (code, name, description) in enumerate(KINDS):
        BenefitKind.objects.get_or_create(code=code, defaults={"name": name, "description": description, "sort": i})
    if not BankLayout.objects.exists():
        BankLayout.objects.create(name="通用代发格式", bank_name="", columns=DEFAULT_LAYOUT, is_default=True)
