"""casework.hardship: idempotent reference data (called by ``casework/reference.py``)."""

from casework.models.hardship import HardshipConfig, HardshipTerm, TermKind

CATEGORIES = ["深度困难", "相对困难", "意外致困"]
CAUSES = ["因病", "因残", "意外事故", "家庭成员失业", "自然灾害", "子女就学", "其他"]


def load() -> None:
    for order, name in enumerate(CATEGORIES, 1):
        HardshipTerm.objects.get_or_create(kind=TermKind.CATEGORY, name=name, defaults={"order": order})
    for order, name in enumerate(CAUSES, 1):
        HardshipTerm.objects.get_or_create(kind=TermKind.CAUSE, name=name, defaults={"order": order})
    HardshipConfig.current()
