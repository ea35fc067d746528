"""Writes of the hardship part: each one atomic, audited, refusing with a clerk-readable DomainError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models.hardship import (
    STEP_ORDER,
    CareVisit,
    CareVisitItem,
    CareVisitPhoto,
    CloseReason,
    FileEvent,
    FileStatus,
    HardshipConfig,
    HardshipFile,
    HardshipTerm,
    HelpKind,
    HelpRecord,
    HelpStatus,
    HouseholdMember,
    Objection,
    Occasion,
    PlanTarget,
    PovertyLine,
    Recheck,
    Step,
    TermKind,
    VisitPlan,
)
from core.audit import log_action
from core.errors import DomainError
from core.models import Actor, Region
from core.notify import notify_staff
from people.models import Person, PersonStatus

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
IMAGE_TYPES: dict[str, tuple[str, bytes]] = {
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".webp": ("image/webp", b"RIFF"),
}
PDF_TYPE = {".pdf": ("application/pdf", b"%PDF-")}
MAX_PHOTOS = 20


def step_label(step: str) -> str:
    return str(Step(step).label)


def check_upload(upload: UploadedFile, *, allow_pdf: bool) -> str:
    """The content type, or a refusal: a photo (jpg, png, webp) or, where allowed, a PDF; ≤ 10 MB;
    the first bytes must agree with the name."""
    types = IMAGE_TYPES | (PDF_TYPE if allow_pdf else {})
    ext = Path(upload.name or "").suffix.lower()
    if ext not in types:
        raise DomainError(
            _("只能上传照片（jpg、png、webp）或PDF") if allow_pdf else _("只能上传照片（jpg、png、webp）"), field="file"
        )
    if not upload.size:
        raise DomainError(_("文件是空的"), field="file")
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("文件不能超过10MB"), field="file")
    content_type, magic = types[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(magic):
        raise DomainError(_("文件内容与扩展名不符"), field="file")
    return content_type


def parse_amount(value: Any, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """Yuan to the fen: a Decimal, not negative, at most two decimals."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("金额格式不对"), field=field) from exc
    if not amount.is_finite():
        raise DomainError(_("金额格式不对"), field=field)
    if amount < 0:
        raise DomainError(_("金额不能为负数"), field=field)
    if amount == 0 and not allow_zero:
        raise DomainError(_("金额必须大于0"), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("金额最多精确到分（两位小数）"), field=field)
    if amount >= Decimal("10000000000"):
        raise DomainError(_("金额过大"), field=field)
    return amount.quantize(Decimal("0.01"))


def _event(file: HardshipFile, actor: Actor, action: str, note: str = "", step: str | None = None) -> FileEvent:
    return FileEvent.objects.create(
        file=file,
        step=step or file.step,
        action=action,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _locked(file: HardshipFile) -> HardshipFile:
    return HardshipFile.objects.select_for_update().get(pk=file.pk)


def _link(file: HardshipFile) -> str:
    return reverse("casework:hardship_detail", args=[file.pk])


# ----------------------------------------------------------------------------- dictionary


@transaction.atomic
def save_term(*, actor: Actor, kind: str, name: str, order: int = 0, term: HardshipTerm | None = None) -> HardshipTerm:
    name = (name or "").strip()
    if kind not in TermKind.values:
        raise DomainError(_("请选择种类"), field="kind")
    if not name:
        raise DomainError(_("请填写名称"), field="name")
    clash = HardshipTerm.objects.filter(kind=kind, name=name)
    if term is not None:
        clash = clash.exclude(pk=term.pk)
    if clash.exists():
        raise DomainError(_("已有同名条目"), field="name")
    if term is None:
        term = HardshipTerm.objects.create(kind=kind, name=name, order=order)
    else:
        term.kind, term.name, term.order = kind, name, order
        term.save()
    log_action(actor, "casework.hardship.term_saved", term, changes={"kind": kind, "name": name})
    return term


@transaction.atomic
def toggle_term(*, actor: Actor, term: HardshipTerm) -> HardshipTerm:
    term = HardshipTerm.objects.select_for_update().get(pk=term.pk)
    term.active = not term.active
    term.save(update_fields=["active"])
    log_action(actor, "casework.hardship.term_toggled", term, changes={"active": term.active})
    return term


@transaction.atomic
def save_poverty_line(*, actor: Actor, district: Region, year: int, monthly: Any) -> PovertyLine:
    if district.kind not in ("district", "zone"):
        raise DomainError(_("请选择区县(市)"), field="district")
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("年度不对"), field="year")
    amount = parse_amount(monthly, field="monthly")
    line, _created = PovertyLine.objects.update_or_create(district=district, year=year, defaults={"monthly": amount})
    log_action(actor, "casework.hardship.poverty_line_saved", line, changes={"year": year, "monthly": str(amount)})
    return line


@transaction.atomic
def save_config(*, actor: Actor, cash_approval_above: Any) -> HardshipConfig:
    config = HardshipConfig.objects.select_for_update().get(pk=HardshipConfig.current().pk)
    before = config.cash_approval_above
    config.cash_approval_above = parse_amount(cash_approval_above, field="cash_approval_above", allow_zero=True)
    config.save()
    log_action(
        actor,
        "casework.hardship.config_saved",
        config,
        changes={"cash_approval_above": [str(before), str(config.cash_approval_above)]},
    )
    return config


# ----------------------------------------------------------------------------- files


def _next_number(today: dt.date) -> str:
    prefix = f"KN{today.year}"
    last = HardshipFile.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    n = int(last[0][len(prefix) :]) + 1 if last else 1
    return f"{prefix}{n:05d}"


@transaction.atomic
def open_file(
    *,
    actor: Actor,
    person: Person,
    category: HardshipTerm | None,
    causes: Iterable[HardshipTerm] = (),
    summary: str = "",
    applied_on: dt.date | None = None,
    note: str = "",
) -> HardshipFile:
    today = timezone.localdate()
    applied_on = applied_on or today
    if applied_on > today:
        raise DomainError(_("申请日期不能晚于今天"), field="applied_on")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.merged_into_id or person.status == PersonStatus.DECEASED:
        raise DomainError(_("该人员已去世或已合并，不能建立困难档案"), field="person")
    if HardshipFile.objects.filter(person=person, status=FileStatus.OPEN).exists():
        raise DomainError(_("该人员已有在档的困难档案"), field="person")
    if category is not None and (category.kind != TermKind.CATEGORY or not category.active):
        raise DomainError(_("请选择有效的困难类别"), field="category")
    cause_list = list(causes)
    if any(c.kind != TermKind.CAUSE for c in cause_list):
        raise DomainError(_("致困原因不对"), field="causes")
    file = HardshipFile.objects.create(
        person=person,
        district_id=person.district_id,
        number=_next_number(today),
        category=category,
        summary=summary,
        applied_on=applied_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    file.causes.set(cause_list)
    _event(file, actor, "申请", note)
    log_action(actor, "casework.hardship.opened", file, changes={"person": person.pk})
    return file


def _check_leave(file: HardshipFile, today: dt.date) -> None:
    """What a step needs before the file may leave it."""
    if file.step == Step.HOME_VISIT and not file.authorisation:
        raise DomainError(_("请先上传签字的家庭经济状况核对授权书（照片或PDF）"))
    if file.step == Step.FINANCE and not file.members.exists():
        raise DomainError(_("请先登记家庭成员及收入"))
    if file.step == Step.PUBLICITY:
        if file.publicity_end is None or today <= file.publicity_end:
            raise DomainError(_("公示期未满，不能进入下一环节"))
        if file.objections.filter(resolution="").exists():
            raise DomainError(_("还有未处理的公示异议"))


@transaction.atomic
def advance_file(
    *,
    actor: Actor,
    file: HardshipFile,
    to_step: str,
    note: str = "",
    publicity_start: dt.date | None = None,
    publicity_end: dt.date | None = None,
    can_approve: bool = True,
) -> HardshipFile:
    """Move the file one step on. ``to_step`` is the step the clerk means to reach: it must be the
    next one (a step out of order, or one someone else just took, is refused)."""
    file = _locked(file)
    today = timezone.localdate()
    if not file.is_open:
        raise DomainError(_("档案已销档，不能再办理"))
    if to_step not in STEP_ORDER:
        raise DomainError(_("环节不对"))
    nxt = file.next_step
    if nxt is None:
        raise DomainError(_("档案已建档，流程已走完"))
    if to_step != nxt:
        raise DomainError(
            _("当前环节为「%(now)s」，下一步应为「%(next)s」，不能办理「%(asked)s」")
            % {"now": step_label(file.step), "next": step_label(nxt), "asked": step_label(to_step)}
        )
    _check_leave(file, today)
    if to_step == Step.PUBLICITY:
        if publicity_start is None or publicity_end is None:
            raise DomainError(_("请填写公示开始和结束日期"), field="publicity_end")
        if publicity_end < publicity_start:
            raise DomainError(_("公示结束日期不能早于开始日期"), field="publicity_end")
        if (publicity_end - publicity_start).days < 4:
            raise DomainError(_("公示期至少5天"), field="publicity_end")
        file.publicity_start, file.publicity_end = publicity_start, publicity_end
    if to_step == Step.FILED and not can_approve:
        raise DomainError(_("审批需要审批权限"))
    before = file.step
    file.step = to_step
    if to_step == Step.FILED:
        file.filed_on = today
        file.save()
        Recheck.objects.get_or_create(
            file=file, year=today.year + 1, defaults={"due": _anniversary(today, today.year + 1)}
        )
    else:
        file.save()
    _event(file, actor, _("提交至「%(step)s」") % {"step": step_label(to_step)}, note, step=before)
    log_action(actor, "casework.hardship.advanced", file, changes={"step": [before, to_step]})
    return file


def _anniversary(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return dt.date(year, 2, 28)


@transaction.atomic
def send_back(*, actor: Actor, file: HardshipFile, to_step: str, reason: str, from_step: str = "") -> HardshipFile:
    file = _locked(file)
    reason = (reason or "").strip()
    if not file.is_open:
        raise DomainError(_("档案已销档，不能再办理"))
    if from_step and from_step != file.step:
        raise DomainError(_("档案环节已变更为「%(now)s」，请刷新后再办理") % {"now": step_label(file.step)})
    if file.step in (Step.APPLY, Step.FILED):
        raise DomainError(_("当前环节不能退回"))
    if not reason:
        raise DomainError(_("退回必须填写原因"), field="reason")
    if to_step not in STEP_ORDER or STEP_ORDER.index(to_step) >= STEP_ORDER.index(file.step):
        raise DomainError(_("只能退回到之前的环节"), field="to_step")
    before = file.step
    file.step = to_step
    if STEP_ORDER.index(to_step) < STEP_ORDER.index(Step.PUBLICITY):
        file.publicity_start = file.publicity_end = None
    file.save()
    _event(file, actor, _("退回至「%(step)s」") % {"step": step_label(to_step)}, reason, step=before)
    log_action(actor, "casework.hardship.sent_back", file, changes={"step": [before, to_step], "reason": reason})
    return file


@transaction.atomic
def upload_authorisation(*, actor: Actor, file: HardshipFile, upload: UploadedFile) -> HardshipFile:
    file = _locked(file)
    if not file.is_open:
        raise DomainError(_("档案已销档，不能再办理"))
    if STEP_ORDER.index(file.step) < STEP_ORDER.index(Step.HOME_VISIT):
        raise DomainError(_("入户走访环节才能上传授权书"))
    file.authorisation_type = check_upload(upload, allow_pdf=True)
    file.authorisation.save(upload.name or "auth", upload, save=False)
    file.save()
    _event(file, actor, _("上传授权书"))
    log_action(actor, "casework.hardship.authorisation_uploaded", file)
    return file


@transaction.atomic
def save_details(*, actor: Actor, file: HardshipFile, health_note: str, finance_note: str) -> HardshipFile:
    file = _locked(file)
    if not file.is_open:
        raise DomainError(_("档案已销档，不能再办理"))
    file.health_note, file.finance_note = health_note.strip(), finance_note.strip()
    file.save(update_fields=["health_note", "finance_note"])
    log_action(actor, "casework.hardship.details_saved", file, changes={"fields": ["health_note", "finance_note"]})
    return file


@transaction.atomic
def add_member(
    *, actor: Actor, file: HardshipFile, name: str, relation: str, age: int, health: str, monthly_income: Any
) -> HouseholdMember:
    file = _locked(file)
    if not file.is_open:
        raise DomainError(_("档案已销档，不能再办理"))
    if not (name or "").strip():
        raise DomainError(_("请填写姓名"), field="name")
    if not 0 <= int(age) <= 130:
        raise DomainError(_("年龄不对"), field="age")
    income = parse_amount(monthly_income, field="monthly_income", allow_zero=True)
    member = HouseholdMember.objects.create(
        file=file, name=name.strip(), relation=relation.strip(), age=age, health=health.strip(), monthly_income=income
    )
    log_action(actor, "casework.hardship.member_added", file, changes={"relation": relation})
    return member


@transaction.atomic
def remove_member(*, actor: Actor, member: HouseholdMember) -> None:
    file = _locked(member.file)
    if not file.is_open:
        raise DomainError(_("档案已销档，不能再办理"))
    log_action(actor, "casework.hardship.member_removed", file, changes={"relation": member.relation})
    member.delete()


def income_per_head(file: HardshipFile) -> Decimal | None:
    members = list(file.members.all())
    if not members:
        return None
    total = sum((m.monthly_income for m in members), Decimal("0"))
    return (total / len(members)).quantize(Decimal("0.01"))


def poverty_line_for(file: HardshipFile, year: int | None = None) -> PovertyLine | None:
    year = year or timezone.localdate().year
    return PovertyLine.objects.filter(district_id=file.district_id, year__lte=year).order_by("-year").first()


@transaction.atomic
def add_objection(*, actor: Actor, file: HardshipFile, received_on: dt.date, text: str) -> Objection:
    file = _locked(file)
    if file.step != Step.PUBLICITY:
        raise DomainError(_("只有公示期间才能登记异议"))
    if not (text or "").strip():
        raise DomainError(_("请填写异议内容"), field="text")
    if received_on > timezone.localdate():
        raise DomainError(_("日期不能晚于今天"), field="received_on")
    objection = Objection.objects.create(
        file=file, received_on=received_on, text=text.strip(), actor=actor if getattr(actor, "pk", None) else None
    )
    _event(file, actor, _("登记公示异议"), text)
    log_action(actor, "casework.hardship.objection_added", file)
    return objection


@transaction.atomic
def resolve_objection(*, actor: Actor, objection: Objection, resolution: str) -> Objection:
    file = _locked(objection.file)
    if not (resolution or "").strip():
        raise DomainError(_("请填写处理结果"), field="resolution")
    objection.resolution = resolution.strip()
    objection.save(update_fields=["resolution"])
    _event(file, actor, _("处理公示异议"), resolution)
    log_action(actor, "casework.hardship.objection_resolved", file)
    return objection


@transaction.atomic
def close_file(*, actor: Actor, file: HardshipFile, reason: str, note: str = "") -> HardshipFile:
    file = _locked(file)
    if not file.is_open:
        raise DomainError(_("档案已销档"))
    if reason not in CloseReason.values:
        raise DomainError(_("请选择销档原因"), field="reason")
    if reason == CloseReason.OTHER and not (note or "").strip():
        raise DomainError(_("原因为「其他」时请填写说明"), field="note")
    if HelpRecord.objects.filter(file=file, status=HelpStatus.PENDING).exists():
        raise DomainError(_("还有待复核的帮扶记录，请先复核或退回"))
    file.status = FileStatus.CLOSED
    file.closed_on = timezone.localdate()
    file.close_reason = reason
    file.close_note = (note or "").strip()[:200]
    file.close_flagged = False
    file.save()
    Recheck.objects.filter(file=file, done_on__isnull=True).delete()
    _event(file, actor, _("销档：%(reason)s") % {"reason": CloseReason(reason).label}, note)
    log_action(actor, "casework.hardship.closed", file, changes={"reason": reason})
    return file


# ----------------------------------------------------------------------------- help ledger


@transaction.atomic
def add_help(
    *,
    actor: Actor,
    file: HardshipFile,
    kind: str,
    amount: Any,
    given_on: dt.date,
    source: str = "",
    giver: str = "",
    note: str = "",
) -> HelpRecord:
    file = _locked(file)
    if not file.is_open:
        raise DomainError(_("档案已销档，不能再登记帮扶"))
    if file.step != Step.FILED:
        raise DomainError(_("档案尚未建档，先建档后帮扶"))
    if kind not in HelpKind.values:
        raise DomainError(_("请选择帮扶类型"), field="kind")
    value = parse_amount(amount, allow_zero=kind != HelpKind.CASH)
    if given_on > timezone.localdate():
        raise DomainError(_("日期不能晚于今天"), field="given_on")
    threshold = HardshipConfig.current().cash_approval_above
    pending = kind == HelpKind.CASH and value > threshold
    record = HelpRecord.objects.create(
        file=file,
        kind=kind,
        amount=value,
        given_on=given_on,
        source=source.strip(),
        giver=giver.strip(),
        note=note.strip(),
        status=HelpStatus.PENDING if pending else HelpStatus.APPROVED,
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(actor, "casework.hardship.help_added", file, changes={"kind": kind, "amount": str(value)})
    if pending:
        transaction.on_commit(
            lambda: notify_staff(
                perm="casework.hardship_approve",
                region=file.district,
                subject=_("现金帮扶待复核"),
                body=_("%(number)s 现金帮扶 %(amount)s 元，需另一人复核") % {"number": file.number, "amount": value},
                link=_link(file),
                exclude=actor,
            )
        )
    return record


@transaction.atomic
def decide_help(*, actor: Actor, record: HelpRecord, approve: bool, note: str = "") -> HelpRecord:
    """Four eyes: the second person (never the one who entered it) approves or sends back."""
    record = HelpRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != HelpStatus.PENDING:
        raise DomainError(_("该帮扶记录已复核过"))
    if record.entered_by_id is not None and record.entered_by_id == getattr(actor, "pk", None):
        raise DomainError(_("复核须由登记人以外的另一人办理"))
    file = HardshipFile.objects.select_for_update().get(pk=record.file_id)
    if approve and not file.is_open:
        raise DomainError(_("档案已销档，不能再登记帮扶"))
    if not approve and not (note or "").strip():
        raise DomainError(_("退回必须填写原因"), field="note")
    record.status = HelpStatus.APPROVED if approve else HelpStatus.REJECTED
    record.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    record.approved_at = timezone.now()
    if note:
        record.note = (record.note + " / " + note.strip())[:200] if record.note else note.strip()[:200]
    record.save()
    log_action(
        actor,
        "casework.hardship.help_approved" if approve else "casework.hardship.help_rejected",
        file,
        changes={"help": record.pk, "amount": str(record.amount)},
    )
    return record


# ----------------------------------------------------------------------------- re-checks


def create_yearly_rechecks(*, today: dt.date | None = None) -> int:
    """Every open, filed file gets this year's re-check (due on its filing anniversary). Idempotent."""
    today = today or timezone.localdate()
    made = 0
    files = HardshipFile.objects.filter(status=FileStatus.OPEN, step=Step.FILED, filed_on__lt=today).exclude(
        rechecks__year=today.year
    )
    for file in files.iterator(chunk_size=500):
        assert file.filed_on is not None
        if file.filed_on.year >= today.year:
            continue
        _obj, created = Recheck.objects.get_or_create(
            file=file, year=today.year, defaults={"due": _anniversary(file.filed_on, today.year)}
        )
        made += int(created)
    return made


@transaction.atomic
def complete_recheck(*, actor: Actor, recheck: Recheck, note: str, keep: bool = True) -> Recheck:
    recheck = Recheck.objects.select_for_update().get(pk=recheck.pk)
    file = _locked(recheck.file)
    if recheck.done_on is not None:
        raise DomainError(_("该年度复核已完成"))
    if not file.is_open:
        raise DomainError(_("档案已销档"))
    if not (note or "").strip():
        raise DomainError(_("请填写复核意见"), field="note")
    today = timezone.localdate()
    recheck.done_on = today
    recheck.done_by = actor if getattr(actor, "is_authenticated", False) else None
    recheck.note = note.strip()[:200]
    recheck.save()
    _event(
        file,
        actor,
        _("%(year)s年度复核：%(result)s") % {"year": recheck.year, "result": _("继续帮扶") if keep else _("建议销档")},
        note,
    )
    if keep:
        Recheck.objects.get_or_create(
            file=file, year=recheck.year + 1, defaults={"due": _anniversary(recheck.due, recheck.year + 1)}
        )
    else:
        file.close_flagged = True
        file.close_flag_reason = _("年度复核建议销档")
        file.save(update_fields=["close_flagged", "close_flag_reason"])
    log_action(actor, "casework.hardship.rechecked", file, changes={"year": recheck.year, "keep": keep})
    return recheck


def flag_deceased(*, person_ids: Iterable[int], actor: Actor = None) -> int:
    """Open files of people who died in the registry are flagged for closing (not closed: a clerk
    closes them with the reason 去世)."""
    dead = Person.objects.filter(pk__in=list(person_ids), status=PersonStatus.DECEASED).values("pk")
    flagged = 0
    with transaction.atomic():
        for file in HardshipFile.objects.select_for_update().filter(
            person_id__in=dead, status=FileStatus.OPEN, close_flagged=False
        ):
            file.close_flagged = True
            file.close_flag_reason = str(_("本人已去世"))
            file.save(update_fields=["close_flagged", "close_flag_reason"])
            _event(file, actor, _("人员库登记去世，待销档"))
            log_action(actor, "casework.hardship.flagged", file, changes={"reason": "deceased"})
            flagged += 1
            district, link, number = file.district, _link(file), file.number
            transaction.on_commit(
                lambda d=district, li=link, n=number: notify_staff(  # type: ignore[misc]
                    perm="casework.hardship_manage",
                    region=d,
                    subject=_("困难档案待销档"),
                    body=_("%(number)s 的劳模已去世，请办理销档") % {"number": n},
                    link=li,
                )
            )
    return flagged


# ----------------------------------------------------------------------------- visits


@transaction.atomic
def record_visit(
    *,
    actor: Actor,
    person: Person,
    occasion: str,
    visited_on: dt.date,
    staff: Iterable[Any] = (),
    companions: Iterable[Person] = (),
    cash: Any = None,
    goods: str = "",
    goods_value: Any = None,
    notes: str = "",
) -> CareVisit:
    if occasion not in Occasion.values:
        raise DomainError(_("请选择走访事由"), field="occasion")
    if visited_on > timezone.localdate():
        raise DomainError(_("走访日期不能晚于今天"), field="visited_on")
    if person.merged_into_id:
        raise DomainError(_("该人员已合并"), field="person")
    cash_value = parse_amount(cash, field="cash") if cash not in (None, "") else None
    goods_amount = (
        parse_amount(goods_value, field="goods_value", allow_zero=True) if goods_value not in (None, "") else None
    )
    staff_list = list(staff)
    if not staff_list and getattr(actor, "is_authenticated", False):
        staff_list = [actor]
    visit = CareVisit.objects.create(
        person=person,
        district_id=person.district_id,
        occasion=occasion,
        visited_on=visited_on,
        notes=notes.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    visit.staff_visitors.set(staff_list)
    visit.visitor_people.set([p for p in companions if p.pk != person.pk])
    if cash_value is not None:
        CareVisitItem.objects.create(visit=visit, kind="cash", description=_("慰问金"), amount=cash_value)
    if goods.strip() or goods_amount:
        CareVisitItem.objects.create(
            visit=visit, kind="goods", description=goods.strip()[:100], amount=goods_amount or 0
        )
    # a visit fulfils the open targets of plans running on its date
    for target in PlanTarget.objects.select_for_update().filter(
        person=person, visit__isnull=True, plan__starts_on__lte=visited_on, plan__due__gte=visited_on
    ):
        target.visit = visit
        target.save(update_fields=["visit"])
    log_action(actor, "casework.visit.recorded", visit, changes={"person": person.pk, "occasion": occasion})
    return visit


@transaction.atomic
def add_visit_photo(*, actor: Actor, visit: CareVisit, upload: UploadedFile) -> CareVisitPhoto:
    visit = CareVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.photos.count() >= MAX_PHOTOS:
        raise DomainError(_("每次走访最多%(n)s张照片") % {"n": MAX_PHOTOS}, field="file")
    content_type = check_upload(upload, allow_pdf=False)
    photo = CareVisitPhoto(
        visit=visit, content_type=content_type, uploaded_by=actor if getattr(actor, "pk", None) else None
    )
    photo.file.save(upload.name or "photo.jpg", upload, save=False)
    photo.save()
    log_action(actor, "casework.visit.photo_added", visit)
    return photo


@transaction.atomic
def create_plan(
    *,
    actor: Actor,
    title: str,
    district: Region | None,
    occasion: str,
    starts_on: dt.date,
    due: dt.date,
    people: Iterable[Person] = (),
    all_hardship: bool = False,
) -> VisitPlan:
    if not (title or "").strip():
        raise DomainError(_("请填写计划名称"), field="title")
    if due < starts_on:
        raise DomainError(_("完成期限不能早于开始日期"), field="due")
    if occasion not in Occasion.values:
        raise DomainError(_("请选择走访事由"), field="occasion")
    plan = VisitPlan.objects.create(
        title=title.strip(),
        district=district,
        occasion=occasion,
        starts_on=starts_on,
        due=due,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    chosen: dict[int, int] = {p.pk: p.district_id for p in people}
    if all_hardship:
        files = HardshipFile.objects.filter(status=FileStatus.OPEN, step=Step.FILED)
        if district is not None:
            files = files.filter(district=district)
        chosen |= dict(files.values_list("person_id", "district_id"))
    if not chosen:
        raise DomainError(_("计划中没有走访对象"), field="all_hardship")
    _add_targets(plan, chosen)
    log_action(actor, "casework.visit_plan.created", plan, changes={"targets": len(chosen)})
    return plan


def _add_targets(plan: VisitPlan, chosen: dict[int, int]) -> None:
    """Targets for ``chosen`` (person → district); a visit already made in the plan's period counts."""
    PlanTarget.objects.bulk_create(
        [PlanTarget(plan=plan, person_id=pid, district_id=did) for pid, did in chosen.items()]
    )
    for target in PlanTarget.objects.filter(plan=plan, person_id__in=chosen):
        visit = (
            CareVisit.objects.filter(
                person_id=target.person_id, visited_on__gte=plan.starts_on, visited_on__lte=plan.due
            )
            .order_by("visited_on")
            .first()
        )
        if visit:
            target.visit = visit
            target.save(update_fields=["visit"])


@transaction.atomic
def add_plan_target(*, actor: Actor, plan: VisitPlan, person: Person) -> PlanTarget:
    """Add one registry person to a plan after it was made (the plan row locked: two clerks adding
    the same person make one target)."""
    plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
    if person.merged_into_id is not None:
        raise DomainError(_("该人员已合并到其他档案"), field="person")
    if person.district_id is None:
        raise DomainError(_("该人员没有所属区县(市)，不能加入走访计划"), field="person")
    if plan.district_id is not None and person.district_id != plan.district_id:
        raise DomainError(_("该人员不属于本计划的区县(市)"), field="person")
    if PlanTarget.objects.filter(plan=plan, person=person).exists():
        raise DomainError(_("「%(name)s」已在计划中") % {"name": person.name}, field="person")
    _add_targets(plan, {person.pk: person.district_id})
    log_action(actor, "casework.visit_plan.target_added", plan, changes={"person": person.pk})
    return PlanTarget.objects.get(plan=plan, person=person)


@transaction.atomic
def remove_plan_target(*, actor: Actor, target: PlanTarget) -> None:
    """Take a person off a plan; one already visited stays (the visit counts for the plan)."""
    target = PlanTarget.objects.select_for_update().select_related("plan").get(pk=target.pk)
    if target.visit_id is not None:
        raise DomainError(_("已走访的对象不能移出计划"))
    log_action(actor, "casework.visit_plan.target_removed", target.plan, changes={"person": target.person_id})
    target.delete()


def move_person_rows(*, keep: Person, duplicate: Person) -> None:
    """For the merge hook: every row pointing at the duplicate now points at the kept person."""
    HardshipFile.objects.filter(person=duplicate).update(person=keep)
    CareVisit.objects.filter(person=duplicate).update(person=keep)
    through = CareVisit.visitor_people.through
    already = through.objects.filter(person=keep).values("carevisit_id")
    through.objects.filter(person=duplicate, carevisit_id__in=already).delete()
    through.objects.filter(person=duplicate).update(person=keep)
    PlanTarget.objects.filter(person=duplicate, plan__in=PlanTarget.objects.filter(person=keep).values("plan")).delete()
    PlanTarget.objects.filter(person=duplicate).update(person=keep)


__all__ = [
    "add_help",
    "add_member",
    "add_objection",
    "add_visit_photo",
    "advance_file",
    "close_file",
    "complete_recheck",
    "create_plan",
    "create_yearly_rechecks",
    "decide_help",
    "flag_deceased",
    "open_file",
    "record_visit",
    "send_back",
]
