"""Every write to payments. Each function owns its transaction, its locks and its audit entry.

The life of a round: ``draft_round`` (lines computed from a rule version) → district review
(``exclude_payout`` / ``restore_payout`` / ``note_payout``), ended by each district's
``report_district`` (区县确认上报; ``withdraw_district_report`` reopens it) → ``approve_round`` by
someone other than the creator, which freezes the list → later changes only through ``request_correction`` and
``decide_correction`` → bank file (the lines still to be paid;
a second download is confirmed) → ``mark_result`` / ``import_results`` → ``create_follow_up_round``
for the failed ones → ``close_round`` once every line has its result.

Nobody is paid twice for one kind and year (unless the rule version's ``allow_repeat`` says so):
the draft leaves out, with the reason, anyone who holds a line (included, pending or paid) in an
approved or closed round of that kind and year; approval refuses a round that would pay such a
person. Failed and returned lines hold nothing, so their re-issue can be approved. Approvals,
and additions by correction, of one kind serialise on the kind's row lock. Approval also refuses
lines without complete bank details (account number and bank).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import notify
from core.audit import diff, log_action
from core.errors import DomainError
from core.models import Actor, Region
from core.sheetreader import SheetError, read_rows
from payments.engine import Line, compute_lines, ever_paid
from payments.exports import bank_file, bank_lines_missing_details, sign_sheet_pdf, sign_sheets_pdf, summary_workbook
from payments.models import (
    LEVEL_AMOUNT_FIELDS,
    ZERO,
    BankLayout,
    BenefitKind,
    Correction,
    CorrectionKind,
    CorrectionStatus,
    DistrictReport,
    ExclusionReason,
    Payout,
    PayoutChange,
    PayoutResult,
    PayoutRound,
    RoundStatus,
    RuleSet,
    RuleVersion,
)
from payments.selectors import reissuable, round_totals
from people.models import Person, PersonStatus, TitleKind

# --- benefit kinds ------------------------------------------------------------------------------


@transaction.atomic
def save_benefit_kind(
    *,
    actor: Actor,
    kind: BenefitKind | None,
    code: str,
    name: str,
    description: str = "",
    active: bool = True,
    sort: int = 0,
) -> BenefitKind:
    others = BenefitKind.objects.exclude(pk=kind.pk) if kind else BenefitKind.objects.all()
    if others.filter(code=code).exists():
        raise DomainError(_("编码“%(code)s”已被使用") % {"code": code}, field="code")
    if others.filter(name=name).exists():
        raise DomainError(_("名称“%(name)s”已被使用") % {"name": name}, field="name")
    data = {"code": code, "name": name, "description": description, "active": active, "sort": sort}
    if kind is None:
        kind = BenefitKind.objects.create(**data)
        log_action(actor, "payments.kind.created", kind, changes={k: [None, v] for k, v in data.items()})
        return kind
    kind = BenefitKind.objects.select_for_update().get(pk=kind.pk)
    before = {k: getattr(kind, k) for k in data}
    for key, value in data.items():
        setattr(kind, key, value)
    kind.save()
    log_action(actor, "payments.kind.updated", kind, changes=diff(before, data))
    return kind


# --- rules --------------------------------------------------------------------------------------

RULE_FIELDS = (
    *LEVEL_AMOUNT_FIELDS.values(),
    "statuses",
    "title_kinds",
    "hardship_topup",
    "age_threshold",
    "age_topup",
    "excluded_title_ids",
    "excluded_person_ids",
    "allow_repeat",
)
MONEY_RULE_FIELDS = (*LEVEL_AMOUNT_FIELDS.values(), "hardship_topup", "age_topup")


def _clean_rules(rules: dict[str, Any]) -> dict[str, Any]:
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    for name in MONEY_RULE_FIELDS:
        try:
            value = Decimal(str(rules.get(name) or "0")).quantize(Decimal("0.01"))
        except InvalidOperation as exc:
            raise DomainError(_("金额必须是数字，最多两位小数"), field=name) from exc
        if value < ZERO:
            raise DomainError(_("金额不能为负数"), field=name)
        clean[name] = value
    statuses = list(rules.get("statuses") or [])
    if not statuses:
        raise DomainError(_("请至少选择一种符合条件的人员状态"), field="statuses")
    if set(statuses) - set(PersonStatus.values):
        raise DomainError(_("人员状态不正确"), field="statuses")
    clean["statuses"] = sorted(statuses)
    kinds = list(rules.get("title_kinds") or [])
    if not kinds or set(kinds) - set(TitleKind.values):
        raise DomainError(_("请至少选择一种计入的荣誉类别"), field="title_kinds")
    clean["title_kinds"] = sorted(kinds)
    threshold = rules.get("age_threshold")
    clean["age_threshold"] = int(threshold) if threshold else None
    if clean["age_topup"] > ZERO and not clean["age_threshold"]:
        raise DomainError(_("设置了高龄加发，请同时填写高龄线"), field="age_threshold")
    clean["excluded_title_ids"] = sorted({int(i) for i in rules.get("excluded_title_ids") or []})
    clean["excluded_person_ids"] = sorted({int(i) for i in rules.get("excluded_person_ids") or []})
    clean["allow_repeat"] = bool(rules.get("allow_repeat"))
    if all(clean[f] == ZERO for f in LEVEL_AMOUNT_FIELDS.values()):
        raise DomainError(_("请至少为一个级别设置金额"), field="amount_city")
    return clean


def _version_data(version: RuleVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in RULE_FIELDS}


@transaction.atomic
def create_rule_set(
    *, actor: Actor, kind: BenefitKind, year: int, name: str, rules: dict[str, Any], note: str = ""
) -> RuleSet:
    if RuleSet.objects.filter(kind=kind, year=year).exists():
        raise DomainError(
            _("%(year)s 年的“%(kind)s”规则已存在，请修改它（会保存为新版本）") % {"year": year, "kind": kind.name},
            field="year",
        )
    clean = _clean_rules(rules)
    rule_set = RuleSet.objects.create(kind=kind, year=year, name=name or f"{year}年{kind.name}发放规则")
    RuleVersion.objects.create(rule_set=rule_set, number=1, note=note or "初始版本", created_by=actor, **clean)
    log_action(actor, "payments.rules.created", rule_set, changes={k: [None, v] for k, v in clean.items()})
    return rule_set


@transaction.atomic
def save_rule_version(*, actor: Actor, rule_set: RuleSet, rules: dict[str, Any], note: str) -> RuleVersion:
    """Save an edit as the next version; earlier versions (and the rounds using them) stay as they were."""
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    clean = _clean_rules(rules)
    current = rule_set.current
    before = _version_data(current) if current else {}
    changes = diff(before, clean)
    if not changes:
        raise DomainError(_("规则没有变化，无需保存新版本"))
    if not note.strip():
        raise DomainError(_("请填写修改说明"), field="note")
    version = RuleVersion.objects.create(
        rule_set=rule_set, number=(current.number if current else 0) + 1, note=note, created_by=actor, **clean
    )
    log_action(actor, "payments.rules.versioned", rule_set, changes={"version": version.number, **changes})
    return version


# --- bank layouts -------------------------------------------------------------------------------

BANK_FIELDS = {
    "seq": "序号",
    "reference": "业务编号",
    "name": "姓名",
    "account_name": "户名",
    "account": "银行账号",
    "bank_name": "开户银行",
    "id_number": "身份证号",
    "amount": "金额",
    "district": "区县(市)",
    "level": "待遇级别",
    "remark": "用途",
}


@transaction.atomic
def save_bank_layout(
    *,
    actor: Actor,
    layout: BankLayout | None,
    name: str,
    columns: list[dict[str, str]],
    bank_name: str = "",
    sheet_title: str = "代发明细",
    is_default: bool = False,
) -> BankLayout:
    if not columns:
        raise DomainError(_("请至少设置一列"), field="columns")
    for col in columns:
        if col.get("field") not in BANK_FIELDS:
            raise DomainError(_("未知的字段“%(field)s”") % {"field": col.get("field")}, field="columns")
        col["header"] = (col.get("header") or BANK_FIELDS[col["field"]]).strip()
    if not any(c["field"] == "account" for c in columns) or not any(c["field"] == "amount" for c in columns):
        raise DomainError(_("代发文件必须包含“银行账号”和“金额”两列"), field="columns")
    others = BankLayout.objects.exclude(pk=layout.pk) if layout else BankLayout.objects.all()
    if others.filter(name=name).exists():
        raise DomainError(_("名称“%(name)s”已被使用") % {"name": name}, field="name")
    data = {"name": name, "bank_name": bank_name, "columns": columns, "sheet_title": sheet_title[:31] or "代发明细"}
    if is_default:
        others.update(is_default=False)
    if layout is None:
        layout = BankLayout.objects.create(is_default=is_default, **data)
        log_action(actor, "payments.layout.created", layout, changes=data)
        return layout
    before = {k: getattr(layout, k) for k in data}
    for key, value in data.items():
        setattr(layout, key, value)
    layout.is_default = is_default
    layout.save()
    log_action(actor, "payments.layout.updated", layout, changes=diff(before, data))
    return layout


# --- rounds -------------------------------------------------------------------------------------

_PAYOUT_COLUMNS = (
    "round_id",
    "person_id",
    "district_id",
    "level",
    "honour_name",
    "honour_year",
    "base_amount",
    "hardship_topup",
    "age_topup",
    "amount",
    "reason",
    "first_time",
    "excluded",
    "excluded_reason",
    "note",
    "bank_name",
    "bank_account_name",
    "bank_account_encrypted",
    "bank_account_masked",
    "result",
    "result_reason",
)


def _payout_row(round_id: int, line: Line, held: str | None = None) -> tuple[Any, ...]:
    return (
        round_id,
        line.person_id,
        line.district_id,
        line.level,
        line.honour_name,
        line.honour_year,
        line.base_amount,
        line.hardship_topup,
        line.age_topup,
        line.amount,
        line.reason[:300],
        line.first_time,
        held is not None,
        ExclusionReason.ALREADY_PAID.value if held is not None else "",
        (held or "")[:300],
        "",
        "",
        "",
        "",
        PayoutResult.PENDING.value,
        "",
    )


def _copy_text(value: Any) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _insert_payouts(
    round_id: int,
    lines: list[Line],
    progress: Callable[[int, int], None] | None = None,
    held: dict[int, str] | None = None,
) -> None:
    """PostgreSQL: COPY in text format, written in large chunks (100,000 lines in about a
    second); elsewhere bulk_create in batches. ``held``: person → note, for the people left out
    because they are already paid this year (their lines are written excluded, with the note)."""
    held = held or {}
    total = len(lines)
    if connection.vendor == "postgresql":
        cols = ", ".join(_PAYOUT_COLUMNS)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            # The columns every new line has alike are formatted once (see _payout_row).
            head = f"{round_id}\t"
            tail = "\t".join(_copy_text(v) for v in _payout_row(round_id, lines[0])[12:]) if lines else ""
            with raw.copy(f"COPY payments_payout ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                chunk: list[str] = []
                for i, ln in enumerate(lines, 1):
                    note = held.get(ln.person_id)
                    line_tail = (
                        tail if note is None else "\t".join(_copy_text(v) for v in _payout_row(round_id, ln, note)[12:])
                    )
                    chunk.append(
                        f"{head}{ln.person_id}\t{ln.district_id}\t{ln.level}\t{_copy_text(ln.honour_name)}\t"
                        f"{_copy_text(ln.honour_year)}\t{ln.base_amount}\t{ln.hardship_topup}\t{ln.age_topup}\t"
                        f"{ln.amount}\t{_copy_text(ln.reason[:300])}\t{'t' if ln.first_time else 'f'}\t{line_tail}"
                    )
                    if i % 20000 == 0:
                        copy.write("\n".join(chunk) + "\n")
                        chunk = []
                        if progress:
                            progress(i, total)
                if chunk:
                    copy.write("\n".join(chunk) + "\n")
    else:
        batch = 500
        for start in range(0, total, batch):
            part = lines[start : start + batch]
            Payout.objects.bulk_create(
                [
                    Payout(**dict(zip(_PAYOUT_COLUMNS, _payout_row(round_id, ln, held.get(ln.person_id)), strict=True)))
                    for ln in part
                ]
            )
            if progress:
                progress(min(start + batch, total), total)
    if progress:
        progress(total, total)


def holding_lines(kind_id: int, year: int) -> QuerySet[Payout]:
    """The lines that pay their person this kind and year: included, pending or paid, in an
    approved or closed round. Failed and returned lines hold nothing (they are re-issued)."""
    return Payout.objects.filter(
        round__kind_id=kind_id,
        round__year=year,
        round__status__in=[RoundStatus.APPROVED, RoundStatus.CLOSED],
        excluded=False,
        result__in=[PayoutResult.PENDING, PayoutResult.PAID],
    )


def _held_note(title: str, reference: str, result: str) -> str:
    verb = "发放" if result == PayoutResult.PAID else "批准发放"
    return f"本年度已在“{title}”（{reference}）{verb}，不重复发放"


def _held(kind_id: int, year: int, *, person_ids: list[int] | None = None, exclude_round: int = 0) -> dict[int, str]:
    """Person → why they are already paid this kind and year."""
    qs = holding_lines(kind_id, year).exclude(round_id=exclude_round)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return {
        person_id: _held_note(title, f"P{pk:08d}", result)
        for person_id, pk, title, result in qs.values_list("person_id", "pk", "round__title", "result")
    }


def _names(qs: QuerySet[Payout], limit: int = 5) -> str:
    names = list(qs.order_by("id").values_list("person__name", flat=True)[: limit + 1])
    text = "、".join(names[:limit])
    return text + ("等" if len(names) > limit else "")


def _missing_bank(qs: QuerySet[Payout]) -> QuerySet[Payout]:
    """Lines whose person has no account number or no bank: they can't be paid by a bank file."""
    return qs.filter(Q(person__bank_account_encrypted="") | Q(person__bank_name=""))


@transaction.atomic
def draft_round(
    *,
    actor: Actor,
    rule_set: RuleSet,
    title: str,
    reference_date: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> PayoutRound:
    """A new draft round from the current rule version: one line per qualifying person. Anyone
    already paid this kind and year in another round gets an excluded line saying where (unless
    the rule version allows repeats)."""
    version = rule_set.current
    if version is None:
        raise DomainError(_("该规则还没有任何版本"))
    if not rule_set.kind.active:
        raise DomainError(_("“%(kind)s”已停用") % {"kind": rule_set.kind.name})
    title = title.strip() or f"{rule_set.year}年{rule_set.kind.name}"
    if PayoutRound.objects.filter(title=title).exists():
        raise DomainError(_("已有名为“%(title)s”的批次") % {"title": title}, field="title")
    round_ = PayoutRound.objects.create(
        kind=rule_set.kind,
        rule_version=version,
        title=title,
        year=rule_set.year,
        reference_date=reference_date,
        created_by=actor,
    )
    lines = compute_lines(version, reference_date=reference_date, paid_before=ever_paid(rule_set.kind_id))
    if not lines:
        raise DomainError(_("按当前规则没有符合条件的人员，未生成批次"))
    held = {} if version.allow_repeat else _held(rule_set.kind_id, rule_set.year)
    held = {ln.person_id: held[ln.person_id] for ln in lines if ln.person_id in held}
    _insert_payouts(round_.pk, lines, progress, held)
    total = sum((line.amount for line in lines if line.person_id not in held), ZERO)
    changes: dict[str, Any] = {"rule_version": str(version), "people": len(lines) - len(held), "total": total}
    if held:
        changes["already_paid"] = len(held)
    log_action(actor, "payments.round.drafted", round_, changes=changes)
    notify.notify_staff(
        perm="payments.approve",
        region=None,
        subject=_("发放批次待批准：%(title)s") % {"title": title},
        body=_("发放批次“%(title)s”已生成（%(people)s 人，合计 ¥%(total)s），待各区县审核名单后批准。")
        % {"title": title, "people": f"{len(lines) - len(held):,}", "total": f"{total:,.2f}"},
        link=reverse("payments:round_detail", kwargs={"pk": round_.pk}),
        related=round_,
        exclude=actor,
    )
    return round_


def _locked_draft_payout(payout: Payout) -> Payout:
    payout = Payout.objects.select_for_update().select_related("round", "person", "district").get(pk=payout.pk)
    if payout.round.status != RoundStatus.DRAFT:
        raise DomainError(_("名单已批准冻结，只能通过更正申请修改"))
    if DistrictReport.objects.filter(round_id=payout.round_id, district_id=payout.district_id).exists():
        raise DomainError(_("“%(district)s”已确认上报，如需修改请先撤回上报") % {"district": payout.district.name})
    return payout


def _record_change(actor: Actor, payout: Payout, action: str, detail: str) -> None:
    PayoutChange.objects.create(
        round_id=payout.round_id, payout=payout, action=action, detail=detail[:300], actor=actor
    )


@transaction.atomic
def exclude_payout(*, actor: Actor, payout: Payout, reason: str, note: str = "") -> Payout:
    if reason not in ExclusionReason.values:
        raise DomainError(_("请选择剔除原因"), field="reason")
    if reason == ExclusionReason.OTHER and not note.strip():
        raise DomainError(_("原因为“其他”时请在备注中说明"), field="note")
    payout = _locked_draft_payout(payout)
    if payout.excluded:
        raise DomainError(_("“%(name)s”已被剔除") % {"name": payout.person.name})
    payout.excluded, payout.excluded_reason = True, reason
    if note:
        payout.note = note[:300]
    payout.save(update_fields=["excluded", "excluded_reason", "note"])
    label = str(ExclusionReason(reason).label)
    _record_change(actor, payout, PayoutChange.Action.EXCLUDED, f"{label}{'：' + note if note else ''}")
    log_action(
        actor,
        "payments.payout.excluded",
        payout,
        object_repr=payout.person.name,
        changes={"reason": label, "note": note},
    )
    return payout


@transaction.atomic
def restore_payout(*, actor: Actor, payout: Payout, note: str = "") -> Payout:
    payout = _locked_draft_payout(payout)
    if not payout.excluded:
        raise DomainError(_("“%(name)s”未被剔除") % {"name": payout.person.name})
    round_ = payout.round
    if not round_.rule_version.allow_repeat:
        held = _held(round_.kind_id, round_.year, person_ids=[payout.person_id], exclude_round=round_.pk)
        if held:
            raise DomainError(
                _("“%(name)s”不能恢复：%(why)s") % {"name": payout.person.name, "why": held[payout.person_id]}
            )
    before = payout.get_excluded_reason_display()
    payout.excluded, payout.excluded_reason = False, ""
    payout.save(update_fields=["excluded", "excluded_reason"])
    _record_change(actor, payout, PayoutChange.Action.RESTORED, f"恢复（原剔除原因：{before}）{note}")
    log_action(actor, "payments.payout.restored", payout, object_repr=payout.person.name, changes={"note": note})
    return payout


@transaction.atomic
def note_payout(*, actor: Actor, payout: Payout, note: str) -> Payout:
    payout = _locked_draft_payout(payout)
    before = payout.note
    payout.note = note.strip()[:300]
    payout.save(update_fields=["note"])
    _record_change(actor, payout, PayoutChange.Action.NOTED, payout.note or "（清除备注）")
    log_action(
        actor, "payments.payout.noted", payout, object_repr=payout.person.name, changes={"note": [before, payout.note]}
    )
    return payout


@transaction.atomic
def approve_round(*, actor: Actor, round_: PayoutRound) -> PayoutRound:
    """Four eyes: the approver is not the creator. Approval freezes the list and copies each
    included person's bank account into the line. Concurrent approvals serialise on the row lock;
    all but the first find the round no longer a draft."""
    round_ = PayoutRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.DRAFT:
        raise DomainError(_("该批次已经批准，不能重复批准"))
    if round_.created_by_id is not None and round_.created_by_id == getattr(actor, "pk", None):
        raise DomainError(_("批次须由创建人以外的人员批准（双人复核）"))
    included = Payout.objects.filter(round=round_, excluded=False)
    people = included.count()
    if not people:
        raise DomainError(_("名单为空，不能批准"))
    # Approvals of one kind take turns, so two rounds approved at once can't both pay someone.
    BenefitKind.objects.select_for_update().get(pk=round_.kind_id)
    if not round_.rule_version.allow_repeat:
        others = holding_lines(round_.kind_id, round_.year).exclude(round=round_)
        doubles = included.filter(person_id__in=others.values("person_id"))
        n = doubles.count()
        if n:
            raise DomainError(
                _(
                    "有 %(n)s 人本年度已在其他批次批准或发放，不能重复发放：%(names)s。"
                    "请先在名单中剔除（原因选“本年度已在其他批次发放”）再批准"
                )
                % {"n": n, "names": _names(doubles)}
            )
    missing = _missing_bank(included)
    n = missing.count()
    if n:
        raise DomainError(
            _("有 %(n)s 人缺少银行账号或开户银行，不能批准：%(names)s。请补全银行信息或剔除后再批准")
            % {"n": n, "names": _names(missing)}
        )
    person = Person.objects.filter(pk=OuterRef("person_id"))
    included.update(
        bank_name=Subquery(person.values("bank_name")[:1]),
        bank_account_name=Subquery(person.values("bank_account_name")[:1]),
        bank_account_encrypted=Subquery(person.values("bank_account_encrypted")[:1]),
        bank_account_masked=Subquery(person.values("bank_account_masked")[:1]),
    )
    round_.status = RoundStatus.APPROVED
    round_.approved_by = actor
    round_.approved_at = timezone.now()
    round_.save(update_fields=["status", "approved_by", "approved_at"])

    totals = round_totals(round_)
    reported = set(DistrictReport.objects.filter(round=round_).values_list("district_id", flat=True))
    unreported = list(
        Region.objects.filter(pk__in=included.values("district_id"))
        .exclude(pk__in=reported)
        .order_by("sort", "code")
        .values_list("name", flat=True)
    )
    changes: dict[str, Any] = {"people": totals.approved_people, "total": totals.approved_total}
    if unreported:
        # Approved before every district reported: who had not, on the record.
        changes["unreported_districts"] = unreported
    log_action(actor, "payments.round.approved", round_, changes=changes)
    return round_


# --- district review: confirm and report ---------------------------------------------------------


@transaction.atomic
def report_district(*, actor: Actor, round_: PayoutRound, district: Region) -> DistrictReport:
    """区县确认上报: the district's lines are reviewed; the city sees it and they freeze for the district."""
    round_ = PayoutRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.DRAFT:
        raise DomainError(_("批次已批准，无需再上报"))
    lines = Payout.objects.visible_to(actor).filter(round=round_, district=district)
    if not lines.exists():
        raise DomainError(_("本批次没有“%(district)s”的名单") % {"district": district.name})
    if DistrictReport.objects.filter(round=round_, district=district).exists():
        raise DomainError(_("“%(district)s”已确认上报") % {"district": district.name})
    included = lines.filter(excluded=False)
    people = included.count()
    total = sum(included.values_list("amount", flat=True), ZERO)
    report = DistrictReport.objects.create(
        round=round_, district=district, people=people, total=total, reported_by=actor
    )
    log_action(
        actor,
        "payments.district.reported",
        round_,
        object_repr=f"{round_} · {district.name}",
        changes={"district": district.name, "people": people, "total": total},
    )
    return report


@transaction.atomic
def withdraw_district_report(*, actor: Actor, round_: PayoutRound, district: Region) -> None:
    round_ = PayoutRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.DRAFT:
        raise DomainError(_("批次已批准，上报不能撤回"))
    report = DistrictReport.objects.filter(round=round_, district=district).first()
    if report is None:
        raise DomainError(_("“%(district)s”尚未上报") % {"district": district.name})
    report.delete()
    log_action(
        actor,
        "payments.district.withdrawn",
        round_,
        object_repr=f"{round_} · {district.name}",
        changes={"district": district.name},
    )


# --- corrections --------------------------------------------------------------------------------


@transaction.atomic
def request_correction(
    *,
    actor: Actor,
    round_: PayoutRound,
    kind: str,
    reason: str,
    payout: Payout | None = None,
    person: Person | None = None,
    new_amount: Decimal | None = None,
) -> Correction:
    round_ = PayoutRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.APPROVED:
        raise DomainError(_("只有已批准、未结清的批次需要更正；草稿可直接在名单中修改"))
    if not reason.strip():
        raise DomainError(_("请填写更正原因"), field="reason")
    if kind == CorrectionKind.ADD:
        if person is None:
            raise DomainError(_("请选择要补录的人员"), field="person")
        if Payout.objects.filter(round=round_, person=person).exists():
            raise DomainError(_("“%(name)s”已在本批次名单中") % {"name": person.name}, field="person")
        if new_amount is None or new_amount <= ZERO:
            raise DomainError(_("请填写补录金额"), field="new_amount")
        if not person.bank_account_encrypted or not person.bank_name:
            raise DomainError(
                _("“%(name)s”缺少银行账号或开户银行，请先补全银行信息再补录") % {"name": person.name}, field="person"
            )
        _refuse_double(round_, person)
        district_id = person.district_id
    elif kind in (CorrectionKind.EXCLUDE, CorrectionKind.AMOUNT):
        if payout is None or payout.round_id != round_.pk:
            raise DomainError(_("请选择本批次中的一条明细"))
        if payout.excluded:
            raise DomainError(_("该明细已剔除"))
        if payout.result != PayoutResult.PENDING:
            raise DomainError(_("该明细已有发放结果，不能再更正"))
        person = payout.person
        district_id = payout.district_id
        if kind == CorrectionKind.AMOUNT:
            if new_amount is None or new_amount < ZERO or new_amount == payout.amount:
                raise DomainError(_("请填写与原金额不同的更正后金额"), field="new_amount")
        else:
            new_amount = None
    else:
        raise DomainError(_("更正类型不正确"), field="kind")
    if Correction.objects.filter(round=round_, person=person, status=CorrectionStatus.PENDING).exists():
        raise DomainError(_("“%(name)s”已有待审批的更正") % {"name": person.name})
    correction = Correction.objects.create(
        round=round_,
        kind=kind,
        payout=payout,
        person=person,
        district_id=district_id,
        new_amount=new_amount.quantize(Decimal("0.01")) if new_amount is not None else None,
        reason=reason.strip()[:300],
        requested_by=actor,
    )
    log_action(
        actor,
        "payments.correction.requested",
        correction,
        object_repr=f"{round_} · {person.name}",
        changes={"kind": kind, "new_amount": new_amount, "reason": reason},
    )
    notify.notify_staff(
        perm="payments.approve",
        region=correction.district,
        subject=_("名单更正待审批：%(round)s") % {"round": round_.title},
        body=_("“%(round)s”中%(name)s的更正（%(kind)s）待审批：%(reason)s")
        % {"round": round_.title, "name": person.name, "kind": CorrectionKind(kind).label, "reason": reason.strip()},
        link=reverse("payments:round_detail", kwargs={"pk": round_.pk}),
        related=correction,
        exclude=actor,
    )
    return correction


@transaction.atomic
def decide_correction(*, actor: Actor, correction: Correction, approve: bool, note: str = "") -> Correction:
    correction = Correction.objects.select_for_update().select_related("round", "person").get(pk=correction.pk)
    if correction.status != CorrectionStatus.PENDING:
        raise DomainError(_("该更正已处理"))
    if correction.requested_by_id == getattr(actor, "pk", None):
        raise DomainError(_("更正须由申请人以外的人员审批（双人复核）"))
    round_ = PayoutRound.objects.select_for_update().get(pk=correction.round_id)
    if round_.status != RoundStatus.APPROVED:
        raise DomainError(_("批次已结清，不能再更正"))
    correction.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
    correction.decided_by = actor
    correction.decided_at = timezone.now()
    correction.decision_note = note[:200]
    detail = ""
    if approve:
        detail = _apply_correction(actor, correction)
    correction.save()
    log_action(
        actor,
        "payments.correction.approved" if approve else "payments.correction.rejected",
        correction,
        object_repr=f"{round_} · {correction.person.name}",
        changes={"kind": correction.kind, "applied": detail, "note": note},
    )
    return correction


def _refuse_double(round_: PayoutRound, person: Person) -> None:
    if round_.rule_version.allow_repeat:
        return
    held = _held(round_.kind_id, round_.year, person_ids=[person.pk], exclude_round=round_.pk)
    if held:
        raise DomainError(_("“%(name)s”不能补录：%(why)s") % {"name": person.name, "why": held[person.pk]})


def _apply_correction(actor: Actor, correction: Correction) -> str:
    if correction.kind == CorrectionKind.ADD:
        person = correction.person
        round_ = correction.round
        # Same turn-taking as approval: an addition can't race an approval of the same kind.
        BenefitKind.objects.select_for_update().get(pk=round_.kind_id)
        _refuse_double(round_, person)
        amount = correction.new_amount or ZERO
        payout = Payout.objects.create(
            round_id=correction.round_id,
            person=person,
            district_id=person.district_id,
            level=person.top_level or "city",
            honour_name="（更正补录）",
            base_amount=amount,
            amount=amount,
            reason=f"更正补录：{correction.reason}"[:300],
            first_time=person.pk not in ever_paid(correction.round.kind_id),
            bank_name=person.bank_name,
            bank_account_name=person.bank_account_name,
            bank_account_encrypted=person.bank_account_encrypted,
            bank_account_masked=person.bank_account_masked,
        )
        correction.payout = payout
        detail = f"补录，金额 {amount:,.2f}"
    else:
        payout = Payout.objects.select_for_update().get(pk=correction.payout_id or 0)
        if payout.result != PayoutResult.PENDING or payout.excluded:
            raise DomainError(_("该明细已有发放结果或已剔除，更正不能生效"))
        if correction.kind == CorrectionKind.EXCLUDE:
            payout.excluded, payout.excluded_reason = True, ExclusionReason.OTHER
            detail = f"剔除（原金额 {payout.amount:,.2f}）"
        else:
            detail = f"金额 {payout.amount:,.2f} → {correction.new_amount:,.2f}"
            payout.amount = correction.new_amount or ZERO
        payout.note = f"更正：{correction.reason}"[:300]
        payout.save()
    _record_change(actor, payout, PayoutChange.Action.CORRECTED, f"{detail}；原因：{correction.reason}")
    return detail


# --- results ------------------------------------------------------------------------------------

RESULT_WORDS = {
    "paid": PayoutResult.PAID,
    "成功": PayoutResult.PAID,
    "已发放": PayoutResult.PAID,
    "已支付": PayoutResult.PAID,
    "交易成功": PayoutResult.PAID,
    "failed": PayoutResult.FAILED,
    "失败": PayoutResult.FAILED,
    "发放失败": PayoutResult.FAILED,
    "交易失败": PayoutResult.FAILED,
    "returned": PayoutResult.RETURNED,
    "退回": PayoutResult.RETURNED,
    "退票": PayoutResult.RETURNED,
    "已退回": PayoutResult.RETURNED,
}


def _set_result(actor: Actor, payout: Payout, result: str, reason: str) -> bool:
    """Returns False when the line already has this result (nothing changes, nothing is logged)."""
    if payout.round.status != RoundStatus.APPROVED:
        raise DomainError(_("只有已批准、未结清的批次可以登记发放结果"))
    if payout.excluded:
        raise DomainError(_("“%(name)s”已剔除，无需登记结果") % {"name": payout.person.name})
    if result not in (PayoutResult.PAID, PayoutResult.FAILED, PayoutResult.RETURNED):
        raise DomainError(_("发放结果只能是已发放、发放失败或退回"), field="result")
    if result != PayoutResult.PAID and not reason.strip():
        raise DomainError(_("发放失败或退回时请填写原因"), field="reason")
    if payout.result == result and payout.result_reason == reason.strip():
        return False
    before = payout.result
    payout.result, payout.result_reason, payout.result_at = result, reason.strip()[:200], timezone.now()
    payout.save(update_fields=["result", "result_reason", "result_at"])
    label = PayoutResult(result).label
    _record_change(actor, payout, PayoutChange.Action.RESULT, f"{label}{'：' + reason if reason else ''}")
    log_action(
        actor,
        "payments.payout.result",
        payout,
        object_repr=payout.person.name,
        changes={"result": [before, result], "reason": reason},
    )
    return True


@transaction.atomic
def mark_result(*, actor: Actor, payout: Payout, result: str, reason: str = "") -> Payout:
    payout = Payout.objects.select_for_update().select_related("round", "person").get(pk=payout.pk)
    _set_result(actor, payout, result, reason)
    return payout


@dataclass
class ImportReport:
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


_HEADER_KEYS = {
    "reference": ("业务编号", "编号", "参考号", "流水号", "reference"),
    "result": ("状态", "结果", "交易状态", "处理结果", "result"),
    "reason": ("原因", "失败原因", "备注", "说明", "reason"),
    "amount": ("金额", "amount"),
}


def _header_map(row: list[Any]) -> dict[str, int]:
    cells = [str(c or "").strip() for c in row]
    found: dict[str, int] = {}
    for key, names in _HEADER_KEYS.items():
        for i, cell in enumerate(cells):
            if cell in names and key not in found:
                found[key] = i
    return found


@transaction.atomic
def import_results(*, actor: Actor, round_: PayoutRound, data: bytes, filename: str, visible: Any) -> ImportReport:
    """The bank's return file: one row per line, quoting our 业务编号, with a status and a reason.
    ``visible`` is the payouts queryset the importer may touch (their scope); other rows are refused."""
    try:
        sheet = read_rows(data, filename)
    except SheetError as exc:
        raise DomainError(str(exc)) from exc
    header_at, columns = -1, {}
    for i, row in enumerate(sheet.rows[:10]):
        columns = _header_map(row)
        if "reference" in columns and "result" in columns:
            header_at = i
            break
    if header_at < 0:
        raise DomainError(_("找不到表头：回盘文件须有“业务编号”和“状态”两列"))
    round_ = PayoutRound.objects.select_for_update().get(pk=round_.pk)
    report = ImportReport()
    # One locked read of the round's lines within the importer's scope, not one per row.
    lines = {
        p.pk: p for p in visible.select_for_update(of=("self",)).select_related("round", "person").filter(round=round_)
    }
    for offset, row in enumerate(sheet.rows[header_at + 1 :], start=header_at + 2):

        def cell(key: str, row: list[Any] = row) -> str:
            i = columns.get(key)
            return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

        reference = cell("reference").upper()
        if not reference and not any(str(c or "").strip() for c in row):
            continue
        if not reference.startswith("P") or not reference[1:].isdigit():
            report.refused.append((offset, _("业务编号“%(reference)s”格式不正确") % {"reference": reference}))
            continue
        result = RESULT_WORDS.get(cell("result").lower()) or RESULT_WORDS.get(cell("result"))
        if result is None:
            report.refused.append(
                (offset, _("状态“%(result)s”无法识别（应为成功、失败或退回）") % {"result": cell("result")})
            )
            continue
        payout = lines.get(int(reference[1:]))
        if payout is None:
            report.refused.append(
                (offset, _("业务编号 %(reference)s 不在本批次（或不在你的数据范围内）") % {"reference": reference})
            )
            continue
        if cell("amount"):
            # Spreadsheet numbers arrive as floats; their shortest text form is the typed amount.
            try:
                stated = Decimal(cell("amount").replace(",", "")).quantize(Decimal("0.01"))
            except InvalidOperation:
                report.refused.append((offset, _("金额“%(amount)s”不是数字") % {"amount": cell("amount")}))
                continue
            if stated != payout.amount:
                report.refused.append(
                    (
                        offset,
                        _("金额 %(stated)s 与名单金额 %(listed)s 不一致")
                        % {"stated": f"{stated:,.2f}", "listed": f"{payout.amount:,.2f}"},
                    )
                )
                continue
        try:
            with transaction.atomic():
                changed = _set_result(actor, payout, result, cell("reason") or ("" if result == "paid" else "银行回盘"))
        except DomainError as exc:
            report.refused.append((offset, exc.message))
            continue
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1
    log_action(
        actor,
        "payments.round.results_imported",
        round_,
        changes={
            "file": filename,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "refused": len(report.refused),
        },
    )
    return report


@transaction.atomic
def create_follow_up_round(*, actor: Actor, round_: PayoutRound, title: str = "") -> PayoutRound:
    """A new draft round re-issuing the failed and returned lines of ``round_`` (same amounts,
    same reasons); accounts are taken afresh at its approval, so corrected accounts are used."""
    round_ = PayoutRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.DRAFT:
        raise DomainError(_("批次尚未批准"))

    failed = list(reissuable(round_))
    if not failed:
        raise DomainError(_("没有需要补发的失败或退回明细"))
    title = title.strip() or f"{round_.title}（补发）"
    if PayoutRound.objects.filter(title=title).exists():
        n = PayoutRound.objects.filter(follow_up_of=round_).count() + 1
        title = f"{round_.title}（补发{n}）"
    follow = PayoutRound.objects.create(
        kind=round_.kind,
        rule_version=round_.rule_version,
        title=title,
        year=round_.year,
        reference_date=timezone.localdate(),
        follow_up_of=round_,
        created_by=actor,
    )
    Payout.objects.bulk_create(
        [
            Payout(
                round=follow,
                person_id=p.person_id,
                district_id=p.district_id,
                level=p.level,
                honour_name=p.honour_name,
                honour_year=p.honour_year,
                base_amount=p.base_amount,
                hardship_topup=p.hardship_topup,
                age_topup=p.age_topup,
                amount=p.amount,
                reason=f"补发 {p.reference}（{p.get_result_display()}：{p.result_reason}）；{p.reason}"[:300],
                first_time=p.first_time,
                reissue_of=p,
            )
            for p in failed
        ]
    )
    log_action(
        actor,
        "payments.round.follow_up",
        follow,
        changes={"source": str(round_), "people": len(failed), "total": sum((p.amount for p in failed), ZERO)},
    )
    return follow


@transaction.atomic
def close_round(*, actor: Actor, round_: PayoutRound) -> PayoutRound:
    round_ = PayoutRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.APPROVED:
        raise DomainError(_("只有已批准的批次可以结清"))
    pending = Payout.objects.filter(round=round_, excluded=False, result=PayoutResult.PENDING).count()
    if pending:
        raise DomainError(_("还有 %(n)s 人未登记发放结果，不能结清") % {"n": pending})
    if Correction.objects.filter(round=round_, status=CorrectionStatus.PENDING).exists():
        raise DomainError(_("还有待审批的更正，不能结清"))

    totals = round_totals(round_)
    if totals.approved_total != totals.paid_total + totals.failed_total + totals.returned_total:
        raise DomainError(_("对账不平，不能结清"))
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    log_action(
        actor,
        "payments.round.closed",
        round_,
        changes={"paid": totals.paid_total, "failed": totals.failed_total, "returned": totals.returned_total},
    )
    return round_


# --- exports that must be logged ----------------------------------------------------------------


@transaction.atomic
def export_bank_file(*, actor: Actor, round_: PayoutRound, layout: BankLayout, again: bool = False) -> bytes:
    """Full account numbers leave the system only here; the caller checks ``payments.bank_export``.
    The file holds the lines still to be paid (pending) with complete bank details; a second
    download needs ``again`` (the page asks first), and every download is counted and logged."""
    round_ = PayoutRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.DRAFT:
        raise DomainError(_("批次批准后才能导出银行代发文件"))
    if round_.bank_exports and not again:
        raise DomainError(
            _("本批次的代发文件已导出过 %(n)s 次，再次导出须确认") % {"n": round_.bank_exports}, field="again"
        )
    missing = bank_lines_missing_details(round_).count()
    content, people, total = bank_file(round_, layout)
    if not people:
        if missing:
            raise DomainError(_("待发放的 %(n)s 人都缺少银行账号或开户银行，没有可写入代发文件的明细") % {"n": missing})
        raise DomainError(_("本批次没有待发放的明细，无需导出代发文件"))
    round_.bank_exports += 1
    round_.bank_exported_at = timezone.now()
    round_.save(update_fields=["bank_exports", "bank_exported_at"])
    changes: dict[str, Any] = {"layout": layout.name, "people": people, "total": total, "export": round_.bank_exports}
    if missing:
        changes["missing_bank_details"] = missing
    log_action(actor, "payments.round.bank_exported", round_, changes=changes)
    return content


@transaction.atomic
def export_sign_sheet(*, actor: Actor, round_: PayoutRound, district: Region) -> bytes:
    """One district's 签收单 (names, amounts), in the actor's scope; logged."""
    if round_.status == RoundStatus.DRAFT:
        raise DomainError(_("批次批准后才能打印签收单"))
    content, count, total = sign_sheet_pdf(round_, district, actor)
    log_action(
        actor,
        "payments.round.sign_sheet_exported",
        round_,
        changes={"district": district.name, "people": count, "total": total},
    )
    return content


@transaction.atomic
def export_sign_sheets(
    *, actor: Actor, round_: PayoutRound, progress: Callable[[int, int], None] | None = None
) -> tuple[bytes, int, Decimal]:
    """Every district's 签收单 the actor sees, in one PDF; logged."""
    if round_.status == RoundStatus.DRAFT:
        raise DomainError(_("批次批准后才能打印签收单"))
    content, count, total = sign_sheets_pdf(round_, actor, progress=progress)
    log_action(
        actor,
        "payments.round.sign_sheet_exported",
        round_,
        changes={"district": "全部", "people": count, "total": total},
    )
    return content, count, total


@transaction.atomic
def export_summary(*, actor: Actor, round_: PayoutRound, paid_only: bool = False) -> bytes:
    """The summary workbook (by district and level) in the actor's scope; logged."""
    content = summary_workbook(round_, actor, paid_only=paid_only)
    log_action(
        actor,
        "payments.round.summary_exported",
        round_,
        changes={"basis": "paid" if paid_only else "approved"},
    )
    return content
