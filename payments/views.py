"""Pages of 慰问金: thin — parse, fetch through the access functions, call a service, answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.jobs import job_url, start_job
from core.models import Region
from core.pages import act, form_error, message_error, page_context, submit
from core.params import parse_id
from core.permissions import has_perm, require_perm, signed_in
from core.scope import get_visible_or_404, regions_visible_to
from core.spreadsheets import xlsx_response
from payments import selectors, services
from payments.engine import compute_lines, summarise_lines
from payments.forms import (
    BankLayoutForm,
    BenefitKindForm,
    CorrectionForm,
    DecisionForm,
    ExcludeForm,
    ImportForm,
    NoteForm,
    PayoutFilterForm,
    ResultForm,
    RoundCreateForm,
    RuleForm,
    RuleSetCreateForm,
)
from payments.models import (
    BankLayout,
    BenefitKind,
    Correction,
    CorrectionStatus,
    Payout,
    PayoutRound,
    RoundStatus,
    RuleSet,
    RuleVersion,
)
from payments.services import BANK_FIELDS
from payments.tasks import draft_round_task, sign_sheets_task
from people.models import HonourTitle, Person, PersonStatus, TitleKind


def _need_city(request: HttpRequest) -> None:
    """Acts on a whole round are the association's; district staff act on their lines only."""
    if not selectors.sees_whole_city(request.user):
        raise PermissionDenied


def _round(request: HttpRequest, pk: int) -> PayoutRound:
    return get_object_or_404(selectors.rounds_for_user(request.user), pk=pk)


def _payout(request: HttpRequest, pk: int) -> Payout:
    return get_visible_or_404(Payout.objects.select_related("round", "person"), request.user, pk=pk)


# --- dashboard ----------------------------------------------------------------------------------


@require_perm("payments.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.rounds_for_user(request.user).exclude(status=RoundStatus.DRAFT))
    chosen = None
    if request.GET.get("round"):
        chosen = next((r for r in rounds if str(r.pk) == request.GET["round"]), None)
    chosen = chosen or (rounds[0] if rounds else None)
    figures = selectors.dashboard_figures(request.user, chosen)
    chart: dict[str, Any] = {}
    if figures:
        summary = figures["summary"]
        chart = {
            "districts": [r.district for r in summary.rows],
            "levels": summary.level_labels,
            "series": [
                {"name": label, "people": [r.people.get(lv, 0) for r in summary.rows]}
                for lv, label in zip(summary.levels, summary.level_labels, strict=True)
            ],
            "amounts": [float(r.total_amount) for r in summary.rows],  # chart heights only, never sums
            "trend": [
                {"title": t["title"], "total": float(t["total"] or 0)} for t in selectors.years_overview(request.user)
            ],
        }
    return render(
        request,
        "payments/dashboard.html",
        {
            "rounds": rounds,
            "chosen": chosen,
            "figures": figures,
            "chart": chart,
            "drafts": selectors.rounds_for_user(request.user).filter(status=RoundStatus.DRAFT),
        },
    )


# --- rules --------------------------------------------------------------------------------------


@require_perm("payments.view")
def rules(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "payments/rules.html",
        {
            "kinds": BenefitKind.objects.all(),
            "rule_sets": RuleSet.objects.select_related("kind").prefetch_related("versions"),
        },
    )


@require_perm("payments.rules")
def kind_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    kind = get_object_or_404(BenefitKind, pk=pk) if pk else None
    initial = (
        {f: getattr(kind, f) for f in ("code", "name", "description", "sort", "active")} if kind else {"active": True}
    )
    form = BenefitKindForm(request.POST or None, initial=initial)
    if submit(
        request,
        form,
        lambda: services.save_benefit_kind(actor=signed_in(request), kind=kind, **form.cleaned_data),
        _("操作成功"),
    ):
        return redirect("payments:rules")
    return render(
        request, "payments/form.html", {"form": form, "title": _("修改慰问类别") if kind else _("新增慰问类别")}
    )


@require_perm("payments.rules")
def ruleset_create(request: HttpRequest) -> HttpResponse:
    form = RuleSetCreateForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            rule_set = services.create_rule_set(
                actor=signed_in(request),
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                name=form.cleaned_data["name"],
                rules=form.rules(),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("操作成功"))
            return redirect("payments:ruleset_detail", pk=rule_set.pk)
    return render(request, "payments/rule_form.html", {"form": form, "title": _("新增发放规则")})


@require_perm("payments.rules")
def ruleset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet.objects.select_related("kind"), pk=pk)
    current = rule_set.current
    form = RuleForm(request.POST or None, initial=RuleForm.initial_from(current) if current else None)
    # Only the people the user may see are listed (and can be unticked); the others stay excluded.
    visible_kept = (
        Person.objects.visible_to(request.user).filter(pk__in=current.excluded_person_ids) if current else None
    )
    kept = list(visible_kept) if visible_kept is not None else []
    if request.method == "POST" and form.is_valid():
        rules = form.rules()
        # People excluded before stay excluded unless unticked on the page.
        keep_ids = {i for i in map(parse_id, request.POST.getlist("keep_excluded")) if i}
        shown = {p.pk for p in kept}
        unseen = set(current.excluded_person_ids if current else []) - shown
        rules["excluded_person_ids"] = sorted(set(rules["excluded_person_ids"]) | (keep_ids & shown) | unseen)
        try:
            services.save_rule_version(
                actor=signed_in(request), rule_set=rule_set, rules=rules, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存为新版本"))
            return redirect("payments:ruleset_detail", pk=rule_set.pk)
    return render(
        request,
        "payments/rule_form.html",
        {"form": form, "title": _("修改规则（保存为新版本）"), "rule_set": rule_set, "kept": kept},
    )


@require_perm("payments.view")
def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet.objects.select_related("kind"), pk=pk)
    versions = list(rule_set.versions.select_related("created_by").order_by("-number"))
    titles = {t.pk: t.name for t in HonourTitle.objects.all()}
    version = versions[0] if versions else None
    if request.GET.get("v"):
        version = next((v for v in versions if str(v.number) == request.GET["v"]), version)
    # The exclusion list goes through the scope rule: district staff see their district's people only.
    excluded_people = (
        Person.objects.visible_to(request.user).filter(pk__in=version.excluded_person_ids) if version else []
    )
    return render(
        request,
        "payments/ruleset_detail.html",
        {
            "rule_set": rule_set,
            "versions": versions,
            "version": version,
            "excluded_titles": [titles.get(i, i) for i in (version.excluded_title_ids if version else [])],
            "excluded_people": excluded_people,
            "status_labels": [str(PersonStatus(s).label) for s in (version.statuses if version else [])],
            "kind_labels": [str(TitleKind(k).label) for k in (version.title_kinds if version else [])],
            "rounds": PayoutRound.objects.filter(rule_version__rule_set=rule_set).select_related("rule_version"),
        },
    )


@require_perm("payments.rules")
def rule_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """With these rules: this many people, this total, by district and level (nothing is saved)."""
    rule_set = get_object_or_404(RuleSet.objects.select_related("kind"), pk=pk)
    wanted = request.GET.get("v", "")
    version = (
        get_object_or_404(RuleVersion, rule_set=rule_set, number=parse_id(wanted))
        if parse_id(wanted)
        else rule_set.current
    )
    if version is None:
        raise Http404
    day = timezone.localdate()
    lines = compute_lines(version, reference_date=day)
    names = dict(Region.objects.filter(pk__in={ln.district_id for ln in lines}).values_list("pk", "name"))
    preview = summarise_lines(lines, names)
    return render(
        request,
        "payments/preview.html",
        {"rule_set": rule_set, "version": version, "preview": preview, "day": day, "sample": lines[:20]},
    )


@require_perm("payments.rules")
def layouts(request: HttpRequest) -> HttpResponse:

    return render(request, "payments/layouts.html", {"layouts": BankLayout.objects.all(), "fields": BANK_FIELDS})


@require_perm("payments.rules")
def layout_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    layout = get_object_or_404(BankLayout, pk=pk) if pk else None
    initial = {f: getattr(layout, f) for f in ("name", "bank_name", "sheet_title", "is_default")} if layout else {}
    form = BankLayoutForm(request.POST or None, initial=initial, layout=layout)
    if submit(
        request,
        form,
        lambda: services.save_bank_layout(
            actor=signed_in(request),
            layout=layout,
            name=form.cleaned_data["name"],
            bank_name=form.cleaned_data["bank_name"],
            sheet_title=form.cleaned_data["sheet_title"],
            is_default=form.cleaned_data["is_default"],
            columns=form.columns(),
        ),
        _("操作成功"),
    ):
        return redirect("payments:layouts")
    return render(request, "payments/layout_form.html", {"form": form, "layout": layout})


# --- rounds -------------------------------------------------------------------------------------


@require_perm("payments.view")
def round_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.rounds_for_user(request.user)
    status = request.GET.get("status", "")
    if status in RoundStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("q"):
        qs = qs.filter(title__contains=request.GET["q"])
    ctx = page_context(request, qs)
    ctx["totals"] = selectors.totals_by_round(request.user, [r.pk for r in ctx["page"].object_list])
    ctx["statuses"] = RoundStatus.choices
    ctx["whole_city"] = selectors.sees_whole_city(request.user)
    return render(request, "payments/round_list.html", ctx)


@require_perm("payments.manage")
def round_create(request: HttpRequest) -> HttpResponse:
    _need_city(request)
    form = RoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        job = start_job(
            actor=signed_in(request),
            kind="payments.draft_round",
            title=_("生成发放名单：%(name)s") % {"name": d["title"] or d["rule_set"].name},
            task=draft_round_task,
            params={
                "rule_set": d["rule_set"].pk,
                "title": d["title"],
                "reference_date": d["reference_date"].isoformat(),
            },
        )
        return redirect(job_url(job))
    return render(
        request, "payments/form.html", {"form": form, "title": _("新建发放批次"), "back": "payments:round_list"}
    )


@require_perm("payments.view")
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    districts = selectors.districts_in_round(round_, request.user)
    filters = PayoutFilterForm(request.GET or None, districts=districts)
    f = selectors.PayoutFilters()
    if filters.is_valid():
        f = selectors.PayoutFilters(**{k: v for k, v in filters.cleaned_data.items() if v not in (None, "")})
    qs = selectors.filter_payouts(
        selectors.payouts_for(request.user, round_).select_related("person", "district"), f
    ).order_by("district__sort", "district__code", "person__name_pinyin", "id")
    ctx = page_context(request, qs)
    user = request.user
    ctx.update(
        {
            "round": round_,
            "filters": filters,
            "totals": selectors.round_totals(round_, user),
            "districts": districts,
            "whole_city": selectors.sees_whole_city(user),
            "exclude_form": ExcludeForm(),
            "result_form": ResultForm(),
            "pending_corrections": selectors.corrections_for(user, round_).filter(status=CorrectionStatus.PENDING),
            "layouts": BankLayout.objects.all(),
            "can_approve": has_perm(user, "payments.approve") and round_.created_by_id != user.pk,
            "reissuable": selectors.reissuable(round_).count(),
            "progress": selectors.district_progress(round_, user) if round_.is_draft else [],
            "missing_bank": list(selectors.missing_bank_details(round_, user)[:50]),
            "missing_bank_count": selectors.missing_bank_details(round_, user).count(),
        }
    )
    ctx["unreported"] = [p.district.name for p in ctx["progress"] if p.report is None]
    return render(request, "payments/round_detail.html", ctx)


def _back(round_: PayoutRound, request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith(reverse("payments:round_detail", kwargs={"pk": round_.pk})):
        return redirect(target)
    return redirect("payments:round_detail", pk=round_.pk)


def _round_act(
    request: HttpRequest,
    pk: int,
    do: Callable[[Any, PayoutRound], object],
    success: str,
    *,
    whole_city: bool = True,
) -> HttpResponse:
    """A button on a round: the round in the user's scope (acts on a whole round: the association
    only), ``do(actor, round)`` with its success or refusal said, back to the round's page."""
    if whole_city:
        _need_city(request)
    round_ = _round(request, pk)
    act(request, lambda: do(signed_in(request), round_), success)
    return _back(round_, request)


@require_POST
@require_perm("payments.approve")
def round_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_act(
        request, pk, lambda actor, r: services.approve_round(actor=actor, round_=r), _("批次已批准，名单已冻结")
    )


def _district_act(
    request: HttpRequest, pk: int, district: int, service: Callable[..., object], said: str
) -> HttpResponse:
    """A district's act on a round (``said`` names the district as %(district)s); another district: 404."""
    region = get_object_or_404(regions_visible_to(request.user), pk=district)
    return _round_act(
        request,
        pk,
        lambda actor, r: service(actor=actor, round_=r, district=region),
        said % {"district": region.name},
        whole_city=False,
    )


@require_POST
@require_perm("payments.review")
def round_report(request: HttpRequest, pk: int, district: int) -> HttpResponse:
    """区县确认上报: the district's staff confirm their district's lines."""
    return _district_act(request, pk, district, services.report_district, _("“%(district)s”已确认上报"))


@require_POST
@require_perm("payments.review")
def round_unreport(request: HttpRequest, pk: int, district: int) -> HttpResponse:
    return _district_act(request, pk, district, services.withdraw_district_report, _("已撤回“%(district)s”的上报"))


@require_POST
@require_perm("payments.approve")
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_act(request, pk, lambda actor, r: services.close_round(actor=actor, round_=r), _("批次已结清"))


@require_POST
@require_perm("payments.manage")
def round_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    _need_city(request)
    round_ = _round(request, pk)
    made: list[PayoutRound] = []

    def action() -> None:
        made.append(services.create_follow_up_round(actor=signed_in(request), round_=round_))

    if act(request, action, _("已生成补发批次，请审核后批准")):
        return redirect("payments:round_detail", pk=made[0].pk)
    return _back(round_, request)


@require_POST
@require_perm("payments.review")
def payout_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    payout = _payout(request, pk)
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择剔除原因"))
        return _back(payout.round, request)
    act(
        request,
        lambda: services.exclude_payout(actor=signed_in(request), payout=payout, **form.cleaned_data),
        _("已剔除“%(name)s”") % {"name": payout.person.name},
    )
    return _back(payout.round, request)


@require_POST
@require_perm("payments.review")
def payout_restore(request: HttpRequest, pk: int) -> HttpResponse:
    payout = _payout(request, pk)
    act(
        request,
        lambda: services.restore_payout(actor=signed_in(request), payout=payout),
        _("已恢复“%(name)s”") % {"name": payout.person.name},
    )
    return _back(payout.round, request)


@require_POST
@require_perm("payments.review")
def payout_note(request: HttpRequest, pk: int) -> HttpResponse:
    payout = _payout(request, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    act(
        request,
        lambda: services.note_payout(actor=signed_in(request), payout=payout, note=form.cleaned_data.get("note", "")),
        _("操作成功"),
    )
    return _back(payout.round, request)


@require_POST
@require_perm("payments.manage")
def payout_result(request: HttpRequest, pk: int) -> HttpResponse:
    payout = _payout(request, pk)
    form = ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择发放结果"))
        return _back(payout.round, request)
    act(
        request,
        lambda: services.mark_result(actor=signed_in(request), payout=payout, **form.cleaned_data),
        _("已登记“%(name)s”的发放结果") % {"name": payout.person.name},
    )
    return _back(payout.round, request)


@require_perm("payments.view")
def round_changes(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    ctx = page_context(request, selectors.changes_for(request.user, round_), default_size=50)
    ctx.update({"round": round_, "corrections": selectors.corrections_for(request.user, round_)})
    ctx["decision_form"] = DecisionForm()
    return render(request, "payments/changes.html", ctx)


@require_perm("payments.manage")
def correction_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    payout = None
    if request.GET.get("payout") or request.POST.get("payout"):
        payout_id = parse_id(request.GET.get("payout") or request.POST.get("payout"))
        if payout_id is None:
            raise Http404
        payout = _payout(request, payout_id)
        if payout.round_id != round_.pk:
            raise Http404
    form = CorrectionForm(request.POST or None, initial={"kind": "amount" if payout else "add"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = d["person"]
        if person is not None:
            # Adding someone outside one's own districts is not a district's correction to make.
            get_visible_or_404(Person.objects.all(), request.user, pk=person.pk)
        try:
            services.request_correction(
                actor=signed_in(request),
                round_=round_,
                kind=d["kind"],
                reason=d["reason"],
                payout=payout,
                person=person,
                new_amount=d["new_amount"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("更正申请已提交，待他人审批后生效"))
            return redirect("payments:round_changes", pk=round_.pk)
    return render(request, "payments/correction_form.html", {"form": form, "round": round_, "payout": payout})


@require_POST
@require_perm("payments.approve")
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_visible_or_404(Correction.objects.select_related("round"), request.user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或驳回"))
    else:
        try:
            services.decide_correction(
                actor=signed_in(request),
                correction=correction,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            message_error(request, exc)
        else:
            messages.success(request, _("操作成功"))
    return redirect("payments:round_changes", pk=correction.round_id)


@require_POST
@require_perm("payments.bank_export")
def round_bank_file(request: HttpRequest, pk: int) -> HttpResponse:
    _need_city(request)
    round_ = _round(request, pk)
    layout_id = request.POST.get("layout", "")
    layout = (
        get_object_or_404(BankLayout, pk=layout_id)
        if parse_id(layout_id)
        else BankLayout.objects.filter(is_default=True).first() or BankLayout.objects.first()
    )
    if layout is None:
        messages.error(request, _("请先设置银行代发格式"))
        return redirect("payments:layouts")
    try:
        content = services.export_bank_file(
            actor=signed_in(request), round_=round_, layout=layout, again=request.POST.get("again") == "1"
        )
    except DomainError as exc:
        message_error(request, exc)
        return redirect("payments:round_detail", pk=round_.pk)
    round_.refresh_from_db(fields=["bank_exports"])
    # The name says what the file holds (only the lines still to be paid) and which download it is.
    return xlsx_response(content, f"{round_.title}-银行代发-仅待发放-第{round_.bank_exports}次导出-{layout.name}.xlsx")


@require_perm("payments.view")
def round_sign_sheet(request: HttpRequest, pk: int, district: int) -> HttpResponse:
    round_ = _round(request, pk)
    region = get_object_or_404(regions_visible_to(request.user), pk=district)
    try:
        content = services.export_sign_sheet(actor=signed_in(request), round_=round_, district=region)
    except DomainError as exc:
        message_error(request, exc)
        return redirect("payments:round_detail", pk=round_.pk)
    response = HttpResponse(content, content_type="application/pdf")

    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(f'{round_.title}-{region.name}-签收单.pdf')}"
    return response


@require_POST
@require_perm("payments.view")
def round_sign_sheets(request: HttpRequest, pk: int) -> HttpResponse:
    """Every district's sheet in one PDF, built in the background with progress."""
    round_ = _round(request, pk)
    if round_.status == RoundStatus.DRAFT:
        messages.error(request, _("批次批准后才能打印签收单"))
        return redirect("payments:round_detail", pk=round_.pk)
    job = start_job(
        actor=signed_in(request),
        kind="payments.sign_sheets",
        title=_("生成签收单：%(name)s") % {"name": round_.title},
        task=sign_sheets_task,
        params={"round": round_.pk},
    )
    return redirect(job_url(job))


@require_perm("payments.view")
def round_summary(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    paid_only = request.GET.get("basis") == "paid"
    summary = selectors.round_summary(round_, request.user, paid_only=paid_only)
    return render(
        request,
        "payments/summary.html",
        {
            "round": round_,
            "summary": summary,
            "paid_only": paid_only,
            "totals": selectors.round_totals(round_, request.user),
        },
    )


@require_perm("payments.view")
def round_summary_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    paid_only = request.GET.get("basis") == "paid"
    content = services.export_summary(actor=signed_in(request), round_=round_, paid_only=paid_only)
    return xlsx_response(content, f"{round_.title}-{'已发放' if paid_only else ''}汇总.xlsx")


@require_perm("payments.manage")
def round_import(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.import_results(
                actor=signed_in(request),
                round_=round_,
                data=upload.read(),
                filename=upload.name,
                visible=selectors.payouts_for(request.user, round_),
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request, _("导入完成：更新 %(u)d 条，未变 %(n)d 条") % {"u": report.updated, "n": report.unchanged}
            )
    return render(request, "payments/import.html", {"form": form, "round": round_, "report": report})
