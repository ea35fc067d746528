"""trips.checkups: what it does when a person is shown, merged or changed (called by ``trips/hooks.py``).

``on_person_merged`` must name every model of this part with a foreign key to Person (a test reads
this module): CheckupBooking and CheckupProfile."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Actor
from core.permissions import has_perm
from people.history import Section
from people.panels import Panel
from trips.checkups.services import _free_place, refresh_profiles
from trips.models.checkups import TAKING, CheckupBooking, CheckupProfile

REFRESH_FIELDS = frozenset({"created", "status", "region", "merged"})


def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    """Bookings move to ``keep`` (where ``keep`` has one for the same campaign, the duplicate's goes
    and its place is freed); the duplicate's CheckupProfile goes, ``keep`` takes the later last year."""
    with transaction.atomic():
        have = set(CheckupBooking.objects.filter(person=keep).values_list("campaign_id", flat=True))
        for b in CheckupBooking.objects.filter(person=duplicate, campaign_id__in=have):
            if b.status in TAKING:
                _free_place(b.slot_id)
            b.delete()
        CheckupBooking.objects.filter(person=duplicate).update(person=keep, district_id=keep.district_id)
        dup = CheckupProfile.objects.filter(person=duplicate).first()
        mine = CheckupProfile.objects.filter(person=keep).first()
        if dup is not None and mine is not None and (dup.last_year or 0) > (mine.last_year or 0):
            mine.last_year = dup.last_year
            mine.save(update_fields=["last_year"])
        CheckupProfile.objects.filter(person=duplicate).delete()


def on_person_changed(*, person_ids: Collection[int], fields: Collection[str], actor: Actor = None) -> None:
    """Keep each person's check-up profile (district, status, due year) in step."""
    if REFRESH_FIELDS.isdisjoint(fields):
        return
    refresh_profiles(person_ids)


def person_panels(*, user: Any, person: Any) -> list[Panel]:
    if not has_perm(user, "trips.checkups_view"):
        return []
    rows = [
        [
            b.campaign.year,
            b.slot.hospital.name,
            f"{b.slot.date:%Y-%m-%d}",
            b.get_status_display(),
            b.get_result_display() if b.result else "—",
        ]
        for b in CheckupBooking.objects.visible_to(user)
        .filter(person=person)
        .select_related("campaign", "slot", "slot__hospital")
        .order_by("-campaign__year")[:10]
    ]
    if not rows:
        return []
    return [Panel(title=_("体检"), headers=[_("年度"), _("医院"), _("日期"), _("状态"), _("结果")], rows=rows)]


def portal_sections(*, user: Any, person: Any) -> list[Section]:
    return []
