from __future__ import annotations

from typing import Any

from census import selectors, services
from census.models import CensusRecord, ChangeProposal, PersonalLink, RecordState, Source
from core.models import AuditEntry
from people import services as people_services
from people.models import Person


def _duplicate_of_a(cast: Any) -> Person:
    return people_services.create_person(actor=None, region=cast.region_a, name="万亚勇", gender="M")


def test_merge_reconciles_records_in_the_same_campaign_and_moves_the_others(cast: Any) -> None:
    duplicate = _duplicate_of_a(cast)
    only_dup = services.open_campaign(actor=cast.city, year=2025, districts=[cast.region_a])
    # 2025: only the duplicate was in the campaign (keep was opened later in the registry).
    CensusRecord.objects.filter(campaign=only_dup, person=cast.person_a).delete()
    dup_2025 = only_dup.records.get(person=duplicate)
    services.confirm_record(actor=cast.district_a, record=dup_2025)
    # 2026: both records, the duplicate's has a proposal waiting and a personal link.
    both = services.open_campaign(actor=cast.city, year=2026)
    keep_2026 = both.records.get(person=cast.person_a)
    dup_2026 = both.records.get(person=duplicate)
    services.mark_unreachable(actor=cast.district_a, record=keep_2026, reason="电话停机")
    proposal = services.propose_changes(
        actor=cast.district_a, record=dup_2026, data={"address": "鄞州区钱湖北路 1 号"}, source=Source.STAFF
    )
    assert proposal is not None
    services.create_personal_link(actor=cast.district_a, record=dup_2026)

    people_services.merge_people(actor=cast.city, keep=cast.person_a, duplicate=duplicate)

    assert sorted(CensusRecord.objects.values_list("campaign__year", "person__name", "person_id", "state")) == [
        (2025, "万亚勇", cast.person_a.pk, "confirmed"),
        (2026, "万亚勇", cast.person_a.pk, "changed"),
        (2026, "单秀英", cast.person_b.pk, "pending"),
    ]
    assert CensusRecord.objects.filter(person=duplicate).count() == 0
    record = both.records.get(person=cast.person_a)
    assert record.pk == keep_2026.pk
    assert (record.reason, record.source) == ("", "staff")
    assert list(ChangeProposal.objects.values_list("record_id", "status")) == [(record.pk, "pending")]
    assert list(PersonalLink.objects.values_list("record_id", flat=True)) == [record.pk]
    entries = AuditEntry.objects.filter(action="census.record.merged").order_by("id")
    assert [(e.object_id, e.changes) for e in entries] == [
        (str(dup_2025.pk), {"duplicate": duplicate.pk, "keep": cast.person_a.pk, "moved": True}),
        (
            str(record.pk),
            {
                "duplicate": duplicate.pk,
                "keep": cast.person_a.pk,
                "state": ["unreachable", "changed"],
                "duplicate_state": "changed",
            },
        ),
    ]
    # The reconciled record is reviewed like any other, and the campaign closes.
    change = proposal.changes.get()
    services.review_proposal(actor=cast.city, proposal=proposal, decisions={change.pk: True})
    cast.person_a.refresh_from_db()
    assert cast.person_a.address == "鄞州区钱湖北路 1 号"
    assert selectors.campaign_figures(None, both)["total"]["total"] == 2


def test_merge_keeps_the_further_state_of_the_two(cast: Any) -> None:
    duplicate = _duplicate_of_a(cast)
    campaign = services.open_campaign(actor=cast.city, year=2026)
    services.confirm_record(actor=cast.district_a, record=campaign.records.get(person=cast.person_a))
    dup_record = campaign.records.get(person=duplicate)
    CensusRecord.objects.filter(pk=dup_record.pk).update(state=RecordState.REVIEWED, corrected=True)
    people_services.merge_people(actor=cast.city, keep=cast.person_a, duplicate=duplicate)
    record = campaign.records.get(person=cast.person_a)
    assert (record.state, record.corrected) == ("reviewed", True)
    assert campaign.records.count() == 2

    # The other way round: keep's further state is not lowered by a pending duplicate.
    second = people_services.create_person(actor=None, region=cast.region_a, name="万亚勇", gender="M")
    CensusRecord.objects.create(campaign=campaign, person=second, district=cast.region_a)
    people_services.merge_people(actor=cast.city, keep=cast.person_a, duplicate=second)
    record.refresh_from_db()
    assert (record.state, record.corrected) == ("reviewed", True)
    assert campaign.records.count() == 2
