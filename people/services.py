"""Every write to the registry. Each function owns its transaction and its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core import crypto
from core.audit import diff, log_action
from core.errors import DomainError
from core.idnumber import IdNumberError, parse_id_number
from core.models import Actor, Region, RegionKind, Role, User
from core.permissions import is_staff_user
from core.phone import PhoneError, normalize_landline, normalize_mobile
from core.phonecodes import send_phone_code, verify_phone_code
from core.services import assign_role, create_user
from people import extensions, names
from people.bulk import bank_account_columns, best_level, id_number_columns
from people.changes import HONOURS, MERGED, SKILLS, person_changed
from people.models import (
    Collective,
    Honour,
    HonourTitle,
    Person,
    PersonNameToken,
    PersonStatus,
    Skill,
    Trade,
)
from people.selectors import person_for_mobile

# Fields a service may set directly from a form or import row.
PLAIN_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "political_status",
    "education",
    "employer",
    "post",
    "status",
    "status_date",
    "mobile",
    "landline",
    "address",
    "bank_name",
    "bank_account_name",
    "hardship",
    "notes",
)


def district_of(region: Region) -> Region:
    """The district (or functional zone) a region lies in; a person always belongs to one."""
    node: Region | None = region
    while node is not None and node.kind not in {RegionKind.DISTRICT, RegionKind.ZONE}:
        node = node.parent
    if node is None:
        raise DomainError(_("所属区域必须是区县(市)、功能区或其下的镇街"), field="region")
    return node


def _snapshot(person: Person) -> dict[str, Any]:
    data = {f: getattr(person, f) for f in PLAIN_FIELDS}
    data["region"] = person.region_id and str(person.region)
    data["id_number"] = person.id_number_masked
    data["bank_account"] = person.bank_account_masked
    return data


def _apply_id_number(person: Person, raw: str | None) -> None:
    if not raw:
        person.id_number_encrypted = ""
        person.id_number_hash = None
        person.id_number_masked = ""
        person.id_last4 = ""
        return
    try:
        info = parse_id_number(raw)
    except IdNumberError as exc:
        raise DomainError(exc.text(), field="id_number") from exc
    if person.birth_date and person.birth_date != info.birth_date:
        raise DomainError(
            _("出生日期 %(entered)s 与身份证号中的 %(from_id)s 不一致")
            % {"entered": f"{person.birth_date:%Y-%m-%d}", "from_id": f"{info.birth_date:%Y-%m-%d}"},
            field="birth_date",
        )
    if person.gender and person.gender != info.gender:
        raise DomainError(_("性别与身份证号第17位不一致（奇数为男，偶数为女）"), field="gender")
    person.birth_date = info.birth_date
    person.gender = info.gender
    (
        person.id_number_encrypted,
        person.id_number_hash,
        person.id_number_masked,
        person.id_last4,
    ) = id_number_columns(info.number)


def _apply_bank_account(person: Person, raw: str | None) -> None:
    number = "".join((raw or "").split())
    if number and not number.isdigit():
        raise DomainError(_("银行账号只能是数字"), field="bank_account")
    if number and not 12 <= len(number) <= 30:
        raise DomainError(_("银行账号长度应在12到30位之间"), field="bank_account")
    person.bank_account_encrypted, person.bank_account_masked = bank_account_columns(number)


def _refresh_search_keys(person: Person) -> None:
    person.name = names.clean_name(person.name)
    person.name_pinyin = names.name_pinyin(person.name)
    person.name_initials = names.name_initials(person.name)


def _save_name_tokens(person: Person) -> None:
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(
        [PersonNameToken(person=person, token=t) for t in sorted(names.name_pairs(person.name))]
    )


def _normalize_phones(person: Person) -> None:
    """Mobile and landline as stored (11 digits; area code-number), however they were typed, for
    pages, the API and imports alike; a wrong one is refused on its field."""
    for field, normalize in (("mobile", normalize_mobile), ("landline", normalize_landline)):
        raw = (getattr(person, field) or "").strip()
        try:
            setattr(person, field, normalize(raw) if raw else "")
        except PhoneError as exc:
            raise DomainError(exc.text(), field=field) from exc


def _ensure_unique_id(person: Person) -> None:
    if person.id_number_hash:
        clash = Person.objects.filter(id_number_hash=person.id_number_hash).exclude(pk=person.pk).first()
        if clash is not None:
            raise DomainError(
                _("该身份证号已登记在“%(name)s”名下，不能重复登记") % {"name": clash.name}, field="id_number"
            )


@transaction.atomic
def create_person(
    *,
    actor: Actor,
    region: Region,
    id_number: str | None = None,
    bank_account: str | None = None,
    honours: Sequence[tuple[HonourTitle, int]] = (),
    skills: Sequence[tuple[Trade, str, str]] = (),
    **fields: Any,
) -> Person:
    """Register a person, with honours (title, year) and skills (trade, grade, specialties) if
    given: one audit entry for all of it; after commit, the ``on_person_changed`` hooks. Many
    people at once: ``people.bulk.register_people`` (the same derived data)."""
    unknown = set(fields) - set(PLAIN_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(region=region, district=district_of(region), **fields)
    if not person.name:
        raise DomainError(_("姓名不能为空"), field="name")
    _normalize_phones(person)
    _apply_id_number(person, id_number)
    if not person.gender:
        raise DomainError(_("请填写性别，或填写身份证号以自动识别"), field="gender")
    _apply_bank_account(person, bank_account)
    _refresh_search_keys(person)
    _ensure_unique_id(person)
    person.save()
    _save_name_tokens(person)
    changes = {k: [None, v] for k, v in _snapshot(person).items() if v}
    if honours:
        added = [_create_honour(person, title, year) for title, year in honours]
        recompute_top_level(person)
        changes["honour"] = [None, "；".join(str(h) for h in added)]
    if skills:
        made = [Skill.objects.create(person=person, trade=t, grade=g, specialties=s) for t, g, s in skills]
        changes["skill"] = [None, "；".join(str(k) for k in made)]
    log_action(actor, "people.person.created", person, changes=changes)
    person_changed(person_ids=[person.pk], fields={"created"}, actor=actor)
    return person


_UNSET: Any = object()


@transaction.atomic
def update_person(
    *,
    actor: Actor,
    person: Person,
    region: Region | None = None,
    id_number: Any = _UNSET,
    bank_account: Any = _UNSET,
    **fields: Any,
) -> Person:
    """Change a record. ``id_number``/``bank_account`` are left alone unless given."""
    unknown = set(fields) - set(PLAIN_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _snapshot(person)
    for key, value in fields.items():
        setattr(person, key, value)
    if region is not None:
        person.region = region
        person.district = district_of(region)
    if id_number is not _UNSET:
        _apply_id_number(person, id_number)
    elif person.id_number_encrypted and ({"gender", "birth_date"} & set(fields)):
        # The stored number still decides sex and birth date: re-check against it.
        _apply_id_number(person, crypto.decrypt(person.id_number_encrypted))
    if bank_account is not _UNSET:
        _apply_bank_account(person, bank_account)
    if not person.name:
        raise DomainError(_("姓名不能为空"), field="name")
    name_changed = "name" in fields and names.clean_name(fields["name"]) != before["name"]
    _normalize_phones(person)
    _refresh_search_keys(person)
    _ensure_unique_id(person)
    changes = diff(before, _snapshot(person))
    if not changes:
        return person
    person.save()
    if name_changed:
        _save_name_tokens(person)
    log_action(actor, "people.person.updated", person, changes=changes)
    person_changed(person_ids=[person.pk], fields=changes, actor=actor)
    return person


@transaction.atomic
def mark_deceased(*, actor: Actor, person: Person, date: dt.date, note: str = "") -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status == PersonStatus.DECEASED:
        raise DomainError(_("“%(name)s”已标记为去世") % {"name": person.name})
    if date > dt.date.today():
        raise DomainError(_("去世日期不能晚于今天"), field="date")
    before = person.status
    person.status = PersonStatus.DECEASED
    person.status_date = date
    if note:
        person.notes = (person.notes + "\n" if person.notes else "") + note
    person.save(update_fields=["status", "status_date", "notes", "updated"])
    log_action(actor, "people.person.deceased", person, changes={"status": [before, person.status], "date": date})
    person_changed(person_ids=[person.pk], fields={"status", "status_date"}, actor=actor)
    return person


def recompute_top_level(person: Person) -> str:
    """The best level among the person's honours that are not revoked (own or enjoyed)."""
    best = best_level(h.title.effective_level for h in person.honours.select_related("title").filter(revoked=False))
    if best != person.top_level:
        Person.objects.filter(pk=person.pk).update(top_level=best)
        person.top_level = best
    return best


@transaction.atomic
def add_honour(
    *,
    actor: Actor,
    person: Person,
    title: HonourTitle,
    year: int,
    awarding_body: str = "",
    certificate_no: str = "",
) -> Honour:
    honour = _create_honour(person, title, year, awarding_body=awarding_body, certificate_no=certificate_no)
    recompute_top_level(person)
    log_action(actor, "people.honour.added", person, changes={"honour": [None, str(honour)]})
    person_changed(person_ids=[person.pk], fields={HONOURS}, actor=actor)
    return honour


def _create_honour(
    person: Person, title: HonourTitle, year: int, *, awarding_body: str = "", certificate_no: str = ""
) -> Honour:
    if title.for_collectives:
        raise DomainError(_("“%(title)s”授予集体，不能授予个人") % {"title": title.name}, field="title")
    if not 1950 <= year <= dt.date.today().year:
        raise DomainError(_("荣誉年份不合理"), field="year")
    if Honour.objects.filter(person=person, title=title, year=year).exists():
        raise DomainError(
            _("“%(name)s”已有 %(year)s 年的“%(title)s”") % {"name": person.name, "year": year, "title": title.name},
            field="title",
        )
    return Honour.objects.create(
        person=person,
        title=title,
        year=year,
        awarding_body=awarding_body or title.awarding_body,
        certificate_no=certificate_no,
    )


@transaction.atomic
def revoke_honour(*, actor: Actor, honour: Honour, reason: str) -> Honour:
    if not reason.strip():
        raise DomainError(_("请填写撤销原因"), field="reason")
    if honour.revoked:
        raise DomainError(_("“%(honour)s”已撤销") % {"honour": honour})
    honour.revoked = True
    honour.revoked_reason = reason
    honour.save(update_fields=["revoked", "revoked_reason"])
    recompute_top_level(honour.person)
    log_action(actor, "people.honour.revoked", honour.person, changes={"honour": str(honour), "reason": reason})
    person_changed(person_ids=[honour.person_id], fields={HONOURS}, actor=actor)
    return honour


@transaction.atomic
def remove_honour(*, actor: Actor, honour: Honour) -> None:
    person = honour.person
    text = str(honour)
    honour.delete()
    recompute_top_level(person)
    log_action(actor, "people.honour.removed", person, changes={"honour": [text, None]})
    person_changed(person_ids=[person.pk], fields={HONOURS}, actor=actor)


@transaction.atomic
def set_skill(*, actor: Actor, person: Person, trade: Any, grade: str = "", specialties: str = "") -> Skill:
    skill, created = Skill.objects.update_or_create(
        person=person, trade=trade, defaults={"grade": grade, "specialties": specialties}
    )
    log_action(
        actor,
        "people.skill.added" if created else "people.skill.updated",
        person,
        changes={"skill": str(skill), "specialties": specialties},
    )
    person_changed(person_ids=[person.pk], fields={SKILLS}, actor=actor)
    return skill


@transaction.atomic
def remove_skill(*, actor: Actor, skill: Skill) -> None:
    person, text = skill.person, str(skill)
    skill.delete()
    log_action(actor, "people.skill.removed", person, changes={"skill": [text, None]})
    person_changed(person_ids=[person.pk], fields={SKILLS}, actor=actor)


def reveal_id_number(*, actor: Actor, person: Person) -> str:
    """The full number, for someone with ``people.reveal_id``; the caller checks the permission,
    this logs the reading."""
    number = crypto.decrypt(person.id_number_encrypted)
    log_action(actor, "people.person.id_revealed", person)
    return number


def reveal_bank_account(*, actor: Actor, person: Person) -> str:
    number = crypto.decrypt(person.bank_account_encrypted)
    log_action(actor, "people.person.bank_revealed", person)
    return number


@transaction.atomic
def merge_people(*, actor: Actor, keep: Person, duplicate: Person) -> Person:
    """Two records of one person: honours and skills move to ``keep``, blank fields of ``keep``
    are filled from ``duplicate``, and ``duplicate`` is kept (hidden) pointing at ``keep``.
    Other apps' rows pointing at the duplicate are moved by their ``person_merged`` hooks
    (``on_person_merged(*, keep, duplicate, actor)``), inside this transaction."""
    if keep.pk == duplicate.pk:
        raise DomainError(_("不能与自己合并"))
    keep, duplicate = (
        Person.objects.select_for_update().get(pk=keep.pk),
        Person.objects.select_for_update().get(pk=duplicate.pk),
    )
    if duplicate.merged_into_id or keep.merged_into_id:
        raise DomainError(_("已合并的记录不能再次合并"))
    if keep.id_number_hash and duplicate.id_number_hash and keep.id_number_hash != duplicate.id_number_hash:
        raise DomainError(_("两条记录的身份证号不同，不是同一人，不能合并"))
    filled = {}
    for field in PLAIN_FIELDS:
        if getattr(keep, field) in ("", None) and getattr(duplicate, field) not in ("", None):
            setattr(keep, field, getattr(duplicate, field))
            filled[field] = getattr(duplicate, field)
    if not keep.id_number_hash and duplicate.id_number_hash:
        keep.id_number_encrypted, keep.id_number_hash = duplicate.id_number_encrypted, duplicate.id_number_hash
        keep.id_number_masked, keep.id_last4 = duplicate.id_number_masked, duplicate.id_last4
        filled["id_number"] = duplicate.id_number_masked
    if not keep.bank_account_encrypted and duplicate.bank_account_encrypted:
        keep.bank_account_encrypted = duplicate.bank_account_encrypted
        keep.bank_account_masked = duplicate.bank_account_masked
    duplicate.id_number_hash = None  # the unique key moves with the number
    duplicate.merged_into = keep
    duplicate.save()
    keep.save()
    existing = set(keep.honours.values_list("title_id", "year"))
    for honour in duplicate.honours.all():
        if (honour.title_id, honour.year) in existing:
            honour.delete()
        else:
            honour.person = keep
            honour.save(update_fields=["person"])
    trades = set(keep.skills.values_list("trade_id", flat=True))
    for skill in duplicate.skills.all():
        if skill.trade_id in trades:
            skill.delete()
        else:
            skill.person = keep
            skill.save(update_fields=["person"])
    if duplicate.user_id and not keep.user_id:
        keep.user_id, duplicate.user_id = duplicate.user_id, None
        duplicate.save(update_fields=["user"])
        keep.save(update_fields=["user"])
    for on_merged in extensions.person_merged.implementations():
        on_merged(keep=keep, duplicate=duplicate, actor=actor)
    recompute_top_level(keep)
    log_action(actor, "people.person.merged", keep, changes={"duplicate": duplicate.pk, "filled": filled})
    person_changed(person_ids=[keep.pk, duplicate.pk], fields={MERGED, HONOURS, SKILLS, *filled}, actor=actor)
    return keep


# Collectives (模范集体) are honoured bodies, not people: their own small set of writes.

COLLECTIVE_FIELDS = ("name", "employer", "region", "title", "year", "notes")


def _check_collective(collective: Collective) -> None:
    collective.name = " ".join(collective.name.split())
    if not collective.name:
        raise DomainError(_("集体名称不能为空"), field="name")
    if not collective.title.for_collectives:
        raise DomainError(_("“%(title)s”授予个人，不能授予集体") % {"title": collective.title.name}, field="title")
    if not 1950 <= collective.year <= dt.date.today().year:
        raise DomainError(_("荣誉年份不合理"), field="year")
    clash = Collective.objects.filter(name=collective.name, title=collective.title, year=collective.year).exclude(
        pk=collective.pk
    )
    if clash.exists():
        raise DomainError(
            _("“%(name)s”已有 %(year)s 年的“%(title)s”")
            % {"name": collective.name, "year": collective.year, "title": collective.title.name},
            field="name",
        )


def _collective_snapshot(collective: Collective) -> dict[str, Any]:
    return {
        f: str(getattr(collective, f)) if f in {"region", "title"} else getattr(collective, f)
        for f in COLLECTIVE_FIELDS
    }


@transaction.atomic
def create_collective(
    *, actor: Actor, name: str, region: Region, title: HonourTitle, year: int, employer: str = "", notes: str = ""
) -> Collective:
    collective = Collective(name=name, region=region, title=title, year=year, employer=employer, notes=notes)
    _check_collective(collective)
    collective.save()
    log_action(
        actor,
        "people.collective.created",
        collective,
        changes={k: [None, v] for k, v in _collective_snapshot(collective).items() if v},
    )
    return collective


@transaction.atomic
def update_collective(*, actor: Actor, collective: Collective, **fields: Any) -> Collective:
    unknown = set(fields) - set(COLLECTIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown collective fields: {sorted(unknown)}")
    collective = Collective.objects.select_for_update().get(pk=collective.pk)
    before = _collective_snapshot(collective)
    for key, value in fields.items():
        setattr(collective, key, value)
    _check_collective(collective)
    changes = diff(before, _collective_snapshot(collective))
    if changes:
        collective.save()
        log_action(actor, "people.collective.updated", collective, changes=changes)
    return collective


@transaction.atomic
def delete_collective(*, actor: Actor, collective: Collective) -> None:
    snapshot = _collective_snapshot(collective)
    log_action(actor, "people.collective.deleted", collective, changes={k: [v, None] for k, v in snapshot.items()})
    collective.delete()


PHOTO_MAX_BYTES = 5 * 1024 * 1024


@transaction.atomic
def set_photo(*, actor: Actor, person: Person, upload: Any) -> Person:
    """Store a person's photo (JPEG or PNG, at most 5 MB), checked by content, not by name."""
    if upload.size > PHOTO_MAX_BYTES:
        raise DomainError(_("照片不能超过 5 MB"), field="photo")
    data = upload.read()
    try:
        with Image.open(BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise DomainError(_("文件不是有效的图片，请上传 JPG 或 PNG 照片"), field="photo") from exc
    if kind not in {"JPEG", "PNG"}:
        raise DomainError(_("只支持 JPG 或 PNG 照片"), field="photo")
    person = Person.objects.select_for_update().get(pk=person.pk)
    old = person.photo.name if person.photo else ""
    # The stored name carries no personal data; the file is served only through a scoped view.
    person.photo.save(f"p{person.pk}.{'jpg' if kind == 'JPEG' else 'png'}", ContentFile(data), save=False)
    person.save(update_fields=["photo", "updated"])
    if old and old != person.photo.name:
        person.photo.storage.delete(old)
    log_action(actor, "people.person.photo_set", person)
    return person


@transaction.atomic
def remove_photo(*, actor: Actor, person: Person) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.photo:
        raise DomainError(_("没有照片可删除"))
    name = person.photo.name
    person.photo = ""  # type: ignore[assignment]
    person.save(update_fields=["photo", "updated"])
    transaction.on_commit(lambda: Person._meta.get_field("photo").storage.delete(name))  # type: ignore[attr-defined]
    log_action(actor, "people.person.photo_removed", person)
    return person


@transaction.atomic
def ensure_account(*, person: Person) -> User:
    """The account a registry person signs in to their phone pages with: the linked one, or, at
    their first sign-in by text message, a new one (no password, role model worker) linked to
    the record. Logged as ``people.person.account_created``."""
    # Locked: two first sign-ins at once (two taps) must not make two accounts.
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user is not None:
        return person.user
    user = create_user(
        actor=None, username=f"person{person.pk}", password=None, display_name=person.name, mobile=person.mobile
    )
    assign_role(actor=None, user=user, role=Role.MODEL_WORKER)
    person.user = user
    person.save(update_fields=["user", "updated"])
    log_action(user, "people.person.account_created", person, changes={"user": user.username})
    return user


# 劳模工匠手机登录: a registry person signs in with the mobile their record holds and a text-message code.

SIGN_IN_PURPOSE = "portal_login"


def _may_sign_in_by_code(person: Person | None) -> bool:
    """One living registry person whose account (if any) is active and not staff: staff keep
    their password and second factor."""
    if person is None:
        return False
    account = person.user
    return account is None or (account.is_active and not is_staff_user(account))


def send_sign_in_code(*, mobile: str, ip: str | None) -> str:
    """Step 1: a code is sent only to a number the registry holds for one person who may sign in
    this way; the caller goes on to step 2 either way (who is in the registry is private).
    Returns the normalised number; a malformed one is refused on its field."""
    try:
        mobile = normalize_mobile(mobile)
    except PhoneError as exc:
        raise DomainError(exc.problem(), field="mobile") from exc
    if _may_sign_in_by_code(person_for_mobile(mobile)):
        send_phone_code(mobile=mobile, purpose=SIGN_IN_PURPOSE, ip=ip)
    return mobile


def sign_in_by_code(*, mobile: str, code: str) -> User:
    """Step 2: the code checked, the person's account (made at the first sign-in) to sign in."""
    person = person_for_mobile(mobile)
    if person is None or not _may_sign_in_by_code(person):
        raise DomainError(_("验证码不正确或已过期，请重新获取"), field="code")
    verify_phone_code(mobile=mobile, purpose=SIGN_IN_PURPOSE, code=code)
    return ensure_account(person=person)
