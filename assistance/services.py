"""Every write of technical help: one function per act, each with its transaction, audit entry,
story event and notifications (queued after commit by ``core.notify``)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.creditcode import CreditCodeError, normalize_credit_code
from assistance.models import (
    OPEN_STATUSES,
    Attachment,
    Call,
    Category,
    Channel,
    HelpRequest,
    Invitation,
    InvitationStatus,
    Measure,
    RequestEvent,
    Status,
    Visit,
    VisitPerson,
)
from assistance.tasks import refresh_match_profiles
from core import notify
from core.audit import log_action
from core.errors import DomainError
from core.models import Actor, Region, RegionKind, Role, RoleAssignment, User
from core.phone import PhoneError, normalize_mobile
from core.request_context import site_url
from core.services import assign_role, create_user
from people.models import AVAILABLE_STATUSES, Person, PersonStatus

INVITE_SALT = "assistance.invitation"
INVITE_MAX_AGE = 14 * 24 * 3600
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
REMIND_AFTER_HOURS = 48
MAX_REMINDERS = 2

# Accepted uploads: extension → (content type, leading bytes that must match).
UPLOAD_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
}


def _event(request: HelpRequest, actor: Actor, kind: str, text: str, *, public: bool = True) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        text=text,
        public=public,
    )


def _tell_requester(request: HelpRequest, text: str, *, sms: bool = False) -> None:
    context = {"number": request.number, "text": text}
    link = reverse("assistance:my_request", kwargs={"pk": request.pk})
    if request.requester_id:
        notify.send(
            channel="inapp",
            recipient=request.requester,
            template_code="assistance.status",
            context=context,
            related=request,
            link=link,
        )
    if sms:
        notify.send(
            channel="sms",
            address=request.contact_mobile,
            template_code="assistance.status",
            context=context,
            related=request,
        )


# ----------------------------------------------------------------------------- accounts


def requester_account(mobile: str) -> User | None:
    """The requester account of a verified mobile (user name = the mobile number)."""
    return User.objects.filter(username=mobile, role_assignments__role=Role.REQUESTER, is_active=True).first()


@transaction.atomic
def register_requester(*, mobile: str, password: str, name: str) -> User:
    """Create the account a requester follows requests with: user name is the verified mobile."""
    if User.objects.filter(username=mobile).exists():
        raise DomainError(_("该手机号已注册，请直接登录"), field="mobile")
    user = create_user(actor=None, username=mobile, password=password, display_name=name)
    User.objects.filter(pk=user.pk).update(mobile=mobile)
    user.mobile = mobile
    assign_role(actor=None, user=user, role=Role.REQUESTER, region=None)
    log_action(user, "assistance.requester.registered", user)
    return user


# ----------------------------------------------------------------------------- requests


def resolve_region(*, district: Region, street: Region | None, address: str = "") -> Region:
    """Where a request lands: the grid of its street (the one named in the address, else the
    street's first grid) when grids exist, else the street, else the district."""
    if district.kind not in (RegionKind.DISTRICT, RegionKind.ZONE):
        raise DomainError(_("请选择区县(市)"), field="district")
    if street is None:
        return district
    if street.parent_id != district.pk or street.kind != RegionKind.STREET:
        raise DomainError(_("所选镇街不属于该区县(市)"), field="street")
    grids = list(
        Region.objects.filter(path__startswith=street.path, kind=RegionKind.GRID, active=True).order_by("sort", "code")
    )
    for grid in grids:
        if grid.name and grid.name in address:
            return grid
    return grids[0] if grids else street


def open_call_for(district: Region, on: dt.date) -> Call | None:
    """The collection round running on ``on`` whose scope covers ``district`` (the narrowest)."""
    calls = Call.objects.filter(starts__lte=on, ends__gte=on).select_related("scope")
    fitting = [c for c in calls if district.path.startswith(c.scope.path)]
    return max(fitting, key=lambda c: len(c.scope.path), default=None)


@dataclass
class RequestData:
    org_kind: str
    org_name: str
    credit_code: str
    address: str
    district: Region
    street: Region | None
    contact_name: str
    contact_mobile: str
    category: Category
    title: str
    description: str
    urgency: str
    call: Call | None = None


def _clean(data: RequestData) -> tuple[str, str]:
    code = ""
    if data.credit_code.strip():
        try:
            code = normalize_credit_code(data.credit_code)
        except CreditCodeError as exc:
            raise DomainError(exc.message, field="credit_code") from exc
    elif data.org_kind == "enterprise":
        raise DomainError(_("企业请填写统一社会信用代码"), field="credit_code")
    try:
        mobile = normalize_mobile(data.contact_mobile)
    except PhoneError as exc:
        raise DomainError(exc.problem(), field="contact_mobile") from exc
    if not data.category.active:
        raise DomainError(_("该类别已停用，请另选"), field="category")
    return code, mobile


@transaction.atomic
def submit_request(
    *,
    actor: Actor,
    data: RequestData,
    channel: str = Channel.ONLINE,
    requester: User | None = None,
    mobile_verified: bool = False,
) -> HelpRequest:
    """A new request, from the public page (``requester`` set, mobile verified) or entered by
    staff (``channel`` phone/visit). It lands in its grid and attaches to the running call."""
    code, mobile = _clean(data)
    region = resolve_region(district=data.district, street=data.street, address=data.address)
    today = timezone.localdate()
    call = data.call or open_call_for(data.district, today)
    request = HelpRequest.objects.create(
        number=f"tmp-{secrets.token_hex(6)}",
        call=call,
        org_kind=data.org_kind,
        org_name=data.org_name.strip(),
        credit_code=code,
        address=data.address.strip(),
        district=data.district,
        street=data.street,
        region=region,
        contact_name=data.contact_name.strip(),
        contact_mobile=mobile,
        mobile_verified=mobile_verified,
        requester=requester,
        category=data.category,
        title=data.title.strip(),
        description=data.description.strip(),
        urgency=data.urgency,
        channel=channel,
        created_by=actor if getattr(actor, "is_authenticated", False) else requester,
    )
    request.number = f"JB{today:%Y}{request.pk:06d}"
    request.save(update_fields=["number"])
    _event(request, actor or requester, "submitted", f"提交需求（{Channel(channel).label}），落入{region.name}")
    log_action(actor or requester, "assistance.request.submitted", request, changes={"region": region.name})
    notify.notify_staff(
        perm="assistance.manage",
        region=region,
        subject=_("新的帮扶需求待受理：%(number)s") % {"number": request.number},
        body=_("%(org)s提交了帮扶需求“%(title)s”（%(region)s），请及时受理。")
        % {"org": request.org_name, "title": request.title, "region": region.name},
        link=reverse("assistance:request_detail", kwargs={"pk": request.pk}),
        related=request,
        exclude=actor,
    )
    return request


def _lock(request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update().get(pk=request.pk)


def _require(request: HelpRequest, *statuses: str) -> None:
    if request.status not in statuses:
        raise DomainError(_("需求当前为“%(status)s”，不能进行此操作") % {"status": request.get_status_display()})


@transaction.atomic
def accept_request(*, actor: Actor, request: HelpRequest, note: str = "") -> HelpRequest:
    request = _lock(request)
    _require(request, Status.SUBMITTED)
    request.status, request.accepted_at = Status.ACCEPTED, timezone.now()
    request.save(update_fields=["status", "accepted_at"])
    _event(request, actor, "accepted", "已受理，正在匹配劳模工匠" + (f"：{note}" if note else ""))
    log_action(actor, "assistance.request.accepted", request, changes={"status": [Status.SUBMITTED, Status.ACCEPTED]})
    _tell_requester(request, "已受理，正在为您匹配劳模工匠", sms=True)
    return request


@transaction.atomic
def decline_request(*, actor: Actor, request: HelpRequest, reason: str) -> HelpRequest:
    reason = reason.strip()
    if not reason:
        raise DomainError(_("请填写不予受理的原因（需求单位可见）"), field="reason")
    request = _lock(request)
    _require(request, Status.SUBMITTED, Status.ACCEPTED)
    before = request.status
    request.status, request.decline_reason, request.closed_at = Status.DECLINED, reason, timezone.now()
    request.save(update_fields=["status", "decline_reason", "closed_at"])
    _event(request, actor, "declined", f"不予受理：{reason}")
    log_action(
        actor, "assistance.request.declined", request, changes={"status": [before, Status.DECLINED], "reason": reason}
    )
    _tell_requester(request, f"不予受理，原因：{reason}", sms=True)
    return request


@transaction.atomic
def merge_request(*, actor: Actor, request: HelpRequest, into: HelpRequest) -> HelpRequest:
    """A duplicate: it closes pointing at ``into``; its files move there."""
    if request.pk == into.pk:
        raise DomainError(_("不能与自身合并"), field="into")
    request, into = _lock(request), _lock(into)
    _require(request, Status.SUBMITTED, Status.ACCEPTED)
    if into.status in (Status.MERGED, Status.DECLINED):
        raise DomainError(
            _("目标需求%(number)s已“%(status)s”，不能合并到它")
            % {"number": into.number, "status": into.get_status_display()},
            field="into",
        )
    before = request.status
    request.status, request.merged_into, request.closed_at = Status.MERGED, into, timezone.now()
    request.save(update_fields=["status", "merged_into", "closed_at"])
    Attachment.objects.filter(request=request).update(request=into)
    _event(request, actor, "merged", f"与需求{into.number}重复，已合并办理")
    _event(into, actor, "merged_in", f"合并了重复需求{request.number}（{request.org_name}）", public=False)
    log_action(
        actor, "assistance.request.merged", request, changes={"status": [before, Status.MERGED], "into": into.number}
    )
    _tell_requester(request, f"与需求{into.number}重复，已合并办理")
    return request


@transaction.atomic
def transfer_request(
    *, actor: Actor, request: HelpRequest, district: Region, street: Region | None, note: str = ""
) -> HelpRequest:
    """Send to another district (the address was wrong, or another district is better placed)."""
    request = _lock(request)
    _require(request, Status.SUBMITTED)
    if district.pk == request.district_id and (street.pk if street else None) == request.street_id:
        raise DomainError(_("请选择另一个区县(市)或镇街"), field="district")
    region = resolve_region(district=district, street=street, address=request.address)
    before = request.region.name
    request.district, request.street, request.region = district, street, region
    request.save(update_fields=["district", "street", "region"])
    _event(request, actor, "transferred", f"转交{region.name}办理" + (f"：{note}" if note else ""))
    log_action(
        actor, "assistance.request.transferred", request, changes={"region": [before, region.name], "note": note}
    )
    return request


# ----------------------------------------------------------------------------- invitations


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=INVITE_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation | None:
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.select_related(
            "request", "request__category", "request__district", "request__street", "person"
        )
        .filter(pk=data.get("i"))
        .first()
    )


def invitation_link(invitation: Invitation) -> str:
    return site_url() + reverse("assistance:answer_link", kwargs={"token": invitation_token(invitation)})


def _notify_invitee(invitation: Invitation, template: str) -> None:
    person, request = invitation.person, invitation.request
    team = request.invitations.exclude(status=InvitationStatus.WITHDRAWN).count()
    context = {
        "name": person.name,
        "org": request.org_name,
        "category": request.category.name,
        "team": f"{team}人集体会诊" if team > 1 else "上门服务",
    }
    link = invitation_link(invitation)
    if person.mobile:
        notify.send(
            channel="sms", address=person.mobile, template_code=template, context=context, related=invitation, link=link
        )
    if person.user_id:
        notify.send(
            channel="inapp",
            recipient=person.user,
            template_code=template,
            context=context,
            related=invitation,
            link=reverse("assistance:my_invitations"),
        )


def _require_available(person: Person, status: str, merged_into_id: int | None) -> None:
    if merged_into_id:
        raise DomainError(
            _("%(name)s的记录已合并到另一条记录，请邀请合并后的记录") % {"name": person.name}, field="people"
        )
    if status == PersonStatus.DECEASED:
        raise DomainError(_("%(name)s已去世，不能邀请") % {"name": person.name}, field="people")
    if status == PersonStatus.MOVED_AWAY:
        raise DomainError(_("%(name)s已迁出本市，不能邀请") % {"name": person.name}, field="people")
    if status not in AVAILABLE_STATUSES:
        raise DomainError(_("%(name)s的记录不可用") % {"name": person.name}, field="people")


@transaction.atomic
def invite_people(
    *,
    actor: Actor,
    request: HelpRequest,
    people: Sequence[Person],
    lead: Person | None = None,
    scores: dict[int, tuple[float, list[str]]] | None = None,
    unreachable_confirmed: bool = False,
) -> list[Invitation]:
    """Ask one person, or several for a joint consultation (集体会诊). Staff may invite anyone
    in their scope (override), ranked or not; ``scores`` keeps the ranking shown when they chose.
    Someone without a mobile gets no text message: staff must say they will phone them
    (``unreachable_confirmed``), and the request's story and the audit entry record it."""
    request = _lock(request)
    _require(request, Status.ACCEPTED, Status.IN_SERVICE)
    if not people:
        raise DomainError(_("请至少选择一位劳模工匠"), field="people")
    unreachable = [p for p in people if not p.mobile]
    if unreachable and not unreachable_confirmed:
        raise DomainError(
            _(
                "%(names)s没有登记手机号，收不到短信邀请。请先在人员库补录手机号，或勾选“仍然邀请，我会电话通知”后再发出邀请。"
            )
            % {"names": "、".join(p.name for p in unreachable)},
            field="people",
        )
    scores = scores or {}
    existing = set(request.invitations.values_list("person_id", flat=True))
    # The registry as it is now, not as the page that chose these people saw it.
    current = {
        pk: (status, merged)
        for pk, status, merged in Person.objects.filter(pk__in=[p.pk for p in people]).values_list(
            "pk", "status", "merged_into_id"
        )
    }
    created = []
    for person in people:
        if person.pk in existing:
            raise DomainError(_("已邀请过%(name)s") % {"name": person.name}, field="people")
        _require_available(person, *current.get(person.pk, ("", None)))
        score, reasons = scores.get(person.pk, (None, []))
        created.append(
            Invitation.objects.create(
                request=request,
                person=person,
                is_lead=bool(lead and lead.pk == person.pk) or len(people) == 1,
                score=score,
                reasons=reasons,
                invited_by=actor,
            )
        )
    names = "、".join(p.name for p in people)
    kind = "集体会诊" if len(people) > 1 or request.invitations.count() > len(people) else "上门服务"
    _event(request, actor, "invited", f"邀请{names}参加{kind}")
    if unreachable:
        missing = "、".join(p.name for p in unreachable)
        _event(request, actor, "unreachable", f"{missing}没有登记手机号，未发短信，需电话通知", public=False)
    log_action(
        actor,
        "assistance.request.invited",
        request,
        changes={"people": [p.pk for p in people], "no_mobile": [p.pk for p in unreachable]},
    )
    for invitation in created:
        _notify_invitee(invitation, "assistance.invited")
    return created


@transaction.atomic
def answer_invitation(*, actor: Actor, invitation: Invitation, accept: bool, note: str = "") -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("request", "person").get(pk=invitation.pk)
    if invitation.status != InvitationStatus.INVITED:
        raise DomainError(_("该邀请已“%(status)s”，无需再答复") % {"status": invitation.get_status_display()})
    request = _lock(invitation.request)
    if request.status not in (Status.ACCEPTED, Status.IN_SERVICE):
        raise DomainError(_("该需求已结束，无需再答复"))
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.answered_at, invitation.answer_note = timezone.now(), note.strip()[:300]
    invitation.save(update_fields=["status", "answered_at", "answer_note"])
    name = invitation.person.name
    if accept:
        _event(request, actor, "invitation_accepted", f"{name}接受邀请")
        if request.status == Status.ACCEPTED:
            request.status = Status.IN_SERVICE
            request.save(update_fields=["status"])
            _tell_requester(request, f"劳模工匠{name}已接受邀请，将与您联系上门服务", sms=True)
    else:
        _event(request, actor, "invitation_declined", f"{name}谢绝邀请" + (f"：{note}" if note else ""), public=False)
    log_action(
        actor, "assistance.invitation.answered", request, changes={"person": name, "accept": accept, "note": note}
    )
    return invitation


@transaction.atomic
def withdraw_invitation(*, actor: Actor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("request", "person").get(pk=invitation.pk)
    if invitation.status != InvitationStatus.INVITED:
        raise DomainError(_("只能撤回待答复的邀请"))
    invitation.status, invitation.answered_at = InvitationStatus.WITHDRAWN, timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    _event(invitation.request, actor, "invitation_withdrawn", f"撤回对{invitation.person.name}的邀请", public=False)
    log_action(actor, "assistance.invitation.withdrawn", invitation.request, changes={"person": invitation.person.name})
    return invitation


def send_reminders(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind people who have not answered for ``REMIND_AFTER_HOURS`` (at most ``MAX_REMINDERS``
    times, a day apart); when every invitation of a request is still unanswered after the last
    reminder, tell the district staff. Run hourly by ``manage.py assistance_remind``."""
    now = now or timezone.now()
    due = Invitation.objects.filter(
        status=InvitationStatus.INVITED,
        request__status__in=OPEN_STATUSES,
        invited_at__lte=now - timedelta(hours=REMIND_AFTER_HOURS),
        reminders_sent__lt=MAX_REMINDERS,
    ).filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - timedelta(hours=24)))
    reminded = 0
    for invitation in due.select_related("request", "request__category", "person", "person__user"):
        with transaction.atomic():
            updated = Invitation.objects.filter(pk=invitation.pk, reminders_sent=invitation.reminders_sent).update(
                reminders_sent=invitation.reminders_sent + 1, last_reminded_at=now
            )
            if not updated:
                continue
            _notify_invitee(invitation, "assistance.reminder")
            reminded += 1
    escalated = 0
    stuck = (
        HelpRequest.objects.filter(status=Status.ACCEPTED, invitations__status=InvitationStatus.INVITED)
        .exclude(invitations__status=InvitationStatus.ACCEPTED)
        .exclude(events__kind="unanswered")
        .distinct()
    )
    for request in stuck:
        waiting = request.invitations.filter(status=InvitationStatus.INVITED)
        if waiting.filter(reminders_sent__lt=MAX_REMINDERS).exists():
            continue
        first = waiting.order_by("invited_at").first()
        hours = int((now - first.invited_at).total_seconds() // 3600) if first else 0
        with transaction.atomic():
            _event(request, None, "unanswered", f"邀请{hours}小时无人答复，已提醒区县工作人员", public=False)
            for staff in _district_staff(request):
                notify.send(
                    channel="inapp",
                    recipient=staff,
                    template_code="assistance.unanswered",
                    context={"number": request.number, "org": request.org_name, "hours": hours},
                    related=request,
                    link=reverse("assistance:request_detail", kwargs={"pk": request.pk}),
                )
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def _district_staff(request: HelpRequest) -> list[User]:
    ids = RoleAssignment.objects.filter(role=Role.DISTRICT_STAFF, region_id=request.district_id).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


# ----------------------------------------------------------------------------- visits, outcome, rating


@transaction.atomic
def record_visit(
    *,
    actor: Actor,
    request: HelpRequest,
    date: dt.date,
    work_done: str,
    participants: Sequence[tuple[Person, Decimal]],
    files: Sequence[UploadedFile] = (),
) -> Visit:
    request = _lock(request)
    _require(request, Status.IN_SERVICE, Status.DONE)
    if date > timezone.localdate():
        raise DomainError(_("上门日期不能晚于今天"), field="date")
    if not participants:
        raise DomainError(_("请选择上门的劳模工匠"), field="participants")
    allowed = set(request.invitations.filter(status=InvitationStatus.ACCEPTED).values_list("person_id", flat=True))
    for person, hours in participants:
        if person.pk not in allowed:
            raise DomainError(
                _("%(name)s未接受本需求的邀请，不能记为上门人员") % {"name": person.name}, field="participants"
            )
        if hours <= 0 or hours > 24:
            raise DomainError(_("服务时长应在0到24小时之间"), field="participants")
    visit = Visit.objects.create(request=request, date=date, work_done=work_done.strip(), recorded_by=actor)
    VisitPerson.objects.bulk_create([VisitPerson(visit=visit, person=p, hours=h) for p, h in participants])
    for upload in files:
        add_attachment(actor=actor, request=request, upload=upload, visit=visit)
    if request.first_visit_on is None or date < request.first_visit_on:
        request.first_visit_on = date
        request.save(update_fields=["first_visit_on"])
    names = "、".join(p.name for p, _ in participants)
    _event(request, actor, "visit", f"{date:%Y年%m月%d日} {names}上门服务：{visit.work_done[:200]}")
    log_action(actor, "assistance.visit.recorded", request, changes={"date": date, "people": names})
    return visit


@dataclass
class MeasureData:
    label: str
    unit: str
    before: Decimal
    after: Decimal


@transaction.atomic
def record_outcome(
    *,
    actor: Actor,
    request: HelpRequest,
    solved: bool,
    problems_solved: int,
    workers_trained: int,
    workers_served: int,
    equipment_repaired: int,
    summary: str,
    measures: Sequence[MeasureData] = (),
) -> HelpRequest:
    """Close a request with its outcome (or correct the outcome of a closed one)."""
    request = _lock(request)
    _require(request, Status.IN_SERVICE, Status.DONE)
    if not request.visits.exists():
        raise DomainError(_("请先登记上门服务记录"))
    if min(problems_solved, workers_trained, workers_served, equipment_repaired) < 0:
        raise DomainError(_("数量不能为负数"))
    before = {"status": request.status, "solved": request.solved, "problems_solved": request.problems_solved}
    request.status = Status.DONE
    request.solved, request.problems_solved = solved, problems_solved
    request.workers_trained, request.workers_served = workers_trained, workers_served
    request.equipment_repaired, request.outcome_summary = equipment_repaired, summary.strip()
    request.closed_at = request.closed_at or timezone.now()
    request.save()
    request.measures.all().delete()
    Measure.objects.bulk_create(
        [
            Measure(request=request, label=m.label, unit=m.unit, before=m.before, after=m.after)
            for m in measures
            if m.label
        ]
    )
    text = f"办结：{'问题已解决' if solved else '问题未完全解决'}，解决难题{problems_solved}个"
    _event(request, actor, "outcome", text)
    log_action(
        actor,
        "assistance.request.outcome",
        request,
        changes={
            "before": before,
            "solved": solved,
            "problems_solved": problems_solved,
            "workers_trained": workers_trained,
        },
    )
    _tell_requester(request, text + "，欢迎评价")
    people = list(VisitPerson.objects.filter(visit__request=request).values_list("person_id", flat=True).distinct())
    transaction.on_commit(lambda: _refresh_later(people))
    return request


def _refresh_later(person_ids: list[int]) -> None:

    refresh_match_profiles.enqueue(person_ids)


@transaction.atomic
def rate_request(*, actor: Actor, request: HelpRequest, rating: int, comment: str = "") -> HelpRequest:
    request = _lock(request)
    if request.requester_id != getattr(actor, "pk", None):
        raise DomainError(_("只有提出需求的单位可以评价"))
    _require(request, Status.DONE)
    if not 1 <= rating <= 5:
        raise DomainError(_("评分应为1到5分"), field="rating")
    before = request.rating
    request.rating, request.rating_comment, request.rated_at = rating, comment.strip()[:500], timezone.now()
    request.save(update_fields=["rating", "rating_comment", "rated_at"])
    _event(
        request,
        actor,
        "rated",
        f"需求单位评价：{rating}分" + (f"，{request.rating_comment}" if request.rating_comment else ""),
    )
    log_action(actor, "assistance.request.rated", request, changes={"rating": [before, rating]})
    people = list(request.invitations.filter(status=InvitationStatus.ACCEPTED).values_list("person_id", flat=True))
    transaction.on_commit(lambda: _refresh_later(people))
    return request


# ----------------------------------------------------------------------------- files


def check_upload(upload: UploadedFile) -> tuple[str, bool]:
    """Return (content type, is image) or raise: the extension must be allowed and the first
    bytes must agree with it; at most 10 MB."""
    name = upload.name or ""
    ext = Path(name).suffix.lower()
    if ext not in UPLOAD_TYPES:
        raise DomainError(_("只能上传照片（jpg、png、webp）或文档（pdf、doc、docx、xls、xlsx）"), field="file")
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise DomainError(_("文件不能超过10MB"), field="file")
    if not upload.size:
        raise DomainError(_("文件是空的"), field="file")
    content_type, magics = UPLOAD_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise DomainError(_("文件内容与扩展名不符"), field="file")
    return content_type, content_type.startswith("image/")


@transaction.atomic
def add_attachment(
    *, actor: Actor, request: HelpRequest, upload: UploadedFile, visit: Visit | None = None
) -> Attachment:
    if request.status in (Status.DECLINED, Status.MERGED):
        raise DomainError(_("该需求已关闭，不能再上传文件"))
    if request.attachments.count() >= 30:
        raise DomainError(_("每个需求最多30个文件"))
    content_type, is_image = check_upload(upload)
    attachment = Attachment(
        request=request,
        visit=visit,
        original_name=Path(upload.name or "file").name[:200],
        content_type=content_type,
        size=upload.size or 0,
        is_image=is_image,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.save()
    log_action(actor, "assistance.attachment.added", request, changes={"file": attachment.original_name})
    return attachment


@transaction.atomic
def remove_attachment(*, actor: Actor, attachment: Attachment) -> None:
    request = attachment.request
    if request.status not in (Status.SUBMITTED, Status.ACCEPTED) and attachment.visit_id is None:
        raise DomainError(_("需求受理后不能删除材料"))
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    log_action(actor, "assistance.attachment.removed", request, changes={"file": name})


# ----------------------------------------------------------------------------- calls and catalogue


@transaction.atomic
def save_call(
    *, actor: Actor, call: Call | None, title: str, starts: dt.date, ends: dt.date, scope: Region, description: str = ""
) -> Call:
    if ends < starts:
        raise DomainError(_("截止日期不能早于开始日期"), field="ends")
    if scope.kind not in (RegionKind.CITY, RegionKind.DISTRICT, RegionKind.ZONE):
        raise DomainError(_("征集范围应为全市或某个区县(市)"), field="scope")
    created = call is None
    call = call or Call(created_by=actor)
    before = {"title": call.title, "starts": call.starts, "ends": call.ends}
    call.title, call.starts, call.ends, call.scope, call.description = title.strip(), starts, ends, scope, description
    call.save()
    log_action(
        actor,
        "assistance.call.created" if created else "assistance.call.updated",
        call,
        changes={"before": before, "title": title, "starts": starts, "ends": ends, "scope": scope.name},
    )
    return call


@transaction.atomic
def save_category(
    *,
    actor: Actor,
    category: Category | None,
    code: str,
    name: str,
    keywords: str,
    trades: Sequence[Any],
    sort: int,
    active: bool,
) -> Category:
    created = category is None
    category = category or Category()
    if Category.objects.exclude(pk=category.pk).filter(Q(code=code) | Q(name=name)).exists():
        raise DomainError(_("编码或名称已存在"), field="name")
    category.code, category.name, category.keywords, category.sort, category.active = code, name, keywords, sort, active
    category.save()
    category.trades.set(trades)
    log_action(
        actor,
        "assistance.category.created" if created else "assistance.category.updated",
        category,
        changes={"name": name, "keywords": keywords, "trades": [str(t) for t in trades], "active": active},
    )
    return category
