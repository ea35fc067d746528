"""Every write of the census: imports, campaigns, records, proposals, reviews, personal links.

Each function owns its transaction and its audit entries. People are written through
``people``: new people in bulk through ``people.bulk`` (the census writes no people table itself),
changes through ``people.services``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core import notify
from core.audit import log_action
from core.errors import DomainError
from core.models import Actor, Region, User
from core.scope import scope_for
from core.selectors import home_city
from people import names
from people import services as people_services
from people.bulk import WRITE_CHUNK, NewPerson, Registrar
from people.models import Honour, HonourTitle, Person, PersonStatus, Trade

from .importer import COLUMNS, FIELD_LABELS, IGNORE, Plan, Validation, validate_file
from .models import (
    Campaign,
    CensusRecord,
    ChangeProposal,
    ColumnMapping,
    ImportBatch,
    PersonalLink,
    ProposedChange,
    RecordState,
    Source,
)
from .selectors import campaign_figures, summary_of, summary_text
from .values import CellError, parse_phone

# ---------------------------------------------------------------- import


def commit_import(
    *, actor: Actor, validation: Validation, campaign: Campaign | None = None, batch: ImportBatch | None = None
) -> dict[str, int]:
    """Write a clean validation in one transaction. Without a campaign, updates reach the
    registry directly; within a campaign they become proposals waiting for review (new people are
    registered at once), and everybody in the file is marked as surveyed."""
    if validation.refused:
        raise DomainError(gettext("文件有错误，未导入任何数据；请按错误报告修改后重新上传"))
    with transaction.atomic():
        titles = _titles()
        created = [p for p in validation.plans if p.kind == "created"]
        with _Registrar(actor) as registrar:
            for start in range(0, len(created), WRITE_CHUNK):
                registrar.add_plans(created[start : start + WRITE_CHUNK])
        return _finish_import(actor, validation, titles, campaign, batch)


def import_file(
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    campaign: Campaign | None = None,
    batch: ImportBatch | None = None,
    progress: Any = None,
    mappings: dict[str, str] | None = None,
) -> tuple[Validation, dict[str, int] | None]:
    """Check the file and write it in one pass: what 确认导入 does after the preview. In one
    transaction, the new people of each checked chunk are written while the next chunk is being
    checked; if any row is refused the transaction is rolled back, so nothing is written, exactly
    as when the whole file is checked first. Returns the validation and, when written, the counts
    (as ``commit_import``)."""
    try:
        with transaction.atomic():
            titles = _titles()
            with _Registrar(actor) as registrar:
                validation = validate_file(
                    data,
                    filename,
                    actor=actor,
                    campaign=campaign,
                    progress=progress,
                    on_chunk=registrar.add_checked,
                    db_lock=registrar.lock,
                    mappings=mappings,
                )
                if validation.refused:
                    registrar.discard_unwritten()
            if validation.refused:
                transaction.set_rollback(True)  # what was written of the earlier chunks goes
                return validation, None
            return validation, _finish_import(actor, validation, titles, campaign, batch)
    except IntegrityError as exc:
        # Only another write to the registry while this import ran can get here (the file
        # itself has been checked against the registry and against itself).
        raise DomainError(
            gettext("导入期间登记库有其他改动（可能有人同时登记了文件中的人员），未导入任何数据；请重新导入")
        ) from exc


def _titles() -> dict[int, HonourTitle]:
    return {t.pk: t for t in HonourTitle.objects.all()}


def _finish_import(
    actor: Actor,
    validation: Validation,
    titles: dict[int, HonourTitle],
    campaign: Campaign | None,
    batch: ImportBatch | None,
) -> dict[str, int]:
    """Everything after the new people: updates (or proposals), census states, the summary."""
    counts = validation.counts()
    plans = validation.plans
    proposals = 0
    for plan in plans:
        if plan.kind != "updated":
            continue
        if campaign is not None:
            proposals += _propose_from_plan(actor, campaign, plan)
        else:
            _apply_plan(actor, plan, titles)
    if campaign is not None:
        _mark_surveyed(actor, campaign, plans)
    if proposals and batch is not None:
        notify.notify_staff(
            perm="census.review",
            region=batch.region,
            subject=gettext("普查变更待审核：%(file)s") % {"file": validation.filename},
            body=gettext("导入“%(file)s”带来 %(n)s 人的普查变更待审核。")
            % {"file": validation.filename, "n": f"{proposals:,}"},
            link=reverse("census:reviews"),
            related=batch,
            exclude=actor,
        )
    log_action(
        actor,
        "census.import.committed",
        batch,
        changes={
            "filename": validation.filename,
            "campaign": campaign.year if campaign else None,
            "proposals": proposals,
        }
        | counts,
        object_repr=validation.filename,
    )
    if batch is not None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.COMMITTED,
            committed_at=timezone.now(),
            report=validation.report() | {"committed": counts | {"proposals": proposals}},
        )
    return counts | {"proposals": proposals}


class _Registrar(Registrar):
    """people.bulk's registrar fed with checked plans: the new people among them are registered
    and each plan learns its person's id."""

    def add_checked(self, plans: list[Plan]) -> None:
        self.add_plans([p for p in plans if p.kind == "created"])

    def add_plans(self, plans: list[Plan]) -> None:
        new = [
            NewPerson(
                fields=p.fields,
                region_id=p.region_id,  # type: ignore[arg-type]  # a new person's region is checked
                id_number=p.id_number,
                id_hash=p.id_hash,
                honours=p.honours,
                skills=p.skills,
            )
            for p in plans
        ]
        self.add(new)
        for plan, person in zip(plans, new, strict=True):
            plan.person_id = person.person_id


def _apply_plan(actor: Actor, plan: Plan, titles: dict[int, HonourTitle]) -> None:
    """An update, through people.services (one audit entry per change)."""
    person = Person.objects.get(pk=plan.person_id or 0)
    updates = dict(plan.updates)
    region_id = updates.pop("region", None)
    if updates or region_id:
        people_services.update_person(
            actor=actor,
            person=person,
            region=Region.objects.get(pk=region_id) if region_id else None,
            **updates,
        )
    for title_id, year in plan.new_honours:
        people_services.add_honour(actor=actor, person=person, title=titles[title_id], year=year)
    _set_skills(actor, person, plan.new_skills)


def _set_skills(actor: Actor, person: Person, skills: Iterable[tuple[int, str, str]]) -> None:
    for trade_id, grade, specialties in skills:
        people_services.set_skill(
            actor=actor, person=person, trade=Trade.objects.get(pk=trade_id), grade=grade, specialties=specialties
        )


def _propose_from_plan(actor: Actor, campaign: Campaign, plan: Plan) -> int:
    record = CensusRecord.objects.filter(campaign=campaign, person_id=plan.person_id or 0).first()
    if record is None:
        return 0
    if record.proposals.filter(status=ChangeProposal.Status.PENDING).exists():
        return 0  # already waiting for review (the same file imported again)
    changes = []
    for key, value in plan.updates.items():
        label = FIELD_LABELS[key]
        before, after = plan.changes[label]
        changes.append((key, label, before, after, value))
    if plan.new_honours:
        before, after = plan.changes["荣誉称号"]
        changes.append(("honours", "荣誉称号", before, after, [list(h) for h in plan.new_honours]))
    if plan.new_skills:
        label = FIELD_LABELS["skills"]
        before, after = plan.changes[label]
        changes.append(("skills", label, before, after, [list(s) for s in plan.new_skills]))
    _create_proposal(actor, record, Source.IMPORT, changes, note="")
    return 1


def _mark_surveyed(actor: Actor, campaign: Campaign, plans: list[Plan]) -> None:
    """People in a campaign's spreadsheet are reached: unchanged → confirmed; new people get a
    record (confirmed); changed people are already "changed" through their proposal."""
    now = timezone.now()
    by_person = {p.person_id: p for p in plans}
    existing = set(
        CensusRecord.objects.filter(campaign=campaign, person_id__in=list(by_person)).values_list(
            "person_id", flat=True
        )
    )
    new_people = [pid for pid in by_person if pid not in existing]
    if new_people:
        people = Person.objects.filter(pk__in=new_people).select_related("region")
        CensusRecord.objects.bulk_create(
            [
                CensusRecord(
                    campaign=campaign,
                    person=p,
                    district_id=p.district_id,
                    street_id=p.region_id if p.region_id != p.district_id else None,
                    state=RecordState.CONFIRMED,
                    source=Source.IMPORT,
                    updated_by=actor if getattr(actor, "is_authenticated", False) else None,
                    updated_at=now,
                )
                for p in people
            ],
            batch_size=500,
        )
    unchanged = [p.person_id for p in plans if p.kind == "unchanged"]
    for start in range(0, len(unchanged), 500):
        CensusRecord.objects.filter(
            campaign=campaign, person_id__in=unchanged[start : start + 500], state=RecordState.PENDING
        ).update(
            state=RecordState.CONFIRMED,
            source=Source.IMPORT,
            updated_at=now,
            updated_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


# An upload holds full ID numbers: it is kept only while it is needed (preview, commit, the
# marked-up copy of a refused file), at most this long, and emptied at once when imported.
UPLOAD_KEEP = dt.timedelta(hours=24)


def store_upload(*, actor: User, data: bytes, filename: str, campaign: Campaign | None = None) -> ImportBatch:

    scope = scope_for(actor)
    if scope.everything:
        region = home_city()
    elif len(scope.region_ids) == 1:
        region = Region.objects.get(pk=next(iter(scope.region_ids)))
    else:
        raise DomainError(gettext("您的账号对应多个区县，请联系协会导入"))
    if campaign is not None and not campaign.is_open:
        raise DomainError(gettext("“%(campaign)s”已结束，不能再导入") % {"campaign": campaign})
    purge_stale_uploads()
    batch = ImportBatch.objects.create(
        campaign=campaign, region=region, created_by=actor, filename=filename[:200], content=data
    )
    log_action(actor, "census.import.uploaded", batch, changes={"filename": filename, "bytes": len(data)})
    return batch


def validate_batch(*, actor: Actor, batch: ImportBatch, progress: Any = None) -> Validation:

    validation = validate_file(
        bytes(batch.content),
        batch.filename,
        actor=actor,
        campaign=batch.campaign,
        progress=progress,
        mappings=_mappings(batch),
    )
    status = ImportBatch.Status.REFUSED if validation.refused else ImportBatch.Status.READY
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, report=validation.report())
    batch.status, batch.report = status, validation.report()
    return validation


def _mappings(batch: ImportBatch) -> dict[str, str]:
    return dict(ColumnMapping.objects.filter(region=batch.region_id).values_list("header", "field"))


@transaction.atomic
def map_columns(*, actor: Actor, batch: ImportBatch, choices: dict[str, str]) -> list[ColumnMapping]:
    """The clerk says what each column the importer did not know holds (``choices``: the
    column's ``header_key`` → a ``COLUMNS`` key, or ``IGNORE``). Remembered for the batch's area
    (ImportBatch.region), so that area's next files are read the same way; the caller checks the
    file again. One audit entry."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.COMMITTED:
        raise DomainError(gettext("该文件已经导入过了"))
    unmapped = {u["key"]: u["header"] for u in (batch.report or {}).get("unmapped", [])}
    if not unmapped:
        raise DomainError(gettext("该文件没有需要选择的列"))
    missing = [label for key, label in unmapped.items() if key not in choices]
    if missing:
        raise DomainError(
            gettext("请为每一列选择对应的字段或“忽略此列”：%(columns)s") % {"columns": "、".join(missing)}
        )
    present = set((batch.report or {}).get("fields", []))
    taken: dict[str, str] = {}
    for key, label in unmapped.items():
        field = choices[key]
        if field != IGNORE and field not in COLUMNS:
            raise DomainError(gettext("“%(column)s”列选择的字段不存在") % {"column": label}, field=key)
        if field in present:
            raise DomainError(
                gettext("文件中已有“%(field)s”列，“%(column)s”列不能再作为“%(field)s”导入")
                % {"field": COLUMNS[field][0], "column": label},
                field=key,
            )
        if field and field in taken:
            raise DomainError(
                gettext("“%(a)s”和“%(b)s”两列不能都作为“%(field)s”导入")
                % {"a": taken[field], "b": label, "field": COLUMNS[field][0]},
                field=key,
            )
        taken[field] = label
    saved = [
        ColumnMapping.objects.update_or_create(
            region_id=batch.region_id,
            header=key,
            defaults={
                "field": choices[key],
                "label": label[:200],
                "updated_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )[0]
        for key, label in unmapped.items()
    ]
    log_action(
        actor,
        "census.import.columns_mapped",
        batch,
        changes={label: COLUMNS[choices[key]][0] if choices[key] else None for key, label in unmapped.items()},
    )
    return saved


def commit_batch(*, actor: Actor, batch: ImportBatch, progress: Any = None) -> dict[str, int]:
    """Check the stored file again (the registry may have moved since the preview) and write it,
    in one pass (``import_file``). Once written, the file is emptied (the report stays)."""
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.status == ImportBatch.Status.COMMITTED:
        raise DomainError(gettext("该文件已经导入过了"))
    if not batch.content:
        raise DomainError(gettext("上传的文件已过保留期限被删除，请重新上传"))
    if batch.campaign is not None and not batch.campaign.is_open:
        raise DomainError(gettext("“%(campaign)s”已结束，不能再导入") % {"campaign": batch.campaign})
    validation, counts = import_file(
        actor=actor,
        data=bytes(batch.content),
        filename=batch.filename,
        campaign=batch.campaign,
        batch=batch,
        progress=progress,
        mappings=_mappings(batch),
    )
    if counts is None:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.REFUSED, report=validation.report())
        raise DomainError(gettext("文件有错误，未导入任何数据；请按错误报告修改后重新上传"))
    ImportBatch.objects.filter(pk=batch.pk).update(content=b"")
    return counts


def describe_import(counts: dict[str, int], *, in_campaign: bool) -> str:
    """What an import did, in the words the pages, the job page and the command line use: within
    a campaign, changes wait for review and are not "updated"."""
    parts = []
    if counts.get("created"):
        parts.append(gettext("新增 %(n)s 人") % {"n": f"{counts['created']:,}"})
    if in_campaign:
        proposed = counts.get("proposals", 0)
        waiting = counts.get("updated", 0) - proposed
        if proposed:
            parts.append(gettext("%(n)s 人的更改待审核") % {"n": f"{proposed:,}"})
        if waiting > 0:
            parts.append(gettext("%(n)s 人已有更改在等待审核，本次未重复提交") % {"n": f"{waiting:,}"})
        if counts.get("unchanged"):
            parts.append(gettext("%(n)s 人信息无变化") % {"n": f"{counts['unchanged']:,}"})
    else:
        if counts.get("updated"):
            parts.append(gettext("%(n)s 人已更新") % {"n": f"{counts['updated']:,}"})
        if counts.get("unchanged"):
            parts.append(gettext("%(n)s 人无变化") % {"n": f"{counts['unchanged']:,}"})
    return gettext("导入完成：%(what)s") % {"what": "，".join(parts) or gettext("文件中没有人员")}


@transaction.atomic
def abandon_batch(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """The clerk gives up a previewed or refused upload: its file is deleted now."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in {ImportBatch.Status.READY, ImportBatch.Status.REFUSED}:
        raise DomainError(gettext("该文件当前不能放弃（%(status)s）") % {"status": batch.get_status_display()})
    before = batch.status
    batch.status = ImportBatch.Status.ABANDONED
    batch.content = b""
    batch.save(update_fields=["status", "content"])
    log_action(
        actor, "census.import.abandoned", batch, changes={"status": [before, batch.status]}, object_repr=batch.filename
    )
    return batch


def purge_stale_uploads(*, now: dt.datetime | None = None) -> int:
    """Empty the files of uploads nobody came back to within ``UPLOAD_KEEP`` (a preview never
    imported becomes abandoned; a refused file keeps its report but no longer its marked-up
    copy) and of any finished batch still holding one. Run by each new upload and by the
    ``purge_census_uploads`` command. Returns how many files were deleted."""
    cutoff = (now or timezone.now()) - UPLOAD_KEEP
    with transaction.atomic():
        ImportBatch.objects.filter(status=ImportBatch.Status.READY, created__lt=cutoff).update(
            status=ImportBatch.Status.ABANDONED
        )
        stale = ImportBatch.objects.exclude(content=b"").filter(
            Q(created__lt=cutoff)
            | Q(status__in=[ImportBatch.Status.COMMITTED, ImportBatch.Status.FAILED, ImportBatch.Status.ABANDONED])
        )
        stale = stale.exclude(status__in=[ImportBatch.Status.VALIDATING, ImportBatch.Status.COMMITTING])
        deleted = stale.update(content=b"")
        if deleted:
            log_action(None, "census.import.purged", changes={"files": deleted, "before": cutoff.isoformat()})
    return deleted


# ---------------------------------------------------------------- campaigns


@transaction.atomic
def open_campaign(
    *,
    actor: Actor,
    year: int,
    title: str = "",
    districts: Iterable[Region] = (),
    deadline: dt.date | None = None,
) -> Campaign:
    """Open a census for a year and a scope; every active person in scope gets a record."""
    if Campaign.objects.filter(year=year).exists():
        raise DomainError(gettext("%(year)s 年的普查已经存在") % {"year": year}, field="year")
    districts = list(districts)
    campaign = Campaign.objects.create(
        year=year,
        title=title or f"{year}年度劳模工匠普查",
        city_wide=not districts,
        deadline=deadline,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if districts:
        campaign.districts.set(districts)
    people = Person.objects.active().exclude(status__in=[PersonStatus.DECEASED, PersonStatus.MOVED_AWAY])
    if districts:
        people = people.filter(district__in=districts)
    rows = people.values_list("pk", "district_id", "region_id")
    CensusRecord.objects.bulk_create(
        [
            CensusRecord(
                campaign=campaign,
                person_id=pk,
                district_id=d,
                street_id=r if r != d else None,
                state=RecordState.PENDING,
            )
            for pk, d, r in rows
        ],
        batch_size=1000,
    )
    log_action(
        actor,
        "census.campaign.opened",
        campaign,
        changes={"year": year, "districts": [str(d) for d in districts] or "全市", "people": len(rows)},
    )
    return campaign


@transaction.atomic
def close_campaign(*, actor: Actor, campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_open:
        raise DomainError(gettext("该普查已经结束"))
    waiting = ChangeProposal.objects.filter(record__campaign=campaign, status=ChangeProposal.Status.PENDING).count()
    if waiting:
        raise DomainError(gettext("还有 %(n)s 条变更等待审核，请审核完再结束普查") % {"n": waiting})
    summary = summary_of(campaign_figures(None, campaign)["total"])
    campaign.status = Campaign.Status.CLOSED
    campaign.closed_at = timezone.now()
    campaign.summary = summary | {"text": summary_text(summary)}
    campaign.save(update_fields=["status", "closed_at", "summary"])
    log_action(actor, "census.campaign.closed", campaign, changes=campaign.summary)
    return campaign


def _locked_record(record: CensusRecord) -> CensusRecord:
    record = CensusRecord.objects.select_for_update().select_related("campaign", "person").get(pk=record.pk)
    if not record.campaign.is_open:
        raise DomainError(gettext("“%(campaign)s”已结束，不能再修改") % {"campaign": record.campaign})
    return record


def _set_state(actor: Actor, record: CensusRecord, state: str, source: str, reason: str = "") -> CensusRecord:
    before = record.state
    record.state = state
    record.reason = reason
    record.source = source
    record.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    record.updated_at = timezone.now()
    record.save(update_fields=["state", "reason", "source", "updated_by", "updated_at"])
    log_action(
        actor,
        "census.record.state",
        record,
        changes={"state": [before, state], "reason": reason, "source": source},
        object_repr=str(record.person),
    )
    return record


@transaction.atomic
def confirm_record(*, actor: Actor, record: CensusRecord, source: str = Source.STAFF) -> CensusRecord:
    record = _locked_record(record)
    if record.state == RecordState.CHANGED:
        raise DomainError(gettext("“%(person)s”有变更等待审核，请先审核") % {"person": record.person})
    if record.state == RecordState.DECEASED:
        raise DomainError(gettext("“%(person)s”已登记为去世") % {"person": record.person})
    return _set_state(actor, record, RecordState.CONFIRMED, source)


@transaction.atomic
def mark_unreachable(*, actor: Actor, record: CensusRecord, reason: str) -> CensusRecord:
    reason = reason.strip()
    if not reason:
        raise DomainError(gettext("请填写无法联系的原因"), field="reason")
    record = _locked_record(record)
    if record.state in {RecordState.CHANGED, RecordState.DECEASED}:
        raise DomainError(
            gettext("“%(person)s”当前状态为%(state)s，不能标记为无法联系")
            % {"person": record.person, "state": record.get_state_display()}
        )
    return _set_state(actor, record, RecordState.UNREACHABLE, Source.STAFF, reason)


@transaction.atomic
def record_death(*, actor: Actor, record: CensusRecord, date: dt.date, note: str = "") -> CensusRecord:
    record = _locked_record(record)
    if record.person.status != PersonStatus.DECEASED:
        people_services.mark_deceased(actor=actor, person=record.person, date=date, note=note)
    return _set_state(actor, record, RecordState.DECEASED, Source.STAFF, note)


# Fields people may correct through a proposal, and how they are applied.
PROPOSABLE = (
    "name",
    "ethnicity",
    "political_status",
    "education",
    "employer",
    "post",
    "status",
    "mobile",
    "landline",
    "address",
)


def _create_proposal(
    actor: Actor, record: CensusRecord, source: str, changes: list[tuple[str, str, Any, Any, Any]], note: str
) -> ChangeProposal:
    proposal = ChangeProposal.objects.create(
        record=record,
        source=source,
        proposed_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:300],
    )
    ProposedChange.objects.bulk_create(
        [
            ProposedChange(
                proposal=proposal,
                field=key,
                label=label,
                before="" if before is None else str(before)[:300],
                after="" if after is None else str(after)[:300],
                value=value.isoformat() if isinstance(value, dt.date) else value,
            )
            for key, label, before, after, value in changes
        ]
    )
    before_state = record.state
    CensusRecord.objects.filter(pk=record.pk).update(
        state=RecordState.CHANGED,
        source=source,
        updated_at=timezone.now(),
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        actor,
        "census.proposal.created",
        record,
        changes={"state": [before_state, RecordState.CHANGED], "source": source}
        | ({"note": note[:300]} if note else {})
        | {label: [before, after] for _, label, before, after, _ in changes},
        object_repr=str(record.person),
    )
    return proposal


def propose_changes(
    *, actor: Actor, record: CensusRecord, data: dict[str, Any], source: str, note: str = ""
) -> ChangeProposal | None:
    """Corrections to ``record.person`` waiting for review. Only fields that differ are kept;
    returns None when nothing differs (that is a confirmation)."""
    with transaction.atomic():
        record = _locked_record(record)
        if record.proposals.filter(status=ChangeProposal.Status.PENDING).exists():
            raise DomainError(gettext("已有变更在等待审核，请等审核后再提交"))
        person = record.person
        changes = []
        for key in PROPOSABLE:
            if key not in data:
                continue
            value = data[key]
            value = names.clean_name(value) if key == "name" else (value or "").strip()
            if key == "name" and not value:
                raise DomainError(gettext("姓名不能为空"), field="name")
            if key == "mobile" and value:
                try:
                    value, _ = parse_phone(value)
                except CellError as exc:
                    raise DomainError(exc.problem + "。" + exc.hint, field="mobile") from exc
                if not value:
                    raise DomainError(gettext("请填写11位手机号"), field="mobile")
            current = getattr(person, key)
            if value != current:
                shown_before = str(PersonStatus(current).label) if key == "status" and current else current
                shown_after = str(PersonStatus(value).label) if key == "status" and value else value
                changes.append((key, FIELD_LABELS.get(key, key), shown_before, shown_after, value))
        # A person's own note is never dropped: with no field changed it still goes to a
        # reviewer (it may say what the form cannot, such as a missing honour).
        if not changes and not (source == Source.SELF and note.strip()):
            if record.state != RecordState.CONFIRMED:
                _set_state(actor, record, RecordState.CONFIRMED, source)
            return None
        proposal = _create_proposal(actor, record, source, changes, note.strip())
        notify.notify_staff(
            perm="census.review",
            region=record.district,
            subject=gettext("普查变更待审核：%(name)s") % {"name": person.name},
            body=gettext("%(name)s（%(district)s）的普查信息有 %(n)s 项变更待审核。")
            % {"name": person.name, "district": record.district.name, "n": len(changes)},
            link=reverse("census:review", kwargs={"pk": proposal.pk}),
            related=proposal,
            exclude=actor,
        )
        return proposal


@transaction.atomic
def review_proposal(*, actor: Actor, proposal: ChangeProposal, decisions: dict[int, bool]) -> ChangeProposal:
    """Accept or reject each proposed field (``{change id: accept?}``, every change decided).
    Accepted fields reach the registry through people.services; the record becomes "reviewed"
    (or "deceased" when a death was accepted)."""
    proposal = (
        ChangeProposal.objects.select_for_update()
        .select_related("record__person", "record__campaign")
        .get(pk=proposal.pk)
    )
    if proposal.status != ChangeProposal.Status.PENDING:
        raise DomainError(gettext("该变更已经审核过了"))
    changes = list(proposal.changes.all())
    missing = [c.label for c in changes if c.pk not in decisions]
    if missing:
        raise DomainError(gettext("请逐项选择采纳或不采纳：%(items)s") % {"items": "、".join(missing)})
    person = proposal.record.person
    updates: dict[str, Any] = {}
    region = None
    honours: list[tuple[int, int]] = []
    skills: list[tuple[int, str, str]] = []
    deceased = False
    log: dict[str, Any] = {}
    for change in changes:
        accepted = decisions[change.pk]
        change.decision = ProposedChange.Decision.ACCEPTED if accepted else ProposedChange.Decision.REJECTED
        change.save(update_fields=["decision"])
        log[change.label] = {"before": change.before, "after": change.after, "accepted": accepted}
        if not accepted:
            continue
        if change.field == "region":
            region = Region.objects.get(pk=change.value)
        elif change.field == "honours":
            honours = [(int(t), int(y)) for t, y in change.value]
        elif change.field == "skills":
            skills = [(int(t), str(g), str(s)) for t, g, s in change.value]
        elif change.field == "status" and change.value == PersonStatus.DECEASED:
            deceased = True
        else:
            updates[change.field] = change.value
    if updates or region is not None:
        people_services.update_person(actor=actor, person=person, region=region, **updates)
    for title_id, year in honours:
        if not Honour.objects.filter(person=person, title_id=title_id, year=year).exists():
            people_services.add_honour(
                actor=actor, person=person, title=HonourTitle.objects.get(pk=title_id), year=year
            )
    _set_skills(actor, person, skills)
    if deceased and person.status != PersonStatus.DECEASED:
        people_services.mark_deceased(actor=actor, person=person, date=timezone.localdate(), note="普查审核确认去世")
    accepted_any = any(decisions.values())
    proposal.status = ChangeProposal.Status.DECIDED
    proposal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    record = proposal.record
    record.state = RecordState.DECEASED if deceased else RecordState.REVIEWED
    record.corrected = record.corrected or accepted_any
    record.updated_by = proposal.decided_by
    record.updated_at = proposal.decided_at
    record.save(update_fields=["state", "corrected", "updated_by", "updated_at"])
    log_action(actor, "census.proposal.reviewed", record, changes=log, object_repr=str(person))
    return proposal


# ---------------------------------------------------------------- personal links

LINK_DAYS = 14


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_personal_link(*, actor: Actor, record: CensusRecord, days: int = LINK_DAYS) -> str:
    """A new link for one person; returns the token (shown once, only its hash is kept)."""
    record = _locked_record(record)
    token = secrets.token_urlsafe(24)
    PersonalLink.objects.create(
        record=record,
        token_hash=_token_hash(token),
        created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    log_action(actor, "census.link.created", record, changes={"days": days}, object_repr=str(record.person))
    return token


def link_for_token(token: str) -> PersonalLink | None:
    """The live link for ``token`` (open campaign, not expired), or None."""
    link = (
        PersonalLink.objects.select_related("record__person", "record__campaign", "record__person__region")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if link is None or link.expires_at < timezone.now() or not link.record.campaign.is_open:
        return None
    return link


# A person may take back what they sent through their link for this long; after that it is
# with the staff.
UNDO_MINUTES = 10


@transaction.atomic
def answer_by_link(*, link: PersonalLink, data: dict[str, Any] | None, note: str = "") -> ChangeProposal | None:
    """The person confirms (``data`` None) or proposes corrections through their link, with their
    own ``note`` to the reviewer (kept on the proposal; a note alone is a proposal too). What the
    record looked like before is kept on the link so the answer can be withdrawn for
    ``UNDO_MINUTES``."""
    record = _locked_record(link.record)
    before = {"state": record.state, "reason": record.reason, "source": record.source}
    now = timezone.now()
    proposal = None
    if data is None:
        if record.state in {RecordState.CHANGED, RecordState.DECEASED}:
            raise DomainError(gettext("您的信息正在审核中，无需再次确认"))
        confirm_record(actor=None, record=record, source=Source.SELF)
    else:
        proposal = propose_changes(actor=None, record=record, data=data, source=Source.SELF, note=note)
    after = CensusRecord.objects.values("state", "reason", "source").get(pk=record.pk)
    # Nothing to take back when the answer changed nothing (a "correction" equal to the record,
    # on a record already confirmed).
    undo = (
        before | {"answer": "proposed" if proposal else "confirmed", "proposal": proposal.pk if proposal else None}
        if proposal is not None or after != before
        else {}
    )
    PersonalLink.objects.filter(pk=link.pk).update(used_at=now, answered_at=now, undo=undo)
    link.used_at = link.answered_at = now
    link.undo = undo
    return proposal


def withdrawable_until(link: PersonalLink) -> dt.datetime | None:
    """Until when the person may still withdraw their last answer (None: nothing to withdraw)."""
    if not link.undo or link.answered_at is None:
        return None
    until = link.answered_at + dt.timedelta(minutes=UNDO_MINUTES)
    return until if until > timezone.now() else None


@transaction.atomic
def withdraw_answer(*, link: PersonalLink) -> CensusRecord:
    """Take back the last answer given through ``link`` within ``UNDO_MINUTES``: a proposal not
    yet reviewed is deleted, a confirmation undone; the record goes back to how it was."""
    link = PersonalLink.objects.select_for_update().get(pk=link.pk)
    record = _locked_record(link.record)
    undo = link.undo
    if not undo:
        raise DomainError(gettext("没有可以撤回的提交"))
    if withdrawable_until(link) is None:
        raise DomainError(
            gettext("提交已超过%(minutes)s分钟，不能再撤回；如需更改，请联系工作人员") % {"minutes": UNDO_MINUTES}
        )
    changes: dict[str, Any] = {"answer": undo["answer"], "state": [record.state, undo["state"]]}
    if undo["answer"] == "proposed":
        proposal = ChangeProposal.objects.filter(pk=undo["proposal"], record=record).first()
        if proposal is None or proposal.status != ChangeProposal.Status.PENDING:
            raise DomainError(gettext("工作人员已经处理了您的修改，不能再撤回；如需更改，请联系工作人员"))
        changes["withdrawn"] = {c.label: [c.before, c.after] for c in proposal.changes.all()}
        proposal.delete()
    elif record.state != RecordState.CONFIRMED or record.source != Source.SELF:
        raise DomainError(gettext("工作人员已经处理了您的信息，不能再撤回；如需更改，请联系工作人员"))
    record.state, record.reason, record.source = undo["state"], undo["reason"], undo["source"]
    record.updated_by = None
    record.updated_at = timezone.now()
    record.save(update_fields=["state", "reason", "source", "updated_by", "updated_at"])
    PersonalLink.objects.filter(pk=link.pk).update(undo={}, answered_at=None)
    log_action(None, "census.link.withdrawn", record, changes=changes, object_repr=str(record.person))
    return record
