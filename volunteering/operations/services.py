"""Operations writes: dispatch, check-in/out with results, lending and returning equipment, closing
an incident. Every write is atomic, locks the rows two staff could collide on, and is audited."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import notify
from core.audit import log_action
from core.errors import DomainError
from core.models import Actor, Region
from core.scope import scope_for
from people.models import Person
from volunteering.models import (
    Answer,
    CallOutAnswer,
    CallOutStatus,
    Dispatch,
    DispatchStatus,
    EquipmentItem,
    EquipmentLoan,
    Incident,
    IncidentStatus,
    Need,
    NeedStatus,
)

ACTIVE = (DispatchStatus.DISPATCHED, DispatchStatus.ON_SITE)


def _check_region(actor: Actor, region: Region) -> None:
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.everything or any(region.path.startswith(p) for p in scope.region_paths):
        return
    raise DomainError(_("只能在本人负责的区域内操作"), field="region")


@transaction.atomic
def dispatch_person(*, actor: Actor, need: Need, person: Person) -> Dispatch:
    """Send a person who answered 可以去 to a need. The person's row is locked so two staff
    dispatching the same (last) electrician at once cannot both succeed."""
    need = Need.objects.select_for_update(of=("self",)).select_related("incident", "district").get(pk=need.pk)
    _check_region(actor, need.district)
    if need.incident.status != IncidentStatus.OPEN:
        raise DomainError(_("应急事件已结束"))
    if need.status == NeedStatus.CLOSED:
        raise DomainError(_("该需求已关闭"))
    person = Person.objects.select_for_update().get(pk=person.pk)
    answers = CallOutAnswer.objects.filter(callout__incident=need.incident, person=person).exclude(
        callout__status=CallOutStatus.WITHDRAWN
    )
    if answers.filter(answer=Answer.NO).exists() and not answers.filter(answer=Answer.YES).exists():
        raise DomainError(_("%(name)s 已答复“去不了”，不能派出") % {"name": person.name}, field="person")
    if not answers.filter(answer=Answer.YES).exists():
        raise DomainError(_("%(name)s 尚未答复“可以去”，不能派出") % {"name": person.name}, field="person")
    busy = Dispatch.objects.filter(person=person, status__in=ACTIVE).select_related("need").first()
    if busy is not None:
        raise DomainError(
            _("%(name)s 正在执行另一任务（%(place)s），不能同时派出") % {"name": person.name, "place": busy.need.place},
            field="person",
        )
    try:
        with transaction.atomic():
            d = Dispatch.objects.create(need=need, person=person, dispatched_at=timezone.now(), dispatched_by=actor)
    except IntegrityError as exc:
        raise DomainError(_("%(name)s 正在执行另一任务，不能同时派出") % {"name": person.name}) from exc
    sent = Dispatch.objects.filter(need=need).exclude(status=DispatchStatus.CANCELLED).count()
    if need.people_needed and sent >= need.people_needed and need.status == NeedStatus.OPEN:
        need.status = NeedStatus.COVERED
        need.save(update_fields=["status"])
    _tell_dispatched(d, need, person)
    log_action(actor, "volunteering.dispatch.created", d, changes={"need": need.place, "person": person.name})
    return d


def _tell_dispatched(d: Dispatch, need: Need, person: Person) -> None:
    """One in-app message (account holders) and one SMS (a mobile on file), each with the link to
    the phone page where the person checks in and reports (sent after commit by core.notify)."""
    link = reverse("volunteering:operations_my_tasks")
    subject = _("应急任务：%(place)s") % {"place": need.place}
    body = _("您已被派往 %(place)s（%(incident)s），请到达后在手机上签到，完成后签退并填写成果。") % {
        "place": need.place,
        "incident": need.incident.title,
    }
    if person.user_id:
        notify.send(channel="inapp", recipient=person.user, subject=subject, body=body, link=link, related=d)
    if person.mobile:
        notify.send(channel="sms", address=person.mobile, subject=subject, body=f"{body} {link}", related=d)


def _own(actor: Actor, d: Dispatch) -> None:
    if actor is None:
        return
    if d.person.user_id == actor.pk:
        return
    _check_region(actor, d.need.district)


@transaction.atomic
def check_in(*, actor: Actor, dispatch: Dispatch, photo: Any = None) -> Dispatch:
    d = Dispatch.objects.select_for_update(of=("self",)).select_related("person", "need__district").get(pk=dispatch.pk)
    _own(actor, d)
    if d.status != DispatchStatus.DISPATCHED:
        raise DomainError(_("该任务当前不能签到（%(s)s）") % {"s": d.get_status_display()})
    d.status = DispatchStatus.ON_SITE
    d.checked_in_at = timezone.now()
    fields = ["status", "checked_in_at"]
    if photo:
        d.check_in_photo = photo
        fields.append("check_in_photo")
    d.save(update_fields=fields)
    log_action(actor, "volunteering.dispatch.checked_in", d)
    return d


@transaction.atomic
def check_out(
    *,
    actor: Actor,
    dispatch: Dispatch,
    problems_solved: int = 0,
    machines_repaired: int = 0,
    people_served: int = 0,
    notes: str = "",
) -> Dispatch:
    """End a task with its results."""
    d = Dispatch.objects.select_for_update(of=("self",)).select_related("person", "need__district").get(pk=dispatch.pk)
    _own(actor, d)
    if d.status != DispatchStatus.ON_SITE:
        raise DomainError(_("请先在现场签到，再签退"))
    for label, v in (
        (_("解决问题"), problems_solved),
        (_("修复设备"), machines_repaired),
        (_("服务职工"), people_served),
    ):
        if v < 0 or v > 100000:
            raise DomainError(_("%(f)s 的数字不合理") % {"f": label})
    d.status = DispatchStatus.DONE
    d.checked_out_at = timezone.now()
    d.problems_solved, d.machines_repaired, d.people_served = problems_solved, machines_repaired, people_served
    d.notes = notes.strip()[:2000]
    d.save()
    log_action(
        actor,
        "volunteering.dispatch.checked_out",
        d,
        changes={"problems": problems_solved, "machines": machines_repaired, "served": people_served},
    )
    return d


@transaction.atomic
def lend_equipment(*, actor: Actor, item: EquipmentItem, need: Need, count: int) -> EquipmentLoan:
    item = EquipmentItem.objects.select_for_update(of=("self",)).select_related("district").get(pk=item.pk)
    need = Need.objects.select_related("incident", "district").get(pk=need.pk)
    _check_region(actor, need.district)
    if need.incident.status != IncidentStatus.OPEN:
        raise DomainError(_("应急事件已结束"))
    if count <= 0:
        raise DomainError(_("借出数量须大于零"), field="count")
    if count > item.available:
        raise DomainError(
            _("%(name)s 只剩 %(n)s 件可借，不能借出 %(c)s 件") % {"name": item.name, "n": item.available, "c": count},
            field="count",
        )
    item.count_out += count
    item.save(update_fields=["count_out"])
    loan = EquipmentLoan.objects.create(item=item, need=need, count=count, lent_at=timezone.now(), lent_by=actor)
    log_action(actor, "volunteering.equipment.lent", loan, changes={"item": item.name, "count": count})
    return loan


@transaction.atomic
def return_equipment(*, actor: Actor, loan: EquipmentLoan, count: int) -> EquipmentLoan:
    loan = EquipmentLoan.objects.select_for_update(of=("self",)).select_related("need__district").get(pk=loan.pk)
    _check_region(actor, loan.need.district)
    item = EquipmentItem.objects.select_for_update().get(pk=loan.item_id)
    if count <= 0 or count > loan.outstanding:
        raise DomainError(_("归还数量须在 1 到 %(n)s 之间") % {"n": loan.outstanding}, field="count")
    loan.returned += count
    if loan.outstanding == 0:
        loan.returned_at = timezone.now()
    loan.save(update_fields=["returned", "returned_at"])
    item.count_out -= count
    item.save(update_fields=["count_out"])
    log_action(actor, "volunteering.equipment.returned", loan, changes={"item": item.name, "count": count})
    return loan


@transaction.atomic
def close_incident(*, actor: Actor, incident: Incident) -> Incident:
    """Close an incident; refused while anyone is still on site."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if actor is not None and not scope_for(actor).everything:
        raise DomainError(_("只有市总工会可以结束应急事件"))
    if incident.status != IncidentStatus.OPEN:
        raise DomainError(_("应急事件已结束"))
    on_site = Dispatch.objects.filter(need__incident=incident, status=DispatchStatus.ON_SITE).count()
    if on_site:
        raise DomainError(_("还有 %(n)s 人在现场，待全部签退后才能结束事件") % {"n": on_site})
    incident.status = IncidentStatus.CLOSED
    incident.ended = timezone.now()
    incident.save(update_fields=["status", "ended"])
    log_action(actor, "volunteering.incident.closed", incident)
    return incident


@transaction.atomic
def save_equipment(
    *,
    actor: Actor,
    item: EquipmentItem | None,
    name: str,
    kind: str,
    owner: str,
    place: str,
    district: Region,
    count_held: int,
) -> EquipmentItem:
    """Create an item of the ledger, or change one; the count held never goes below what is out."""
    _check_region(actor, district)
    if not name.strip() or not owner.strip():
        raise DomainError(_("请填写物资名称和所属单位"), field="name")
    if count_held < 0:
        raise DomainError(_("持有数量不能为负数"), field="count_held")
    if item is None:
        item = EquipmentItem(count_out=0)
    else:
        item = EquipmentItem.objects.select_for_update(of=("self",)).select_related("district").get(pk=item.pk)
        _check_region(actor, item.district)
        if count_held < item.count_out:
            raise DomainError(
                _("还有 %(n)s 件借出未还，持有数量不能少于 %(n)s") % {"n": item.count_out}, field="count_held"
            )
    created = item.pk is None
    item.name, item.kind, item.owner, item.place = name.strip(), kind.strip(), owner.strip(), place.strip()
    item.district, item.count_held = district, count_held
    item.save()
    log_action(
        actor,
        "volunteering.equipment.created" if created else "volunteering.equipment.changed",
        item,
        changes={"name": item.name, "count_held": count_held},
    )
    return item
