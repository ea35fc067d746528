"""volunteering.teams: idempotent reference data (called by ``volunteering/reference.py``): the
dictionary of team specialties and the registry trades that qualify for each."""

from django.db import transaction

from people.models import Trade
from volunteering.models import Specialty

# (code, name, trade codes of people/reference.py TRADES)
SPECIALTIES = [
    ("medical", "医疗", ["19"]),
    ("agri", "农技", ["18"]),
    ("legal", "法律", ["21"]),
    ("culture", "文化", ["20"]),
    ("electric", "电工", ["01", "09", "10", "25"]),
    ("repair", "机修", ["08", "03", "04", "11", "28"]),
    ("plumbing", "水电抢修", ["17", "16"]),
    ("welding", "焊接", ["02"]),
    ("safety", "安全", ["13", "14"]),
    ("it", "信息技术", ["27"]),
]


@transaction.atomic
def load() -> None:
    trades = dict(Trade.objects.values_list("code", "pk"))
    for i, (code, name, trade_codes) in enumerate(SPECIALTIES):
        specialty, created = Specialty.objects.get_or_create(code=code, defaults={"name": name, "sort": i})
        if created:
            specialty.trades.set([trades[c] for c in trade_codes if c in trades])
