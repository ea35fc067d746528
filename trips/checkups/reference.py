"""trips.checkups: idempotent reference data (called by ``trips/reference.py``): the rules table
(在职 every year, 退休 every two years); staff edits are kept."""

from trips.models.checkups import CheckupRule


def load() -> None:
    for status, years, note in (
        ("working", 1, "在职劳模工匠每年体检一次"),
        ("retired", 2, "退休劳模工匠每两年体检一次"),
    ):
        CheckupRule.objects.get_or_create(status=status, defaults={"interval_years": years, "note": note})
