"""信访: the writes (register, extend, close). Deadlines per the 2022 信访工作条例."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import PetitionCase, PetitionKind, PetitionStatus, Satisfaction
from core import crypto
from core.audit import log_action
from core.errors import DomainError
from core.models import Actor, Region

NOTICE_DAYS = 15  # 告知是否受理
HANDLING_DAYS = 60  # 办理期限
MAX_EXTENSION_DAYS = 30  # 延期不超过 30 日，一次
REPEAT_WINDOW_DAYS = 180


def find_repeat(*, mobile: str, id_hash: str, received_on: dt.date) -> PetitionCase | None:
    """An earlier case from the same phone or ID number within 180 days (重复件)."""
    since = received_on - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    qs = PetitionCase.objects.filter(received_on__gte=since, received_on__lte=received_on)
    if id_hash:
        found = qs.filter(id_number_hash=id_hash).order_by("received_on", "id").first()
        if found:
            return found
    if mobile:
        return qs.filter(mobile=mobile).order_by("received_on", "id").first()
    return None


def register_case(
    *,
    actor: Actor,
    channel: str,
    name: str,
    matter: str,
    district: Region,
    mobile: str = "",
    id_number: str = "",
    received_on: dt.date | None = None,
    handler: Any = None,
    kind: str = "",
) -> PetitionCase:
    received = received_on or timezone.localdate()
    if received > timezone.localdate():
        raise DomainError(_("登记日期不能晚于今天。"))
    if not name.strip() or not matter.strip():
        raise DomainError(_("请填写信访人和信访事项。"))
    if kind and kind not in PetitionKind.values:
        raise DomainError(_("信访类型不正确。"))
    id_hash = crypto.keyed_hash(id_number.upper()) if id_number else ""
    with transaction.atomic():
        case = PetitionCase(
            number="",
            channel=channel,
            kind=kind or PetitionKind.APPEAL,
            name=name.strip(),
            mobile=mobile.strip(),
            id_number_encrypted=crypto.encrypt(id_number.upper()) if id_number else "",
            id_number_hash=id_hash,
            matter=matter.strip(),
            district=district,
            handler=handler,
            received_on=received,
            notice_due=received + dt.timedelta(days=NOTICE_DAYS),
            due=received + dt.timedelta(days=HANDLING_DAYS),
            repeat_of=find_repeat(mobile=mobile.strip(), id_hash=id_hash, received_on=received),
        )
        case.save()
        case.number = f"XF{received:%Y}{case.pk:07d}"
        case.save(update_fields=["number"])
        log_action(actor, "petitions.register", case)
    return case


def _locked(case: PetitionCase) -> PetitionCase:
    return PetitionCase.objects.select_for_update().get(pk=case.pk)


def accept_case(*, actor: Actor, case: PetitionCase) -> PetitionCase:
    """告知受理: the case moves from 待告知受理 to 办理中."""
    with transaction.atomic():
        case = _locked(case)
        if case.status != PetitionStatus.RECEIVED:
            raise DomainError(_("此件已告知受理，不能重复操作。"))
        case.status = PetitionStatus.HANDLING
        case.noticed_on = timezone.localdate()
        case.save(update_fields=["status", "noticed_on"])
        log_action(actor, "petitions.accept", case)
    return case


def extend_case(*, actor: Actor, case: PetitionCase, days: int, reason: str) -> PetitionCase:
    with transaction.atomic():
        case = _locked(case)
        if case.status == PetitionStatus.CLOSED:
            raise DomainError(_("此件已办结。"))
        if case.extended_days:
            raise DomainError(_("每件只能延期一次。"))
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise DomainError(_("延期不能超过 30 日。"))
        if not reason.strip():
            raise DomainError(_("请填写延期理由。"))
        case.extended_days, case.extension_reason = days, reason.strip()
        case.due = case.due + dt.timedelta(days=days)
        case.save(update_fields=["extended_days", "extension_reason", "due"])
        log_action(actor, "petitions.extend", case, changes={"days": days, "reason": reason})
    return case


def close_case(*, actor: Actor, case: PetitionCase, answer: str, satisfaction: str) -> PetitionCase:
    """办结: with the answer and the petitioner's satisfaction. Two clerks closing at once: one wins."""
    if not answer.strip():
        raise DomainError(_("请填写答复意见。"))
    if satisfaction and satisfaction not in Satisfaction.values:
        raise DomainError(_("满意度不正确。"))
    with transaction.atomic():
        case = _locked(case)
        if case.status == PetitionStatus.CLOSED:
            raise DomainError(_("此件已由他人办结。"))
        case.status = PetitionStatus.CLOSED
        case.answer, case.satisfaction = answer.strip(), satisfaction
        case.closed_on = timezone.localdate()
        case.save(update_fields=["status", "answer", "satisfaction", "closed_on"])
        log_action(actor, "petitions.close", case)
    return case
