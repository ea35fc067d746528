"""Tell the city of travellers not cleared at the checklist lock (24 h before departure); run hourly."""

from typing import Any

from django.core.management.base import BaseCommand

from trips.journeys import services


class Command(BaseCommand):
    help = "疗休养：出发前24小时锁定时，将未核查完毕的人员报市总"

    def handle(self, *args: Any, **options: Any) -> None:
        n = services.flag_uncleared()
        self.stdout.write(f"flagged batches: {n}")
