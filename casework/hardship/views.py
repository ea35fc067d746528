"""Pages of the hardship part: files, help ledger, re-checks, visits, plans, figures, settings."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.hardship import forms as f
from casework.hardship import selectors, services
from casework.models.hardship import (
    STEP_ORDER,
    CareVisit,
    CareVisitPhoto,
    HardshipConfig,
    HardshipFile,
    HardshipTerm,
    HelpRecord,
    HelpStatus,
    Objection,
    PlanTarget,
    PovertyLine,
    Recheck,
    Step,
    VisitPlan,
)
from core.audit import log_action
from core.errors import DomainError
from core.pages import act, page_context, submit
from core.params import parse_id
from core.permissions import has_perm, require_perm, signed_in
from core.scope import get_visible_or_404, scope_for
from core.spreadsheets import write_xlsx, xlsx_response
from people.models import Person
from people.selectors import person_by_number_or_name

VIEW = "casework.hardship_view"
MANAGE = "casework.hardship_manage"
APPROVE = "casework.hardship_approve"
SENSITIVE = "casework.hardship_sensitive"
SETTINGS = "casework.hardship_settings"
MASK = "***"
T = TypeVar("T")


def _people(user: Any, names: str) -> list[Person]:
    """The registry people named in a comma-separated list (，or ,)."""
    return [person_by_number_or_name(user, name) for name in names.replace("，", ",").split(",") if name.strip()]


def _keep(action: Callable[[], T], done: dict[str, Any]) -> Callable[[], T]:
    """``action`` that also keeps its result in ``done["result"]`` (for the redirect after it)."""

    def run() -> T:
        done["result"] = action()
        return done["result"]

    return run


def _file(request: HttpRequest, pk: int) -> HardshipFile:
    return get_visible_or_404(
        HardshipFile.objects.select_related("person", "district", "category"), request.user, pk=pk
    )


# ============================================================================ files


@require_perm(VIEW)
def file_list(request: HttpRequest) -> HttpResponse:
    districts = selectors.districts_for(request.user)
    form = f.FileSearchForm(request.GET or None, districts=districts)
    qs = selectors.files_for(request.user, form.params())
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                x.number,
                x.person.name,
                x.district.name,
                str(x.category or ""),
                x.get_step_display(),
                x.get_status_display(),
                x.applied_on,
                x.filed_on,
                MASK,  # health and finance are never exported
            ]
            for x in qs.iterator(chunk_size=1000)
        )
        headers = [
            _("档案编号"),
            _("姓名"),
            _("区县(市)"),
            _("困难类别"),
            _("环节"),
            _("状态"),
            _("申请日期"),
            _("建档日期"),
            _("健康/经济状况"),
        ]
        log_action(signed_in(request), "casework.hardship.exported", None, changes={"filters": form.params()})
        return xlsx_response(write_xlsx(headers, rows, sheet_title=_("困难档案")), "hardship-files.xlsx")
    return render(request, "casework/hardship/file_list.html", {"form": form, **page_context(request, qs)})


@require_perm(MANAGE)
def file_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("person"):
        initial["person"] = request.GET["person"][:40]
    form = f.OpenFileForm(request.POST or None, initial=initial)

    done: dict[str, Any] = {}

    def action() -> HardshipFile:
        d = form.cleaned_data
        return services.open_file(
            actor=signed_in(request),
            person=person_by_number_or_name(request.user, d["person"]),
            category=d["category"],
            causes=d["causes"],
            summary=d["summary"],
            applied_on=d["applied_on"],
            note=d["note"],
        )

    if submit(request, form, _keep(action, done), _("困难档案已建立，进入「基层核实」前请补全材料")):
        return redirect("casework:hardship_detail", pk=done["result"].pk)
    return render(
        request, "casework/hardship/form.html", {"form": form, "title": _("新建困难档案"), "multipart": False}
    )


def _detail_context(request: HttpRequest, file: HardshipFile) -> dict[str, Any]:
    members = list(file.members.all())
    line = services.poverty_line_for(file)
    per_head = services.income_per_head(file)
    help_qs = HelpRecord.objects.filter(file=file).select_related("entered_by", "approved_by")
    return {
        "file": file,
        "steps": [(s, Step(s).label, STEP_ORDER.index(s) <= STEP_ORDER.index(file.step)) for s in STEP_ORDER],
        "next_step": file.next_step,
        "next_label": Step(file.next_step).label if file.next_step else "",
        "events": file.events.select_related("actor"),
        "members": members,
        "objections": file.objections.all(),
        "per_head": per_head,
        "line": line,
        "below_line": per_head is not None and line is not None and per_head < line.monthly,
        "help": help_qs,
        "help_totals": selectors.help_totals(help_qs),
        "rechecks": file.rechecks.all(),
        "visits": CareVisit.objects.filter(person=file.person).order_by("-visited_on")[:10],
        "advance_form": f.AdvanceForm(initial={"to_step": file.next_step}),
        "back_form": f.SendBackForm(current=file.step, initial={"from_step": file.step}),
        "upload_form": f.UploadForm(),
        "member_form": f.MemberForm(),
        "objection_form": f.ObjectionForm(),
        "help_form": f.HelpForm(),
        "close_form": f.CloseForm(),
        "threshold": HardshipConfig.current().cash_approval_above,
        "can_manage": has_perm(request.user, MANAGE),
        "can_approve": has_perm(request.user, APPROVE),
        "can_sensitive": has_perm(request.user, SENSITIVE),
        "causes": list(file.causes.all()),
    }


@require_perm(VIEW)
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file(request, pk)
    return render(request, "casework/hardship/file_detail.html", _detail_context(request, file))


@require_perm(VIEW, SENSITIVE)
def file_sensitive(request: HttpRequest, pk: int) -> HttpResponse:
    """The sensitive tab: health and finance in full. Every view is logged."""
    file = _file(request, pk)
    log_action(signed_in(request), "casework.hardship.sensitive_viewed", file)
    context = _detail_context(request, file)
    context["details_form"] = f.DetailsForm(
        initial={"health_note": file.health_note, "finance_note": file.finance_note}
    )
    return render(request, "casework/hardship/file_sensitive.html", context)


@require_perm(VIEW)
def file_authorisation(request: HttpRequest, pk: int) -> HttpResponseBase:
    file = _file(request, pk)
    if not file.authorisation:
        raise Http404
    if not has_perm(request.user, SENSITIVE):
        raise Http404
    log_action(signed_in(request), "casework.hardship.authorisation_viewed", file)
    return FileResponse(
        file.authorisation.open("rb"), content_type=file.authorisation_type or "application/octet-stream"
    )


def _act(request: HttpRequest, file: HardshipFile, action: str) -> str:
    """One of the file page's acts (``action`` names its form); what to say when it is done."""
    actor = signed_in(request)
    post, files = request.POST, request.FILES
    perm_for = {"approve_help": APPROVE, "reject_help": APPROVE, "details": SENSITIVE}
    if not has_perm(request.user, perm_for.get(action, MANAGE)):
        raise DomainError(_("您没有办理此操作的权限"))
    if action == "advance":
        form: Any = f.AdvanceForm(post)
        if not form.is_valid():
            raise DomainError(
                _("请检查填写的内容：%(e)s") % {"e": "; ".join(m for e in form.errors.values() for m in e)}
            )
        d = form.cleaned_data
        services.advance_file(
            actor=actor,
            file=file,
            to_step=d["to_step"],
            note=d["note"],
            publicity_start=d["publicity_start"],
            publicity_end=d["publicity_end"],
            can_approve=has_perm(request.user, APPROVE),
        )
        return _("已提交至「%(s)s」") % {"s": Step(d["to_step"]).label}
    form_class = {
        "send_back": f.SendBackForm,
        "upload": f.UploadForm,
        "member": f.MemberForm,
        "objection": f.ObjectionForm,
        "resolve": f.ResolveForm,
        "help": f.HelpForm,
        "approve_help": f.DecideForm,
        "reject_help": f.DecideForm,
        "recheck": f.RecheckForm,
        "close": f.CloseForm,
        "details": f.DetailsForm,
    }.get(action)
    if form_class is None:
        raise DomainError(_("未知操作"))
    kwargs: dict[str, Any] = {"current": file.step} if action == "send_back" else {}
    form = form_class(post, files, **kwargs)
    if not form.is_valid():
        raise DomainError(_("请检查填写的内容：%(e)s") % {"e": "; ".join(m for e in form.errors.values() for m in e)})
    d = form.cleaned_data
    if action == "send_back":
        services.send_back(actor=actor, file=file, to_step=d["to_step"], reason=d["reason"], from_step=d["from_step"])
    elif action == "upload":
        services.upload_authorisation(actor=actor, file=file, upload=d["file"])
    elif action == "member":
        services.add_member(actor=actor, file=file, **d)
    elif action == "objection":
        services.add_objection(actor=actor, file=file, **d)
    elif action == "resolve":
        objection = Objection.objects.filter(file=file, pk=d["objection"]).first()
        if objection is None:
            raise DomainError(_("异议不存在"))
        services.resolve_objection(actor=actor, objection=objection, resolution=d["resolution"])
    elif action == "help":
        record = services.add_help(actor=actor, file=file, **d)
        if record.status == HelpStatus.PENDING:
            messages.info(request, _("现金帮扶超过复核金额，已提交另一人复核"))
    elif action in ("approve_help", "reject_help"):
        pending = HelpRecord.objects.filter(file=file, pk=d["help"]).first()
        if pending is None:
            raise DomainError(_("帮扶记录不存在"))
        services.decide_help(actor=actor, record=pending, approve=action == "approve_help", note=d["note"])
    elif action == "recheck":
        recheck = Recheck.objects.filter(file=file, pk=d["recheck"]).first()
        if recheck is None:
            raise DomainError(_("复核任务不存在"))
        services.complete_recheck(actor=actor, recheck=recheck, note=d["note"], keep=d["keep"])
    elif action == "close":
        services.close_file(actor=actor, file=file, reason=d["reason"], note=d["note"])
    elif action == "details":
        services.save_details(actor=actor, file=file, **d)
    return _("已保存")


@require_POST
@require_perm(VIEW)
def file_act(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file(request, pk)
    action = request.POST.get("action", "")[:20]
    act(request, lambda: _act(request, file, action), lambda said: said)
    target = "casework:hardship_sensitive" if action == "details" else "casework:hardship_detail"
    return redirect(target, pk=file.pk)


# ============================================================================ help ledger, re-checks


@require_perm(VIEW)
def help_list(request: HttpRequest) -> HttpResponse:
    districts = selectors.districts_for(request.user)
    form = f.HelpSearchForm(request.GET or None, districts=districts)
    qs = selectors.help_for(request.user, form.params())
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                h.file.number,
                h.file.person.name,
                h.file.district.name,
                h.get_kind_display(),
                h.amount,
                h.given_on,
                h.source,
                h.giver,
                h.get_status_display(),
            ]
            for h in qs.iterator(chunk_size=1000)
        )
        headers = [
            _("档案编号"),
            _("姓名"),
            _("区县(市)"),
            _("帮扶类型"),
            _("金额(元)"),
            _("日期"),
            _("资金来源"),
            _("帮扶人/单位"),
            _("状态"),
        ]
        log_action(signed_in(request), "casework.hardship.help_exported", None, changes={"filters": form.params()})
        return xlsx_response(
            write_xlsx(headers, rows, sheet_title=_("帮扶台账"), money_columns=[4]), "hardship-help.xlsx"
        )
    context = {
        "form": form,
        "totals": selectors.help_totals(qs),
        "by_district": selectors.help_by_district(qs),
        "by_year": selectors.help_by_year(qs),
        **page_context(request, qs),
    }
    return render(request, "casework/hardship/help_list.html", context)


@require_perm(VIEW)
def recheck_list(request: HttpRequest) -> HttpResponse:
    overdue = request.GET.get("overdue") == "1"
    district = parse_id(request.GET.get("district", ""))
    qs = selectors.rechecks_for(request.user, overdue_only=overdue, district=district)
    if request.GET.get("export") == "xlsx":
        today = timezone.localdate()
        rows = (
            [
                r.file.number,
                r.file.person.name,
                r.file.district.name,
                r.year,
                r.due,
                _("已逾期") if r.due < today else _("待复核"),
            ]
            for r in qs.iterator(chunk_size=1000)
        )
        headers = [_("档案编号"), _("姓名"), _("区县(市)"), _("年度"), _("应复核日期"), _("状态")]
        log_action(
            signed_in(request),
            "casework.hardship.rechecks_exported",
            None,
            changes={"overdue": overdue, "district": district},
        )
        return xlsx_response(write_xlsx(headers, rows, sheet_title=_("年度复核")), "hardship-rechecks.xlsx")
    context = {
        "overdue": overdue,
        "today": timezone.localdate(),
        "districts": selectors.districts_for(request.user),
        "district": district,
        **page_context(request, qs),
    }
    return render(request, "casework/hardship/recheck_list.html", context)


# ============================================================================ visits


@require_perm(VIEW)
def visit_list(request: HttpRequest) -> HttpResponse:
    districts = selectors.districts_for(request.user)
    form = f.VisitSearchForm(request.GET or None, districts=districts)
    qs = selectors.visits_for(request.user, form.params())
    if request.GET.get("export") == "xlsx":
        rows = (
            [v.person.name, v.district.name, v.get_occasion_display(), v.visited_on, v.notes[:200]]
            for v in qs.iterator(chunk_size=1000)
        )
        headers = [_("走访对象"), _("区县(市)"), _("走访事由"), _("走访日期"), _("走访情况")]
        log_action(signed_in(request), "casework.visit.exported", None, changes={"filters": form.params()})
        return xlsx_response(write_xlsx(headers, rows, sheet_title=_("走访慰问")), "visits.xlsx")
    return render(
        request,
        "casework/hardship/visit_list.html",
        {"form": form, "cash": selectors.visit_cash(qs), **page_context(request, qs)},
    )


@require_perm(MANAGE)
def visit_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"staff": [request.user.pk]}
    if request.GET.get("person"):
        initial["person"] = request.GET["person"][:40]
    form = f.VisitForm(request.POST or None, initial=initial)

    done: dict[str, Any] = {}

    def action() -> CareVisit:
        d = form.cleaned_data
        return services.record_visit(
            actor=signed_in(request),
            person=person_by_number_or_name(request.user, d["person"]),
            occasion=d["occasion"],
            visited_on=d["visited_on"],
            staff=d["staff"],
            companions=_people(request.user, d["companions"]),
            cash=d["cash"],
            goods=d["goods"],
            goods_value=d["goods_value"],
            notes=d["notes"],
        )

    if submit(request, form, _keep(action, done), _("走访已登记，可以在手机上逐张添加照片")):
        return redirect("casework:visit_detail", pk=done["result"].pk)
    return render(
        request, "casework/hardship/form.html", {"form": form, "title": _("登记走访慰问"), "multipart": False}
    )


@require_perm(VIEW)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visible_or_404(CareVisit.objects.select_related("person", "district"), request.user, pk=pk)
    context = {
        "visit": visit,
        "items": visit.items.all(),
        "photos": visit.photos.all(),
        "staff": visit.staff_visitors.all(),
        "companions": visit.visitor_people.all(),
        "can_manage": has_perm(request.user, MANAGE),
    }
    return render(request, "casework/hardship/visit_detail.html", context)


@require_perm(MANAGE)
def visit_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Phone page: add the visit's photos one at a time."""
    visit = get_visible_or_404(CareVisit.objects.select_related("person"), request.user, pk=pk)
    form = f.PhotoForm(request.POST or None, request.FILES or None)

    def action() -> object:
        return services.add_visit_photo(actor=signed_in(request), visit=visit, upload=form.cleaned_data["file"])

    if submit(request, form, action, _("照片已添加，可以继续拍下一张")):
        return redirect("casework:visit_photo_add", pk=visit.pk)
    return render(
        request, "casework/hardship/visit_photo.html", {"visit": visit, "form": form, "photos": visit.photos.all()}
    )


@require_perm(VIEW)
def visit_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    photo = get_visible_or_404(CareVisitPhoto.objects.all(), request.user, pk=pk)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ============================================================================ plans


@require_perm(VIEW)
def plan_list(request: HttpRequest) -> HttpResponse:
    qs = VisitPlan.objects.visible_to(request.user).select_related("district")
    rows = []
    context = page_context(request, qs)
    for plan in context["page"]:
        progress = selectors.plan_progress(request.user, plan)
        total = sum(r["total"] for r in progress)
        done = sum(r["done"] for r in progress)
        rows.append((plan, total, done, round(100 * done / total) if total else 0))
    return render(request, "casework/hardship/plan_list.html", {"rows": rows, **context})


@require_perm(MANAGE)
def plan_create(request: HttpRequest) -> HttpResponse:
    districts = selectors.districts_for(request.user)
    whole_city = scope_for(request.user).everything
    form = f.PlanForm(request.POST or None, districts=districts, whole_city=whole_city)

    done: dict[str, Any] = {}

    def action() -> VisitPlan:
        d = form.cleaned_data
        return services.create_plan(
            actor=signed_in(request),
            title=d["title"],
            district=d["district"],
            occasion=d["occasion"],
            starts_on=d["starts_on"],
            due=d["due"],
            people=_people(request.user, d["people"]),
            all_hardship=d["all_hardship"],
        )

    if submit(request, form, _keep(action, done), _("走访计划已建立")):
        return redirect("casework:visit_plan_detail", pk=done["result"].pk)
    return render(
        request, "casework/hardship/form.html", {"form": form, "title": _("新建走访计划"), "multipart": False}
    )


@require_perm(VIEW)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(VisitPlan.objects.select_related("district"), request.user, pk=pk)
    targets = plan.targets.visible_to(request.user).select_related("person", "district", "visit")  # type: ignore[attr-defined]
    if request.GET.get("todo") == "1":
        targets = targets.filter(visit__isnull=True)
    can_manage = has_perm(request.user, MANAGE)
    q = (request.GET.get("q") or "").strip()[:40]
    context = {
        "plan": plan,
        "progress": selectors.plan_progress(request.user, plan),
        "today": timezone.localdate(),
        "can_manage": can_manage,
        "q": q,
        "found": selectors.plan_candidates(request.user, plan, q) if can_manage and q else [],
        **page_context(request, targets.order_by("district__code", "person__name_pinyin")),
    }
    return render(request, "casework/hardship/plan_detail.html", context)


@require_POST
@require_perm(MANAGE)
def plan_target_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person found by the search on the plan page (a person out of scope: 404)."""
    plan = get_visible_or_404(VisitPlan.objects.all(), request.user, pk=pk)
    person = get_visible_or_404(Person.objects.all(), request.user, pk=parse_id(request.POST.get("person", "")) or 0)
    act(
        request,
        lambda: services.add_plan_target(actor=signed_in(request), plan=plan, person=person),
        _("已将「%(name)s」加入计划") % {"name": person.name},
    )
    return redirect("casework:visit_plan_detail", pk=plan.pk)


@require_POST
@require_perm(MANAGE)
def plan_target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a person off a plan (the page asks first); another district's target: 404."""
    target = get_visible_or_404(PlanTarget.objects.select_related("person"), request.user, pk=pk)
    act(
        request,
        lambda: services.remove_plan_target(actor=signed_in(request), target=target),
        _("已将「%(name)s」移出计划") % {"name": target.person.name},
    )
    return redirect("casework:visit_plan_detail", pk=target.plan_id)


# ============================================================================ figures and settings


@require_perm(VIEW)
def figures(request: HttpRequest) -> HttpResponse:
    districts = selectors.districts_for(request.user)
    form = f.FiguresForm(request.GET or None, districts=districts)
    year = district = None
    if form.is_valid():
        year = form.cleaned_data.get("year")
        district = form.cleaned_data["district"].pk if form.cleaned_data.get("district") else None
    data = selectors.figures(request.user, year=year, district=district)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("区县(市)"),
            _("在档"),
            _("已销档"),
            _("帮扶人数"),
            _("帮扶人次"),
            _("帮扶金额(元)"),
            _("走访次数"),
        ]
        rows = [
            [r["name"], r["open"], r["closed"], r["help_people"], r["help_times"], r["help_yuan"], r["visits"]]
            for r in data["by_district"]
        ]
        return xlsx_response(
            write_xlsx(headers, rows, sheet_title=_("帮扶统计"), money_columns=[5]), "hardship-figures.xlsx"
        )
    chart = {
        "categories": [r["name"] for r in data["by_category"]],
        "open": [r["open"] for r in data["by_category"]],
        "closed": [r["closed"] for r in data["by_category"]],
        "occasions": data["by_occasion"],
    }
    return render(
        request,
        "casework/hardship/figures.html",
        {"form": form, "f": data, "chart": chart, "query": request.GET.urlencode()},
    )


@require_perm(SETTINGS)
def settings_page(request: HttpRequest) -> HttpResponse:
    districts = selectors.districts_for(request.user)
    actor = signed_in(request)
    term_form = f.TermForm(request.POST if request.POST.get("form") == "term" else None)
    line_form = f.PovertyLineForm(request.POST if request.POST.get("form") == "line" else None, districts=districts)
    config_form = f.ConfigForm(
        request.POST if request.POST.get("form") == "config" else None,
        initial={"cash_approval_above": HardshipConfig.current().cash_approval_above},
    )

    def action() -> None:
        which = request.POST.get("form")
        if which == "term" and term_form.is_valid():
            services.save_term(actor=actor, **term_form.cleaned_data)
        elif which == "line" and line_form.is_valid():
            services.save_poverty_line(actor=actor, **line_form.cleaned_data)
        elif which == "config" and config_form.is_valid():
            services.save_config(actor=actor, **config_form.cleaned_data)
        elif which == "toggle":
            pk = parse_id(request.POST.get("term", ""))
            term = HardshipTerm.objects.filter(pk=pk).first() if pk else None
            if term is None:
                raise DomainError(_("条目不存在"))
            services.toggle_term(actor=actor, term=term)
        else:
            raise DomainError(_("请检查填写的内容"))

    if request.method == "POST" and act(request, action, _("已保存")):
        return redirect("casework:hardship_settings")
    context = {
        "terms": HardshipTerm.objects.all(),
        "lines": PovertyLine.objects.select_related("district"),
        "term_form": term_form,
        "line_form": line_form,
        "config_form": config_form,
    }
    return render(request, "casework/hardship/settings.html", context)


def chart_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)
