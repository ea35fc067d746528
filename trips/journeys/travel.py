"""trips.journeys, travel lists: companions, diets and emergency contacts, rooming and bus seats,
boarding on the day, and the rows of the printable lists (名单, 分房表, 乘车表, 紧急联系表).

Companions travel at their own cost: each takes a bus seat and a bed but never a quota place.
The rooming proposal pairs people of one gender, puts a traveller and a companion of relation
配偶 together and gives the odd one out of each gender a room alone; the seating proposal fills
buses of a given capacity two seats to a pair so that a traveller's companions sit beside them.
Both are rebuilt as ``TravelPlace`` rows (one per person), which staff then swap by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.crypto import encrypt, keyed_hash
from core.errors import DomainError, InputProblem
from core.idnumber import parse_id_number
from core.masking import mask_id_number, mask_mobile
from core.phone import normalize_mobile
from trips.journeys.services import LOCKS_BEFORE, can_board, departure_moment
from trips.models import (
    Attendance,
    Batch,
    Companion,
    CompanionRelation,
    Nomination,
    NominationStatus,
    TravelDetails,
    TravelPlace,
)

DEFAULT_MAX_COMPANIONS = 1
DEFAULT_BUS_SEATS = 45
MAX_PAID = Decimal("99999.99")


def max_companions() -> int:
    """How many companions one traveller may bring (setting ``TRIPS_MAX_COMPANIONS``, default 1)."""
    return int(getattr(settings, "TRIPS_MAX_COMPANIONS", DEFAULT_MAX_COMPANIONS))


# --- companions ------------------------------------------------------------------------------------


def _paid(raw: object) -> Decimal:
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        raise DomainError(_("请填写自费金额（元），不收费请填 0。"), field="paid")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise DomainError(_("自费金额须是数字，例如 1280 或 1280.50。"), field="paid") from exc
    if not value.is_finite() or value < 0 or value > MAX_PAID:
        raise DomainError(_("自费金额须在 0 到 99,999.99 元之间。"), field="paid")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(_("自费金额最多精确到分（小数点后两位）。"), field="paid")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def add_companion(
    *,
    actor: Any,
    nomination: Nomination,
    name: str,
    relation: str,
    id_number: str,
    mobile: str,
    paid: object,
    now: dt.datetime | None = None,
) -> Companion:
    """Add a companion to an accepted traveller (until the checklist locks, 24 h before departure).
    Every detail is required: the ID number for the insurance, the mobile to reach them."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",)).select_related("batch", "person").get(pk=nomination.pk)
    )
    if nomination.status != NominationStatus.ACCEPTED:
        raise DomainError(_("请先确认参加，再添加随行家属。"))
    now = now or timezone.now()
    if now >= departure_moment(nomination.batch) - LOCKS_BEFORE:
        raise DomainError(_("出发前24小时起不能再添加随行家属，请联系区县工会。"))
    name = (name or "").strip()
    missing = []
    if not name:
        missing.append(_("姓名"))
    if relation not in CompanionRelation.values:
        missing.append(_("关系"))
    if not (id_number or "").strip():
        missing.append(_("身份证号"))
    if not (mobile or "").strip():
        missing.append(_("手机号"))
    if missing:
        raise DomainError(_("随行家属的信息不全，请填写：%(f)s。") % {"f": "、".join(str(m) for m in missing)})
    try:
        info = parse_id_number(id_number)
    except InputProblem as exc:
        raise DomainError(exc.text(), field="id_number") from exc
    try:
        mobile = normalize_mobile(mobile)
    except InputProblem as exc:
        raise DomainError(exc.text(), field="mobile") from exc
    amount = _paid(paid)
    count = Companion.objects.filter(nomination=nomination).count()
    limit = max_companions()
    if count >= limit:
        raise DomainError(_("每位劳模最多可带 %(n)s 名随行家属。") % {"n": limit})
    digest = keyed_hash(info.number)
    if nomination.person.id_number_hash == digest:
        raise DomainError(_("这是劳模本人的身份证号，请填写随行家属的号码。"), field="id_number")
    if Companion.objects.filter(nomination__batch=nomination.batch, id_number_hash=digest).exists():
        raise DomainError(_("此身份证号已登记为本批次的随行家属。"), field="id_number")
    if relation == CompanionRelation.SPOUSE and (
        Companion.objects.filter(nomination=nomination, relation=CompanionRelation.SPOUSE).exists()
    ):
        raise DomainError(_("已登记过配偶。"), field="relation")
    companion = Companion.objects.create(
        nomination=nomination,
        name=name[:40],
        relation=relation,
        gender=info.gender,
        birth_date=info.birth_date,
        id_number_encrypted=encrypt(info.number),
        id_number_hash=digest,
        id_number_masked=mask_id_number(info.number),
        mobile=mobile,
        paid=amount,
    )
    log_action(
        actor,
        "trips.companion_added",
        nomination,
        changes={
            "name": [None, companion.name],
            "relation": [None, relation],
            "id_number": [None, companion.id_number_masked],
            "paid": [None, str(amount)],
        },
    )
    return companion


@transaction.atomic
def remove_companion(*, actor: Any, companion: Companion, now: dt.datetime | None = None) -> None:
    companion = (
        Companion.objects.select_for_update(of=("self",)).select_related("nomination__batch").get(pk=companion.pk)
    )
    now = now or timezone.now()
    if now >= departure_moment(companion.nomination.batch) - LOCKS_BEFORE:
        raise DomainError(_("出发前24小时起不能再删除随行家属，请联系区县工会。"))
    log_action(
        actor,
        "trips.companion_removed",
        companion.nomination,
        changes={"name": [companion.name, None], "id_number": [companion.id_number_masked, None]},
    )
    companion.delete()


# --- diets and emergency contacts ---------------------------------------------------------------------


@transaction.atomic
def save_details(
    *,
    actor: Any,
    nomination: Nomination,
    diet: str,
    emergency_name: str,
    emergency_relation: str,
    emergency_mobile: str,
) -> TravelDetails:
    if nomination.status != NominationStatus.ACCEPTED:
        raise DomainError(_("只有确认参加的人员才需要登记饮食和紧急联系人。"))
    emergency_mobile = (emergency_mobile or "").strip()
    if emergency_mobile:
        try:
            emergency_mobile = normalize_mobile(emergency_mobile)
        except InputProblem as exc:
            raise DomainError(exc.text(), field="emergency_mobile") from exc
    details, _created = TravelDetails.objects.select_for_update().get_or_create(nomination=nomination)
    before = {
        "diet": details.diet,
        "emergency_name": details.emergency_name,
        "emergency_mobile": mask_mobile(details.emergency_mobile),
    }
    details.diet = (diet or "").strip()[:100]
    details.emergency_name = (emergency_name or "").strip()[:40]
    details.emergency_relation = (emergency_relation or "").strip()[:20]
    details.emergency_mobile = emergency_mobile
    details.save()
    after = {
        "diet": details.diet,
        "emergency_name": details.emergency_name,
        "emergency_mobile": mask_mobile(details.emergency_mobile),
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    log_action(actor, "trips.travel_details_saved", nomination, changes=changes)
    return details


# --- rooming and seating ----------------------------------------------------------------------------


@dataclass
class Occupant:
    """One person on the trip, for the proposals."""

    nomination: Nomination
    companion: Companion | None
    gender: str

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.nomination.pk, self.companion.pk if self.companion else None)


def travellers(batch: Batch) -> Any:
    """Accepted travellers in list order (district, rank), with their companions."""
    return (
        Nomination.objects.filter(batch=batch, status=NominationStatus.ACCEPTED)
        .select_related("person", "district")
        .prefetch_related("companions")
        .order_by("district__code", "rank", "id")
    )


def groups(noms: Iterable[Nomination]) -> list[list[Occupant]]:
    """Each traveller followed by their companions."""
    out = []
    for n in noms:
        group = [Occupant(n, None, n.person.gender)]
        group += [Occupant(n, c, c.gender) for c in n.companions.all()]
        out.append(group)
    return out


def propose_rooms(gs: list[list[Occupant]]) -> dict[tuple[int, int | None], int]:
    """Room numbers: a traveller with their spouse first (one room each couple), then everyone else
    paired within their gender in list order (so a same-gender companion lands with their
    traveller); the odd one out of each gender gets a room alone."""
    rooms: dict[tuple[int, int | None], int] = {}
    number = 0
    pools: dict[str, list[Occupant]] = {}
    for group in gs:
        spouse = next(
            (p for p in group if p.companion is not None and p.companion.relation == CompanionRelation.SPOUSE), None
        )
        rest = group
        if spouse is not None:
            number += 1
            rooms[group[0].key] = number
            rooms[spouse.key] = number
            rest = [p for p in group if p is not group[0] and p is not spouse]
        for p in rest:
            pools.setdefault(p.gender, []).append(p)
    for gender in sorted(pools):
        pool = pools[gender]
        for i in range(0, len(pool), 2):
            number += 1
            for p in pool[i : i + 2]:
                rooms[p.key] = number
    return rooms


def propose_seats(gs: list[list[Occupant]], capacity: int) -> dict[tuple[int, int | None], tuple[int, int]]:
    """(bus, seat): seats go in pairs (1-2, 3-4, …); a group of two takes a fresh pair, a group of
    three or more takes fresh pairs side by side, and a person alone fills a half-empty pair. A
    group never spans two buses."""
    if capacity < 2:
        raise DomainError(_("每辆车的座位数至少为 2。"), field="capacity")
    seats: dict[tuple[int, int | None], tuple[int, int]] = {}
    bus, next_seat = 1, 1
    halves: list[tuple[int, int]] = []  # the free seat of a pair begun by an odd group, (bus, seat)
    for group in gs:
        if len(group) > capacity:
            raise DomainError(_("每辆车的座位数少于一户的人数。"), field="capacity")
        if len(group) == 1 and halves:
            seats[group[0].key] = halves.pop(0)
            continue
        if next_seat + len(group) - 1 > capacity:
            bus, next_seat = bus + 1, 1
        for i, p in enumerate(group):
            seats[p.key] = (bus, next_seat + i)
        if len(group) % 2 == 1 and next_seat + len(group) <= capacity:
            halves.append((bus, next_seat + len(group)))
        next_seat += len(group) + len(group) % 2
    return seats


@transaction.atomic
def propose_places(*, actor: Any, batch: Batch, bus_capacity: int) -> int:
    """Rebuild the batch's rooms and seats from the proposals (hand swaps are lost); returns how
    many people are placed (travellers and companions)."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    gs = groups(travellers(batch))
    if not gs:
        raise DomainError(_("本批次还没有确认参加的人员。"))
    rooms = propose_rooms(gs)
    seats = propose_seats(gs, bus_capacity)
    TravelPlace.objects.filter(batch=batch).delete()
    rows = []
    for group in gs:
        for p in group:
            bus, seat = seats[p.key]
            rows.append(
                TravelPlace(
                    batch=batch, nomination=p.nomination, companion=p.companion, room=rooms[p.key], bus=bus, seat=seat
                )
            )
    TravelPlace.objects.bulk_create(rows)
    log_action(
        actor,
        "trips.places_proposed",
        batch,
        changes={
            "people": [None, len(rows)],
            "rooms": [None, len(set(rooms.values()))],
            "bus_capacity": [None, bus_capacity],
        },
    )
    return len(rows)


@transaction.atomic
def swap_places(*, actor: Any, batch: Batch, first: int, second: int, what: str) -> None:
    """Swap the rooms (``what="room"``) or the bus seats (``what="seat"``) of two people."""
    if what not in {"room", "seat"}:
        raise DomainError(_("请选择交换房间还是座位。"))
    if first == second:
        raise DomainError(_("请选择两个不同的人。"), field="second")
    places = {
        p.pk: p
        for p in TravelPlace.objects.select_for_update().filter(batch=batch, pk__in=[first, second]).order_by("pk")
    }
    if len(places) != 2:
        raise DomainError(_("所选人员不在本批次的安排中，请刷新页面后重试。"))
    a, b = places[first], places[second]
    if what == "room":
        before = [a.room, b.room]
        a.room, b.room = b.room, a.room
        a.save(update_fields=["room"])
        b.save(update_fields=["room"])
    else:
        before = [a.bus * 1000 + a.seat, b.bus * 1000 + b.seat]
        (a_bus, a_seat), (b_bus, b_seat) = (a.bus, a.seat), (b.bus, b.seat)
        # The seat is unique per bus: park one row on seat 0 while the other moves.
        a.seat = 0
        a.save(update_fields=["seat"])
        b.bus, b.seat = a_bus, a_seat
        b.save(update_fields=["bus", "seat"])
        a.bus, a.seat = b_bus, b_seat
        a.save(update_fields=["bus", "seat"])
    log_action(
        actor,
        "trips.places_swapped",
        batch,
        changes={"what": [None, what], "rows": [None, [first, second]], "before": [before, None]},
    )


# --- boarding on the day -------------------------------------------------------------------------------


def boarding_open(batch: Batch, now: dt.datetime | None = None) -> bool:
    """From the day of departure to the day of return (local dates)."""
    today = timezone.localdate(now or timezone.now())
    return batch.start_date <= today <= batch.end_date


@transaction.atomic
def mark_boarding(
    *, actor: Any, nomination: Nomination, present: bool, now: dt.datetime | None = None
) -> TravelDetails:
    """The escort marks a traveller present or absent. Present only if ``services.can_board``
    (checklist cleared, or a city override)."""
    nomination = (
        # Lock the nomination only: the checklist is the nullable side of an outer join.
        Nomination.objects.select_for_update(of=("self",))
        .select_related("batch", "person", "checklist")
        .get(pk=nomination.pk)
    )
    if nomination.status != NominationStatus.ACCEPTED:
        raise DomainError(_("只有确认参加的人员才能登车。"))
    if not boarding_open(nomination.batch, now):
        raise DomainError(
            _("登车签到在出发当天（%(d)s）开放。") % {"d": nomination.batch.start_date.strftime("%Y-%m-%d")}
        )
    if present and not can_board(nomination):
        raise DomainError(
            _("%(name)s 的出发前核查未完成，也没有市总特许，不能登车。请联系市总工会办理特许登车。")
            % {"name": nomination.person.name}
        )
    details, _created = TravelDetails.objects.select_for_update().get_or_create(nomination=nomination)
    before = details.attendance
    details.attendance = Attendance.PRESENT if present else Attendance.ABSENT
    details.attendance_at = now or timezone.now()
    details.save(update_fields=["attendance", "attendance_at", "updated"])
    log_action(actor, "trips.boarding_marked", nomination, changes={"attendance": [before, details.attendance]})
    return details


@dataclass
class BoardingCount:
    expected: int
    present: int
    absent: int

    @property
    def unmarked(self) -> int:
        return self.expected - self.present - self.absent


def boarding_count(batch: Batch, noms: Any = None) -> BoardingCount:
    """The one figure for the batch page and the boarding page (travellers, not companions)."""
    qs = noms if noms is not None else Nomination.objects.all()
    qs = qs.filter(batch=batch, status=NominationStatus.ACCEPTED)
    marks = list(qs.values_list("travel__attendance", flat=True))
    return BoardingCount(
        expected=len(marks),
        present=sum(1 for m in marks if m == Attendance.PRESENT),
        absent=sum(1 for m in marks if m == Attendance.ABSENT),
    )


# --- the printable lists (reads) -------------------------------------------------------------------------

LIST_KINDS = ("roster", "rooms", "seats", "contacts")


@dataclass
class TravelList:
    kind: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    text_columns: tuple[int, ...]


def _who(n: Nomination, c: Companion | None) -> str:
    if c is None:
        return _("劳模")
    return _("随行家属（%(r)s）") % {"r": c.get_relation_display()}


def _gender(code: str) -> str:
    return _("男") if code == "M" else _("女")


def _sheet_state(n: Nomination) -> str:
    sheet = getattr(n, "checklist", None)
    if sheet and sheet.cleared:
        return _("已核查完毕")
    if sheet and sheet.override_reason:
        return _("市总特许登车")
    return _("未核查完毕")


def travel_list(*, batch: Batch, noms: Any, kind: str) -> TravelList:
    """The rows of one printable list for the travellers in ``noms`` (already scoped to the caller).
    ID numbers are masked; mobiles are masked except on the emergency contact list, whose purpose is
    to be called from."""
    noms = (
        noms.filter(batch=batch, status=NominationStatus.ACCEPTED)
        .select_related("person", "district", "checklist", "travel")
        .prefetch_related("companions")
        .order_by("district__code", "rank", "id")
    )
    if kind == "roster":
        rows: list[list[Any]] = []
        for n in noms:
            details = getattr(n, "travel", None)
            p = n.person
            rows.append(
                [
                    len(rows) + 1,
                    n.district.name,
                    p.name,
                    _who(n, None),
                    p.get_gender_display(),
                    p.id_number_masked,
                    mask_mobile(p.mobile),
                    details.diet if details else "",
                    _sheet_state(n),
                ]
            )
            for c in n.companions.all():
                rows.append(
                    [
                        len(rows) + 1,
                        n.district.name,
                        c.name,
                        _who(n, c),
                        _gender(c.gender),
                        c.id_number_masked,
                        mask_mobile(c.mobile),
                        "",
                        "",
                    ]
                )
        headers = [
            _("序号"),
            _("区县(市)"),
            _("姓名"),
            _("类别"),
            _("性别"),
            _("身份证号"),
            _("手机号"),
            _("饮食要求"),
            _("出发前核查"),
        ]
        return TravelList(kind, _("名单"), headers, rows, (5, 6))
    if kind in {"rooms", "seats"}:
        places = TravelPlace.objects.filter(batch=batch, nomination__in=noms).select_related(
            "nomination__person", "nomination__district", "nomination__travel", "companion"
        )
        ordered = sorted(places, key=lambda t: (t.room, t.pk) if kind == "rooms" else (t.bus, t.seat))
        rows = []
        for t in ordered:
            n, c = t.nomination, t.companion
            name = c.name if c else n.person.name
            gender = _gender(c.gender) if c else n.person.get_gender_display()
            if kind == "rooms":
                details = getattr(n, "travel", None)
                diet = details.diet if details and c is None else ""
                rows.append([t.room, name, _who(n, c), gender, n.district.name, diet])
            else:
                mobile = c.mobile if c else n.person.mobile
                rows.append([t.bus, t.seat, name, _who(n, c), n.district.name, mask_mobile(mobile)])
        if kind == "rooms":
            headers = [_("房间"), _("姓名"), _("类别"), _("性别"), _("区县(市)"), _("饮食要求")]
            return TravelList(kind, _("分房表"), headers, rows, ())
        headers = [_("车号"), _("座位"), _("姓名"), _("类别"), _("区县(市)"), _("手机号")]
        return TravelList(kind, _("乘车表"), headers, rows, (5,))
    if kind == "contacts":
        rows = []
        for n in noms:
            details = getattr(n, "travel", None)
            rows.append(
                [
                    len(rows) + 1,
                    n.district.name,
                    n.person.name,
                    _who(n, None),
                    n.person.mobile,
                    details.emergency_name if details else "",
                    details.emergency_relation if details else "",
                    details.emergency_mobile if details else "",
                ]
            )
            for c in n.companions.all():
                rows.append(
                    [
                        len(rows) + 1,
                        n.district.name,
                        c.name,
                        _who(n, c),
                        c.mobile,
                        n.person.name,
                        _("同行劳模"),
                        n.person.mobile,
                    ]
                )
        headers = [
            _("序号"),
            _("区县(市)"),
            _("姓名"),
            _("类别"),
            _("手机号"),
            _("紧急联系人"),
            _("关系"),
            _("紧急联系电话"),
        ]
        return TravelList(kind, _("紧急联系表"), headers, rows, (4, 7))
    raise ValueError(kind)
