"""信访: the writes (register, extend, close). Deadlines per the 2022 信访工作条例."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.hardship.services import check_upload
from casework.models import PetitionAttachment, PetitionCase, PetitionKind, PetitionStatus, Satisfaction
from core import crypto, notify
from core.audit import log_action
from core.errors import DomainError
from core.models import Actor, Region

NOTICE_DAYS = 15  # 告知是否受理
HANDLING_DAYS = 60  # 办理期限
MAX_EXTENSION_DAYS = 30  # 延期不超过 30 日，一次
REPEAT_WINDOW_DAYS = 180
MAX_PETITIONER_ATTACHMENTS = 30


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


# ---------------------------------------------------------------- material, repeats (petphone)
# Added by the phone-page work: attachments (staff and petitioner), linking/unlinking 重复件.


def add_attachment(
    *,
    actor: Actor,
    case: PetitionCase,
    note: str = "",
    upload: UploadedFile | None = None,
    by_petitioner: bool = False,
) -> PetitionAttachment:
    """Add a note and/or a file (photo or PDF, ≤ 10 MB, first bytes checked) to a case. The
    petitioner (``by_petitioner``, no account: ``actor`` None) may add only to an open case, at
    most ``MAX_PETITIONER_ATTACHMENTS``; staff add to any case. Staff holding the case are told of
    a petitioner's material (in-app)."""
    note = (note or "").strip()
    if not note and upload is None:
        raise DomainError(_("请填写补充说明或选择照片/PDF文件。"), field="note")
    content_type = check_upload(upload, allow_pdf=True) if upload is not None else ""
    with transaction.atomic():
        case = _locked(case)
        if by_petitioner:
            if case.status == PetitionStatus.CLOSED:
                raise DomainError(_("此件已办结，不能再补充材料。如有新的问题，请重新反映。"))
            if case.attachments.filter(by_petitioner=True).count() >= MAX_PETITIONER_ATTACHMENTS:
                raise DomainError(
                    _("每件最多补充%(n)s份材料，请联系承办人。") % {"n": MAX_PETITIONER_ATTACHMENTS}, field="note"
                )
        item = PetitionAttachment(
            case=case,
            note=note,
            content_type=content_type,
            original_name=(upload.name or "")[-120:] if upload is not None else "",
            added_by=actor if getattr(actor, "pk", None) else None,
            by_petitioner=by_petitioner,
        )
        if upload is not None:
            item.file.save(upload.name or "file", upload, save=False)
        item.save()
        log_action(
            actor,
            "petitions.attachment.added",
            case,
            changes={"attachment": item.pk, "file": item.original_name, "by_petitioner": by_petitioner},
        )
        if by_petitioner:
            link = reverse("casework:petitions_detail", args=[case.pk])
            subject = _("信访人补充了材料：%(n)s") % {"n": case.number}
            body = _("信访件 %(n)s 的信访人在手机上补充了材料，请查看。") % {"n": case.number}
            if case.handler_id and case.handler and case.handler.is_active:
                notify.send(
                    channel="inapp", recipient=case.handler, subject=subject, body=body, link=link, related=case
                )
            else:
                notify.notify_staff(
                    perm="casework.petitions_handle", region=case.district, subject=subject, body=body, link=link
                )
    return item


def link_repeat(*, actor: Actor, case: PetitionCase, earlier: PetitionCase) -> PetitionCase:
    """Link ``case`` as a 重复件 of ``earlier`` (an earlier case; never itself or a later one, never
    in a loop)."""
    with transaction.atomic():
        case = _locked(case)
        if earlier.pk == case.pk:
            raise DomainError(_("不能把信访件标为自身的重复件。"))
        if (earlier.received_on, earlier.pk) > (case.received_on, case.pk):
            raise DomainError(_("只能关联更早登记的信访件。"))
        if case.repeat_of_id == earlier.pk:
            raise DomainError(_("已关联为此件的重复件。"))
        before = case.repeat_of.number if case.repeat_of_id and case.repeat_of else ""
        case.repeat_of = earlier
        case.save(update_fields=["repeat_of"])
        log_action(actor, "petitions.repeat.linked", case, changes={"repeat_of": [before, earlier.number]})
    return case


def unlink_repeat(*, actor: Actor, case: PetitionCase) -> PetitionCase:
    with transaction.atomic():
        case = _locked(case)
        if not case.repeat_of_id:
            raise DomainError(_("此件未关联重复件。"))
        before = case.repeat_of.number if case.repeat_of else ""
        case.repeat_of = None
        case.save(update_fields=["repeat_of"])
        log_action(actor, "petitions.repeat.unlinked", case, changes={"repeat_of": [before, ""]})
    return case
