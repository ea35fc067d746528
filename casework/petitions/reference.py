"""casework.petitions: idempotent reference data (called by ``casework/reference.py``): the deadline
rules (2022 信访工作条例, working days) and the category dictionary. Rows staff edited are kept."""

from casework.models import DEFAULT_DEADLINES, DeadlineRule, PetitionCategory

CATEGORIES = ["劳动就业", "社会保障", "工资待遇", "劳模待遇", "住房", "医疗", "其他"]


def load() -> None:
    for key, days in DEFAULT_DEADLINES.items():
        DeadlineRule.objects.get_or_create(key=key, defaults={"days": days, "working_days": True})
    for order, name in enumerate(CATEGORIES, 1):
        PetitionCategory.objects.get_or_create(name=name, defaults={"order": order * 10})
