"""Staff pages of the registry. Thin: parse → fetch through the scope → call a service → answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.jobs import job_url, start_job
from core.masking import mask_mobile
from core.pages import PAGE_SIZES, act, form_error, page_of, submit
from core.permissions import require_perm, signed_in
from core.scope import get_visible_or_404
from core.spreadsheets import xlsx_response
from people import services
from people.exports import DIRECT_EXPORT_LIMIT, build_export, export_filename
from people.forms import (
    CollectiveForm,
    CollectiveSearchForm,
    DeceasedForm,
    HonourForm,
    PersonForm,
    PersonSearchForm,
    RevokeHonourForm,
    SkillForm,
)
from people.models import Collective, Gender, Honour, Person, PersonStatus, Skill
from people.panels import panels_for
from people.selectors import (
    age_on,
    collectives_for_user,
    get_collective,
    get_person,
    merge_candidates,
    merge_comparison,
    people_for_user,
    people_list_page,
    person_history,
)
from people.tasks import export_people

STATUS_TAGS = {
    PersonStatus.WORKING: "tag-success",
    PersonStatus.RETIRED: "tag-info",
    PersonStatus.DECEASED: "tag-muted",
    PersonStatus.MOVED_AWAY: "tag-warning",
}
LEVEL_TAGS = {"national": "tag-danger", "provincial": "tag-warning", "city": "tag-info", "district": ""}


def _query_without(request: HttpRequest, *keys: str) -> str:
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


# ── the list ────────────────────────────────────────────────────────────────────────────────


@require_perm("people.view")
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None, user=request.user)
    filters = form.filters()
    page = page_of(request, people_list_page(people_for_user(request.user, filters)))
    size = page.paginator.per_page
    today = dt.date.today()
    rows = [
        {
            "person": p,
            "age": age_on(p.birth_date, today),
            "mobile": mask_mobile(p.mobile),
            "status_tag": STATUS_TAGS.get(PersonStatus(p.status), ""),
            "level_tag": LEVEL_TAGS.get(p.top_level, ""),
            "honours": list(p.honours.all()),
        }
        for p in page.object_list
    ]
    sort = filters.sort or "name"
    columns = {}
    for key in ("name", "birth", "district", "level"):
        asc = sort == key
        desc = sort == f"-{key}"
        columns[key] = {
            "next": f"-{key}" if asc else key,
            "arrow": "▲" if asc else ("▼" if desc else ""),
            "aria": "ascending" if asc else ("descending" if desc else "none"),
        }
    return render(
        request,
        "people/person_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "size": size,
            "sizes": PAGE_SIZES,
            "columns": columns,
            "query_no_page": _query_without(request, "page"),
            "query_no_sort": _query_without(request, "sort", "page"),
            "query_no_size": _query_without(request, "size", "page"),
            "export_query": _query_without(request, "page", "size"),
        },
    )


@require_perm("people.export")
def person_export(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None, user=request.user)
    filters = form.filters()
    described = form.described()
    count = people_for_user(request.user, filters).count()
    if count > DIRECT_EXPORT_LIMIT:
        job = start_job(
            actor=signed_in(request),
            kind="people.export",
            title=_("导出劳模工匠名单（%(n)s 条）") % {"n": f"{count:,}"},
            task=export_people,
            params={"filters": dataclasses.asdict(filters), "described": described},
        )
        return redirect(job_url(job))
    content, _count = build_export(request.user, filters, described_filters=described)
    return xlsx_response(content, export_filename())


# ── one person ──────────────────────────────────────────────────────────────────────────────


ACTION_LABELS = {
    "people.person.created": _lazy("新增"),
    "people.person.updated": _lazy("修改"),
    "people.person.deceased": _lazy("标记去世"),
    "people.person.merged": _lazy("合并记录"),
    "people.person.id_revealed": _lazy("查看完整身份证号"),
    "people.person.bank_revealed": _lazy("查看完整银行账号"),
    "people.honour.added": _lazy("添加荣誉"),
    "people.honour.revoked": _lazy("撤销荣誉"),
    "people.honour.removed": _lazy("删除荣誉"),
    "people.skill.added": _lazy("添加技能"),
    "people.skill.updated": _lazy("修改技能"),
    "people.skill.removed": _lazy("删除技能"),
}
CHANGE_LABELS = {
    "id_number": _lazy("身份证号"),
    "bank_account": _lazy("银行账号"),
    "honour": _lazy("荣誉"),
    "skill": _lazy("技能"),
    "specialties": _lazy("专长"),
    "reason": _lazy("原因"),
    "date": _lazy("日期"),
    "duplicate": _lazy("被合并记录编号"),
    "filled": _lazy("补全字段"),
}


def _change_label(key: str) -> str:
    if key in CHANGE_LABELS:
        return str(CHANGE_LABELS[key])
    try:
        return str(getattr(Person._meta.get_field(key), "verbose_name", key))
    except FieldDoesNotExist:
        return key


def _display(key: str, value: Any) -> Any:
    """A stored value as a person reads it (choice labels, 是/否)."""
    if value in (None, ""):
        return _("（空）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = {"gender": Gender, "status": PersonStatus}.get(key)
    if choices is not None and value in choices.values:
        return choices(value).label
    return value


def _change_text(key: str, value: Any) -> str:
    if isinstance(value, list) and len(value) == 2:
        before, after = (_display(key, v) for v in value)
        return f"{before} → {after}"
    if isinstance(value, dict):
        return "，".join(f"{k}: {v}" for k, v in value.items()) or "—"
    return str(value)


def _history(person: Person) -> list[Any]:
    entries = list(person_history(person))
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)  # type: ignore[attr-defined]
        entry.lines = [(_change_label(key), _change_text(key, value)) for key, value in (entry.changes or {}).items()]  # type: ignore[attr-defined]
    return entries


def _detail_context(request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
    honours = list(Honour.objects.filter(person=person).select_related("title"))
    skills = list(Skill.objects.filter(person=person).select_related("trade"))
    return {
        "person": person,
        "age": age_on(person.birth_date, dt.date.today()),
        "status_tag": STATUS_TAGS.get(PersonStatus(person.status), ""),
        "level_tag": LEVEL_TAGS.get(person.top_level, ""),
        "honours": honours,
        "skills": skills,
        "history": _history(person),
        "merged_from": list(person.merged_from.select_related("district").order_by("id")),
        "panels": panels_for(user=request.user, person=person),
        "honour_form": extra.pop("honour_form", None) or HonourForm(initial={"year": dt.date.today().year}),
        "skill_form": extra.pop("skill_form", None) or SkillForm(),
        "deceased_form": extra.pop("deceased_form", None) or DeceasedForm(initial={"date": dt.date.today()}),
        "revoke_form": RevokeHonourForm(),
        **extra,
    }


@require_perm("people.view")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    return render(request, "people/person_detail.html", _detail_context(request, person))


@require_perm("people.edit")
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(actor=signed_in(request), **form.service_kwargs())
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("操作成功：已新增“%(name)s”") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@require_perm("people.edit")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    if person.merged_into_id:
        messages.warning(request, _("该记录已合并，请修改保留的记录"))
        return redirect("people:detail", pk=person.merged_into_id)
    initial = {f: getattr(person, f) for f in services.PLAIN_FIELDS} | {"region": person.region}
    form = PersonForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if submit(
        request,
        form,
        lambda: services.update_person(actor=signed_in(request), person=person, **form.service_kwargs()),
        _("操作成功"),
    ):
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@require_POST
@require_perm("people.reveal_id")
def person_reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    number = services.reveal_id_number(actor=signed_in(request), person=person) if person.id_number_encrypted else ""
    return render(request, "people/_revealed.html", {"value": number, "kind": "id"})


@require_POST
@require_perm("people.reveal_bank")
def person_reveal_bank(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    number = (
        services.reveal_bank_account(actor=signed_in(request), person=person) if person.bank_account_encrypted else ""
    )
    return render(request, "people/_revealed.html", {"value": number, "kind": "bank"})


def _after_write(request: HttpRequest, person: Person, error: DomainError | None = None) -> HttpResponse:
    if error is None:
        messages.success(request, _("操作成功"))
    else:
        messages.error(request, error.message)
    return redirect("people:detail", pk=person.pk)


def _form_errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[f].label if f in form.fields else ''}{' ' if f in form.fields else ''}{e}"
        for f, errs in form.errors.items()
        for e in errs
    )


@require_perm("people.edit")
def person_deceased(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    form = DeceasedForm(request.POST or None, initial={"date": dt.date.today()})
    if submit(
        request,
        form,
        lambda: services.mark_deceased(
            actor=signed_in(request), person=person, date=form.cleaned_data["date"], note=form.cleaned_data["note"]
        ),
        _("操作成功：已将“%(name)s”标记为去世") % {"name": person.name},
    ):
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_deceased.html", {"person": person, "form": form})


@require_POST
@require_perm("people.edit")
def honour_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    form = HonourForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("people:detail", pk=person.pk)
    try:
        services.add_honour(actor=signed_in(request), person=person, **form.cleaned_data)
    except DomainError as error:
        return _after_write(request, person, error)
    return _after_write(request, person)


def _honour_of(request: HttpRequest, pk: int, honour_pk: int) -> tuple[Person, Honour]:
    person = get_person(request.user, pk)
    honour = Honour.objects.filter(person=person, pk=honour_pk).select_related("title", "person").first()
    if honour is None:
        raise Http404
    return person, honour


@require_POST
@require_perm("people.edit")
def honour_revoke(request: HttpRequest, pk: int, honour_pk: int) -> HttpResponse:
    person, honour = _honour_of(request, pk, honour_pk)
    form = RevokeHonourForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因"))
        return redirect("people:detail", pk=person.pk)
    try:
        services.revoke_honour(actor=signed_in(request), honour=honour, reason=form.cleaned_data["reason"])
    except DomainError as error:
        return _after_write(request, person, error)
    return _after_write(request, person)


@require_POST
@require_perm("people.edit")
def honour_remove(request: HttpRequest, pk: int, honour_pk: int) -> HttpResponse:
    person, honour = _honour_of(request, pk, honour_pk)
    services.remove_honour(actor=signed_in(request), honour=honour)
    return _after_write(request, person)


@require_POST
@require_perm("people.edit")
def skill_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    form = SkillForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("people:detail", pk=person.pk)
    try:
        services.set_skill(actor=signed_in(request), person=person, **form.cleaned_data)
    except DomainError as error:
        return _after_write(request, person, error)
    return _after_write(request, person)


@require_POST
@require_perm("people.edit")
def skill_remove(request: HttpRequest, pk: int, skill_pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    skill = Skill.objects.filter(person=person, pk=skill_pk).select_related("trade", "person").first()
    if skill is None:
        raise Http404
    services.remove_skill(actor=signed_in(request), skill=skill)
    return _after_write(request, person)


@require_perm("people.merge")
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: find the duplicate by search; step 2: both side by side; step 3: confirm (POST)."""
    keep = get_person(request.user, pk)
    if keep.merged_into_id:
        raise Http404
    duplicate: Person | None = None
    raw_dup = request.POST.get("duplicate") or request.GET.get("duplicate")
    if raw_dup:
        try:
            duplicate = get_person(request.user, int(raw_dup))
        except ValueError as exc:
            raise Http404 from exc
        if duplicate.merged_into_id or duplicate.pk == keep.pk:
            duplicate = None
            messages.error(request, _("不能选择该记录：已合并或与保留记录相同"))
    if request.method == "POST" and duplicate is not None:
        dup = duplicate
        merged = _("操作成功：已将“%(dup)s”的记录合并到本记录") % {"dup": dup.name}
        if act(request, lambda: services.merge_people(actor=signed_in(request), keep=keep, duplicate=dup), merged):
            return redirect("people:detail", pk=keep.pk)
    q = request.GET.get("q", "").strip()
    candidates = merge_candidates(request.user, keep, q=q) if duplicate is None else []
    compare = merge_comparison(keep, duplicate) if duplicate is not None else []
    return render(
        request,
        "people/person_merge.html",
        {"keep": keep, "duplicate": duplicate, "q": q, "candidates": candidates, "compare": compare},
    )


# ── collectives ─────────────────────────────────────────────────────────────────────────────


@require_perm("people.view")
def collective_list(request: HttpRequest) -> HttpResponse:
    form = CollectiveSearchForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = collectives_for_user(request.user, q=data.get("q") or "", district=data.get("district"), year=data.get("year"))
    page = page_of(request, qs)
    size = page.paginator.per_page
    return render(
        request,
        "people/collective_list.html",
        {
            "form": form,
            "page": page,
            "size": size,
            "sizes": PAGE_SIZES,
            "query_no_page": _query_without(request, "page"),
            "query_no_size": _query_without(request, "size", "page"),
        },
    )


@require_perm("people.edit")
def collective_create(request: HttpRequest) -> HttpResponse:
    form = CollectiveForm(request.POST or None, user=request.user, initial={"year": dt.date.today().year})
    if submit(
        request, form, lambda: services.create_collective(actor=signed_in(request), **form.cleaned_data), _("操作成功")
    ):
        return redirect("people:collectives")
    return render(request, "people/collective_form.html", {"form": form, "collective": None})


@require_perm("people.edit")
def collective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collective = get_collective(request.user, pk)
    initial = {f: getattr(collective, f) for f in services.COLLECTIVE_FIELDS}
    form = CollectiveForm(request.POST or None, user=request.user, initial=initial)
    if submit(
        request,
        form,
        lambda: services.update_collective(actor=signed_in(request), collective=collective, **form.cleaned_data),
        _("操作成功"),
    ):
        return redirect("people:collectives")
    return render(request, "people/collective_form.html", {"form": form, "collective": collective})


@require_POST
@require_perm("people.edit")
def collective_delete(request: HttpRequest, pk: int) -> HttpResponse:

    collective = get_visible_or_404(Collective.objects.all(), request.user, pk=pk)
    services.delete_collective(actor=signed_in(request), collective=collective)
    messages.success(request, _("操作成功：已删除“%(name)s”") % {"name": collective.name})
    return redirect(reverse("people:collectives"))


@require_perm("people.view")
def person_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The photo, only for those who may see the person (no public /media/ URL exists)."""
    person = get_person(request.user, pk)
    if not person.photo:
        raise Http404
    response = FileResponse(
        person.photo.open("rb"), content_type="image/png" if person.photo.name.endswith(".png") else "image/jpeg"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@require_perm("people.edit")
def person_photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("请选择照片文件"))
    else:
        act(
            request,
            lambda: services.set_photo(actor=signed_in(request), person=person, upload=upload),
            _("操作成功：照片已更新"),
        )
    return redirect("people:detail", pk=person.pk)


@require_POST
@require_perm("people.edit")
def person_photo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request.user, pk)
    act(request, lambda: services.remove_photo(actor=signed_in(request), person=person), _("操作成功：照片已删除"))
    return redirect("people:detail", pk=person.pk)
