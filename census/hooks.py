"""How the census follows a merge of two person records (called inside ``merge_people``'s
transaction, after the duplicate has been pointed at ``keep``)."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from core.audit import log_action
from core.models import Actor
from people import extensions as people_points
from people.history import Item, Section

from .models import CensusRecord, ChangeProposal, PersonalLink, RecordState
from .selectors import own_records

# How far a record has got; on a clash the further one wins. A record waiting for review stays
# "changed" whatever the other says (its proposal still needs a decision), unless it is "deceased".
STATE_RANK = {
    RecordState.PENDING: 0,
    RecordState.UNREACHABLE: 1,
    RecordState.CONFIRMED: 2,
    RecordState.CHANGED: 3,
    RecordState.REVIEWED: 4,
    RecordState.DECEASED: 5,
}


@people_points.person_merged
def on_person_merged(*, keep: Any, duplicate: Any, actor: Actor = None) -> None:
    """Census records of the duplicate move to ``keep``: one record per person per campaign.
    Where both have a record in the same campaign, ``keep``'s row stays and takes the further
    state (with its reason, source and who/when), the duplicate's proposals and personal links
    move onto it, and the duplicate's record is deleted. Each reconciled record is logged."""
    mine = {r.campaign_id: r for r in CensusRecord.objects.select_for_update().filter(person=keep)}
    for other in CensusRecord.objects.select_for_update().filter(person=duplicate).select_related("campaign"):
        record = mine.get(other.campaign_id)
        if record is None:
            CensusRecord.objects.filter(pk=other.pk).update(person=keep)
            log_action(
                actor,
                "census.record.merged",
                other,
                changes={"duplicate": duplicate.pk, "keep": keep.pk, "moved": True},
                object_repr=f"{other.campaign} · {keep}",
            )
            continue
        before = record.state
        ChangeProposal.objects.filter(record=other).update(record=record)
        PersonalLink.objects.filter(record=other).update(record=record)
        if STATE_RANK[RecordState(other.state)] > STATE_RANK[RecordState(record.state)]:
            record.state, record.reason, record.source = other.state, other.reason, other.source
            record.updated_by_id, record.updated_at = other.updated_by_id, other.updated_at
        waiting = ChangeProposal.objects.filter(record=record, status=ChangeProposal.Status.PENDING).exists()
        if waiting and record.state != RecordState.DECEASED:
            record.state = RecordState.CHANGED
        record.corrected = record.corrected or other.corrected
        record.save(update_fields=["state", "reason", "source", "corrected", "updated_by", "updated_at"])
        other.delete()
        log_action(
            actor,
            "census.record.merged",
            record,
            changes={
                "duplicate": duplicate.pk,
                "keep": keep.pk,
                "state": [before, record.state],
                "duplicate_state": other.state,
            },
            object_repr=f"{record.campaign} · {keep}",
        )


@people_points.person_history
def portal_sections(*, user: Any, person: Any) -> list[Section]:
    """我的普查: each census's answer for the person, and what they asked to change."""
    items = []
    for record in own_records(user).filter(person=person):
        lines = []
        if record.updated_at:
            lines.append(_("登记时间：%(d)s") % {"d": date_format(localtime(record.updated_at), "DATE_FORMAT")})
        if record.reason:
            lines.append(record.reason)
        for proposal in record.proposals.all():
            for change in proposal.changes.all():
                lines.append(
                    _("%(label)s：%(before)s → %(after)s（%(status)s）")
                    % {
                        "label": change.label,
                        "before": change.before or _("空"),
                        "after": change.after or _("空"),
                        "status": proposal.get_status_display(),
                    }
                )
        items.append(Item(title=record.campaign.title, lines=lines, tag=record.get_state_display()))
    return [Section(title=_("我的普查"), items=items, order=30, empty_text=_("暂无普查记录"))]
