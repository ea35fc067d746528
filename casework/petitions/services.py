"""信访: the writes (register, extension request and decision, close, 复查/复核, transfer, settings).
Deadlines come from the rules table (``DeadlineRule``, 2022 信访工作条例 by default), in working days
on the 工作日历 or calendar days; a year missing from the calendar is ``MissingCalendarYear``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.hardship.services import check_upload
from casework.models import (
    DEFAULT_DEADLINES,
    DeadlineKey,
    DeadlineRule,
    ExtensionStatus,
    PetitionAttachment,
    PetitionCase,
    PetitionCategory,
    PetitionExtension,
    PetitionKind,
    PetitionStage,
    PetitionStatus,
    PetitionTransfer,
    Satisfaction,
)
from core import crypto, notify
from core.audit import log_action
from core.errors import DomainError
from core.models import Actor, Region, User
from core.workdays import add_working_days
from people.models import Person

REPEAT_WINDOW_DAYS = 180
MAX_PETITIONER_ATTACHMENTS = 30


# ---------------------------------------------------------------- deadline rules


def rule(key: str) -> DeadlineRule:
    """The rule for ``key`` (a ``DeadlineKey``); the 条例's default (working days) if the table lacks it."""
    found = DeadlineRule.objects.filter(key=key).first()
    return found or DeadlineRule(key=key, days=DEFAULT_DEADLINES[key], working_days=True)


def add_days(start: dt.date, days: int, *, working_days: bool) -> dt.date:
    """``days`` after ``start``, counted from the day after: working days on the 工作日历
    (MissingCalendarYear if a year is not loaded) or calendar days."""
    return add_working_days(start, days) if working_days else start + dt.timedelta(days=days)


def deadline(key: str, start: dt.date, days: int | None = None) -> dt.date:
    """The due date of rule ``key`` counted from ``start`` (``days`` overrides the length, e.g. the
    days of an extension, counted the rule's way)."""
    r = rule(key)
    return add_days(start, r.days if days is None else days, working_days=r.working_days)


def save_rule(*, actor: Actor, key: str, days: int, working_days: bool) -> DeadlineRule:
    """Change one deadline. Cases already registered keep their dates; new ones use the new rule."""
    if key not in DeadlineKey.values:
        raise DomainError(_("期限不正确。"), field="key")
    if not 1 <= days <= 365:
        raise DomainError(_("天数应在 1 至 365 之间。"), field="days")
    with transaction.atomic():
        row, _created = DeadlineRule.objects.select_for_update().get_or_create(
            key=key, defaults={"days": DEFAULT_DEADLINES[key], "working_days": True}
        )
        before = [row.days, row.working_days]
        row.days, row.working_days = days, working_days
        row.save()
        log_action(
            actor,
            "petitions.rule.edit",
            row,
            changes={"days": [before[0], days], "working_days": [before[1], working_days]},
        )
    return row


def save_category(*, actor: Actor, name: str, order: int = 0) -> PetitionCategory:
    name = name.strip()
    if not name:
        raise DomainError(_("请填写分类名称。"), field="name")
    with transaction.atomic():
        if PetitionCategory.objects.filter(name=name).exists():
            raise DomainError(_("已有同名分类。"), field="name")
        category = PetitionCategory.objects.create(name=name, order=order)
        log_action(actor, "petitions.category.add", category)
    return category


def toggle_category(*, actor: Actor, category: PetitionCategory) -> PetitionCategory:
    """Stop offering a category on new cases (or offer it again); cases keep theirs."""
    with transaction.atomic():
        category = PetitionCategory.objects.select_for_update().get(pk=category.pk)
        category.active = not category.active
        category.save(update_fields=["active"])
        log_action(actor, "petitions.category.toggle", category, changes={"active": category.active})
    return category


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
    category: PetitionCategory | None = None,
    person: Person | None = None,
) -> PetitionCase:
    """Register a case; ``person`` when the petitioner is in the registry (repeats by person, the
    person page's panel)."""
    received = received_on or timezone.localdate()
    if received > timezone.localdate():
        raise DomainError(_("登记日期不能晚于今天。"))
    if not name.strip() or not matter.strip():
        raise DomainError(_("请填写信访人和信访事项。"))
    if kind and kind not in PetitionKind.values:
        raise DomainError(_("信访类型不正确。"))
    if category is not None and not category.active:
        raise DomainError(_("该分类已停用。"), field="category")
    id_hash = crypto.keyed_hash(id_number.upper()) if id_number else ""
    notice_due = deadline(DeadlineKey.NOTICE, received)  # MissingCalendarYear: a clear error, nothing written
    due = deadline(DeadlineKey.HANDLING, received)
    with transaction.atomic():
        case = PetitionCase(
            number="",
            channel=channel,
            kind=kind or PetitionKind.APPEAL,
            category=category,
            name=name.strip(),
            mobile=mobile.strip(),
            id_number_encrypted=crypto.encrypt(id_number.upper()) if id_number else "",
            id_number_hash=id_hash,
            matter=matter.strip(),
            district=district,
            handler=handler,
            received_on=received,
            notice_due=notice_due,
            due=due,
            repeat_of=find_repeat(mobile=mobile.strip(), id_hash=id_hash, received_on=received),
            person=person,
        )
        case.save()
        case.number = f"XF{received:%Y}{case.pk:07d}"
        case.save(update_fields=["number"])
        log_action(actor, "petitions.register", case)
    return case


def _someone(actor: Actor) -> User:
    """The person acting (an extension request or a transfer records who); never the system."""
    if actor is None:
        raise DomainError(_("须由工作人员操作。"))
    return actor


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


def request_extension(*, actor: Actor, case: PetitionCase, days: int, reason: str) -> PetitionExtension:
    """The handler asks for the one extension (≤ the 延期 rule's days, with a reason); the approvers
    (``casework.petitions_approve``) are told. The due date moves only when one of them approves."""
    limit = rule(DeadlineKey.EXTENSION).days
    if not 1 <= days <= limit:
        raise DomainError(_("延期天数为 1 至 %(n)s 日。") % {"n": limit}, field="days")
    if not reason.strip():
        raise DomainError(_("请填写延期理由。"), field="reason")
    with transaction.atomic():
        case = _locked(case)
        if case.status == PetitionStatus.CLOSED:
            raise DomainError(_("此件已办结。"))
        if case.extended_days or PetitionExtension.objects.filter(case=case).exists():
            raise DomainError(_("每件只能申请延期一次。"))
        extension = PetitionExtension.objects.create(
            case=case, days=days, reason=reason.strip(), requested_by=_someone(actor)
        )
        log_action(actor, "petitions.extension.request", case, changes={"days": days, "reason": reason.strip()})
        notify.notify_staff(
            perm="casework.petitions_approve",
            region=case.district,
            subject=_("信访件 %(number)s 申请延期 %(days)s 日，待审批") % {"number": case.number, "days": days},
            body=reason.strip(),
            link=reverse("casework:petitions_detail", args=[case.pk]),
            related=case,
            exclude=actor,
        )
    return extension


def decide_extension(*, actor: Actor, case: PetitionCase, approve: bool, note: str = "") -> PetitionExtension:
    """批准 or 不予批准 the pending extension request; not by the person who asked. Two approvers at
    once: the case row is locked, the second finds it decided."""
    with transaction.atomic():
        case = _locked(case)
        extension = PetitionExtension.objects.select_for_update().filter(case=case).first()
        if extension is None:
            raise DomainError(_("此件没有延期申请。"))
        if extension.status != ExtensionStatus.PENDING:
            raise DomainError(_("此延期申请已由他人审批。"))
        if extension.requested_by_id == getattr(actor, "pk", None):
            raise DomainError(_("不能审批本人提出的延期申请。"))
        if approve and case.status == PetitionStatus.CLOSED:
            raise DomainError(_("此件已办结。"))
        if approve:
            r = rule(DeadlineKey.EXTENSION)
            case.due = add_days(case.due, extension.days, working_days=r.working_days)
            case.extended_days, case.extension_reason = extension.days, extension.reason
            case.save(update_fields=["due", "extended_days", "extension_reason"])
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by, extension.decided_at = actor, timezone.now()  # type: ignore[assignment]
        extension.decision_note = note.strip()[:200]
        extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        log_action(
            actor, "petitions.extension.decide", case, changes={"approved": approve, "due": str(case.due), "note": note}
        )
        subject = (
            _("信访件 %(number)s 的延期申请已批准") if approve else _("信访件 %(number)s 的延期申请未获批准")
        ) % {"number": case.number}
        notify.send(
            channel="inapp",
            recipient=extension.requested_by,
            subject=subject,
            body=note.strip() or subject,
            link=reverse("casework:petitions_detail", args=[case.pk]),
            related=case,
        )
    return extension


REVIEW_NEXT: dict[str, tuple[str, str, str]] = {
    # the stage a closed case leads to: (next stage, request rule, answer rule)
    PetitionStage.ORIGINAL: (PetitionStage.REVIEW, DeadlineKey.REVIEW_REQUEST, DeadlineKey.REVIEW_ANSWER),
    PetitionStage.REVIEW: (PetitionStage.RECHECK, DeadlineKey.RECHECK_REQUEST, DeadlineKey.RECHECK_ANSWER),
}


def review_window(case: PetitionCase) -> dt.date | None:
    """The last day the petitioner may ask for the next stage (复查 after the answer, 复核 after a
    复查's answer); None when there is none (open, or already a 复核)."""
    if case.status != PetitionStatus.CLOSED or case.closed_on is None or case.stage not in REVIEW_NEXT:
        return None
    return deadline(REVIEW_NEXT[case.stage][1], case.closed_on)


def request_review(
    *, actor: Actor, case: PetitionCase, requested_on: dt.date | None = None, matter: str = ""
) -> PetitionCase:
    """Record the petitioner's request for 复查 (of a closed case) or 复核 (of a closed 复查) within
    the rule's days of the answer: a new case linked to ``case``, due by the answer rule."""
    requested = requested_on or timezone.localdate()
    if requested > timezone.localdate():
        raise DomainError(_("申请日期不能晚于今天。"), field="requested_on")
    with transaction.atomic():
        case = _locked(case)
        if case.stage not in REVIEW_NEXT:
            raise DomainError(_("复核意见为最终意见，不能再申请复查或复核。"))
        if case.status != PetitionStatus.CLOSED or case.closed_on is None:
            raise DomainError(_("此件尚未办结，不能申请复查或复核。"))
        stage, request_key, answer_key = REVIEW_NEXT[case.stage]
        if case.reviews.exists():
            raise DomainError(_("此件已申请过%(stage)s。") % {"stage": PetitionStage(stage).label})
        if requested < case.closed_on:
            raise DomainError(_("申请日期不能早于答复日期。"), field="requested_on")
        last = deadline(request_key, case.closed_on)
        if requested > last:
            raise DomainError(
                _("已超过申请%(stage)s的期限（答复后 %(days)s 日，截至 %(last)s）。")
                % {"stage": PetitionStage(stage).label, "days": rule(request_key).days, "last": last.isoformat()},
                field="requested_on",
            )
        review = PetitionCase(
            number="",
            channel=case.channel,
            kind=case.kind,
            category=case.category,
            stage=stage,
            review_of=case,
            person=case.person,
            name=case.name,
            mobile=case.mobile,
            id_number_encrypted=case.id_number_encrypted,
            id_number_hash=case.id_number_hash,
            matter=matter.strip() or case.matter,
            district=case.district,
            handler=case.handler,
            received_on=requested,
            notice_due=requested,
            noticed_on=requested,  # a 复查/复核 is answered, not accepted again
            due=deadline(answer_key, requested),
            status=PetitionStatus.HANDLING,
        )
        review.save()
        review.number = f"XF{requested:%Y}{review.pk:07d}"
        review.save(update_fields=["number"])
        log_action(actor, f"petitions.{stage}.request", review, changes={"of": case.number})
    return review


def review_chain(case: PetitionCase) -> list[PetitionCase]:
    """The original case, its 复查 and its 复核, in order (the case itself among them)."""
    first = case
    while first.review_of_id:
        first = PetitionCase.objects.select_related("review_of").get(pk=first.review_of_id)
    chain = [first]
    while len(chain) < 3:
        nxt = PetitionCase.objects.filter(review_of=chain[-1]).first()
        if nxt is None:
            break
        chain.append(nxt)
    return chain


def handlers_for(district: Region) -> Any:
    """Active staff who may handle cases of ``district``: a region role covering it with
    ``casework.petitions_handle``."""
    from core.models import RoleAssignment, User  # noqa: PLC0415
    from core.permissions import role_permissions  # noqa: PLC0415
    from core.scope import REGION_ROLES  # noqa: PLC0415

    roles = [r for r, perms in role_permissions().items() if "casework.petitions_handle" in perms and r in REGION_ROLES]
    ancestors = [district.path[: i + 1] for i, char in enumerate(district.path) if char == "."]
    covers = Q(region__isnull=True) | Q(region__path__in=ancestors) | Q(region=district)
    users = RoleAssignment.objects.filter(covers, role__in=roles, user__is_active=True).values("user_id")
    return User.objects.filter(pk__in=users).order_by("username")


def transfer_case(*, actor: Actor, case: PetitionCase, district: Region, handler: Any, reason: str) -> PetitionCase:
    """交办/转办: give the case to ``district`` and ``handler`` (a staff user of that district); every
    transfer is kept, and the new handler is told."""
    if not reason.strip():
        raise DomainError(_("请填写转办理由。"), field="reason")
    from core.scope import regions_visible_to  # noqa: PLC0415

    if not regions_visible_to(actor).filter(pk=district.pk).exists():
        raise DomainError(_("不能转办到该区县(市)。"), field="district")
    if handler is not None and not handlers_for(district).filter(pk=handler.pk).exists():
        raise DomainError(_("承办人不是该区县(市)的信访工作人员。"), field="handler")
    with transaction.atomic():
        case = _locked(case)
        if case.status == PetitionStatus.CLOSED:
            raise DomainError(_("此件已办结，不能转办。"))
        if case.district_id == district.pk and case.handler_id == getattr(handler, "pk", None):
            raise DomainError(_("承办单位和承办人没有变化。"))
        PetitionTransfer.objects.create(
            case=case,
            from_district_id=case.district_id,
            from_handler_id=case.handler_id,
            to_district=district,
            to_handler=handler,
            by=_someone(actor),
            reason=reason.strip(),
        )
        changes = {
            "district": [case.district_id, district.pk],
            "handler": [case.handler_id, getattr(handler, "pk", None)],
        }
        case.district, case.handler = district, handler
        case.save(update_fields=["district", "handler"])
        log_action(actor, "petitions.transfer", case, changes=changes | {"reason": reason.strip()})
        if handler is not None and handler.pk != getattr(actor, "pk", None):
            notify.send(
                channel="inapp",
                recipient=handler,
                subject=_("信访件 %(number)s 已转交您承办") % {"number": case.number},
                body=reason.strip(),
                link=reverse("casework:petitions_detail", args=[case.pk]),
                related=case,
            )
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
