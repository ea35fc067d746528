"""信访: staff pages (work lists, register, detail, accept, extension request and decision, close,
复查/复核, transfer, export, settings: deadline rules and categories)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.models import DeadlineRule, PetitionCase, PetitionCategory, PetitionChannel, PetitionKind
from casework.petitions import forms, phone, selectors, services
from core.errors import DomainError
from core.masking import mask_mobile
from core.pages import act, message_error, page_context, submit
from core.params import parse_id
from core.permissions import has_perm, require_perm, signed_in
from core.scope import get_visible_or_404
from core.spreadsheets import write_xlsx, xlsx_response
from people.selectors import person_by_number_or_name

T = "casework/petitions/"
VIEWS = [
    ("", _("全部")),
    ("open", _("未办结")),
    ("notice", _("待告知")),
    ("due_soon", _("即将到期")),
    ("overdue", _("已超期")),
    ("extension", _("延期待审批")),
]


def _filters(request: HttpRequest) -> dict[str, str]:
    view = request.GET.get("view", "")
    channel = request.GET.get("channel", "")
    return {
        "view": view if view in dict(VIEWS) else "",
        "channel": channel if channel in PetitionChannel.values else "",
        "q": (request.GET.get("q") or "").strip()[:50],
        "category": str(parse_id(request.GET.get("category", "")) or ""),
    }


@require_perm("casework.petitions_view")
def case_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    qs = selectors.work_list(signed_in(request), f["view"], f["q"], f["channel"], category=f["category"])
    context = {
        "f": f,
        "views": VIEWS,
        "channels": PetitionChannel.choices,
        "categories": PetitionCategory.objects.all(),
        "today": timezone.localdate(),
        "calendar_warning": selectors.calendar_warning(timezone.localdate()),
    }
    return render(request, T + "list.html", context | page_context(request, qs))


@require_perm("casework.petitions_view")
def case_export(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    qs = selectors.work_list(signed_in(request), f["view"], f["q"], f["channel"], category=f["category"])
    rows = [
        [
            c.number,
            c.get_channel_display(),
            c.category.name if c.category else "",
            c.name,
            mask_mobile(c.mobile),
            c.district.name,
            c.received_on,
            c.due,
            c.get_status_display(),
        ]
        for c in qs.select_related("category")[:10000]
    ]
    headers = [
        _("编号"),
        _("渠道"),
        _("分类"),
        _("信访人"),
        _("手机号"),
        _("区县(市)"),
        _("登记日期"),
        _("办理期限"),
        _("状态"),
    ]
    return xlsx_response(write_xlsx(headers, rows), "petitions.xlsx")


@require_perm("casework.petitions_handle")
def case_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = forms.CaseForm(request.POST or None, user=user)
    done: dict[str, PetitionCase] = {}

    def register() -> PetitionCase:
        d = form.cleaned_data
        person = person_by_number_or_name(user, d["person"]) if d["person"] else None
        done["case"] = services.register_case(
            actor=user,
            channel=d["channel"],
            kind=d["kind"],
            category=d["category"],
            name=d["name"] or (person.name if person else ""),
            matter=d["matter"],
            district=d["district"],
            mobile=d["mobile"] or (person.mobile if person else "") or "",
            id_number=d["id_number"],
            received_on=d["received_on"],
            handler=user,
            person=person,
        )
        return done["case"]

    if submit(request, form, register, lambda case: _("已登记信访件 %(n)s。") % {"n": case.number}):
        return redirect("casework:petitions_detail", pk=done["case"].pk)
    return render(request, T + "form.html", {"form": form})


@require_perm("casework.petitions_view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = get_visible_or_404(
        PetitionCase.objects.select_related("district", "handler", "repeat_of", "category"), user, pk=pk
    )
    extension = selectors.extension_of(case)
    context = {
        "case": case,
        "mobile": mask_mobile(case.mobile),
        "repeats": case.repeats.all()[:20],
        "close_form": forms.CloseForm(auto_id="close-%s"),
        "extend_form": forms.ExtendForm(auto_id="extend-%s"),
        "extension": extension,
        "can_decide": extension is not None
        and extension.status == "pending"
        and extension.requested_by_id != user.pk
        and has_perm(user, "casework.petitions_approve"),
        "decide_form": forms.DecideExtensionForm(auto_id="decide-%s"),
        "extension_rule": services.rule("extension"),
        "chain": services.review_chain(case) if case.review_of_id or case.reviews.exists() else [],
        "review_window": selectors.review_window_or_none(case),
        "review_form": forms.ReviewForm(auto_id="review-%s", initial={"requested_on": timezone.localdate()}),
        "transfers": case.transfers.select_related("from_district", "from_handler", "to_district", "to_handler", "by"),
        "transfer_form": forms.TransferForm(
            user=user,
            handlers=selectors.transfer_handlers(user),
            initial={"district": case.district_id},
            auto_id="transfer-%s",
        ),
        "today": timezone.localdate(),
    }
    context |= phone.detail_context(request.user, case)
    return render(request, T + "detail.html", context)


@require_POST
@require_perm("casework.petitions_handle")
def case_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = get_visible_or_404(PetitionCase.objects.all(), user, pk=pk)
    act(request, lambda: services.accept_case(actor=user, case=case), _("已告知受理"))
    return redirect("casework:petitions_detail", pk=pk)


@require_POST
@require_perm("casework.petitions_handle")
def case_extend(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = get_visible_or_404(PetitionCase.objects.all(), user, pk=pk)
    form = forms.ExtendForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        act(
            request,
            lambda: services.request_extension(actor=user, case=case, days=d["days"], reason=d["reason"]),
            _("已提交延期申请，等待审批"),
        )
    else:
        act(request, lambda: _raise(_("请填写延期天数和理由。")), "")
    return redirect("casework:petitions_detail", pk=pk)


@require_POST
@require_perm("casework.petitions_approve")
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """批准 / 不予批准 a pending extension request (not one's own)."""
    user = signed_in(request)
    case = get_visible_or_404(PetitionCase.objects.all(), user, pk=pk)
    form = forms.DecideExtensionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        approve = d["decision"] == "approve"
        act(
            request,
            lambda: services.decide_extension(actor=user, case=case, approve=approve, note=d["note"]),
            _("已批准延期") if approve else _("已不予批准延期"),
        )
    else:
        act(request, lambda: _raise(_("请选择批准或不予批准。")), "")
    return redirect("casework:petitions_detail", pk=pk)


@require_POST
@require_perm("casework.petitions_handle")
def case_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the petitioner's request for 复查 (or 复核): a new linked case."""
    user = signed_in(request)
    case = get_visible_or_404(PetitionCase.objects.all(), user, pk=pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        act(request, lambda: _raise(_("申请日期不正确。")), "")
        return redirect("casework:petitions_detail", pk=pk)
    d = form.cleaned_data
    try:
        review = services.request_review(actor=user, case=case, requested_on=d["requested_on"], matter=d["matter"])
    except DomainError as exc:
        message_error(request, exc)
        return redirect("casework:petitions_detail", pk=pk)
    messages.success(request, _("已登记%(stage)s申请") % {"stage": review.get_stage_display()})
    return redirect("casework:petitions_detail", pk=review.pk)


@require_POST
@require_perm("casework.petitions_handle")
def case_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """交办/转办 to a district and a handler, kept in the case's history."""
    user = signed_in(request)
    case = get_visible_or_404(PetitionCase.objects.all(), user, pk=pk)
    form = forms.TransferForm(request.POST, user=user, handlers=selectors.transfer_handlers(user))
    if form.is_valid():
        d = form.cleaned_data
        act(
            request,
            lambda: services.transfer_case(
                actor=user, case=case, district=d["district"], handler=d["handler"], reason=d["reason"]
            ),
            _("已转办"),
        )
    else:
        act(request, lambda: _raise(_("请选择区县(市)和承办人，并填写转办理由。")), "")
    if not PetitionCase.objects.visible_to(user).filter(pk=pk).exists():
        return redirect("casework:petitions_list")
    return redirect("casework:petitions_detail", pk=pk)


@require_perm("casework.petitions_settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    """信访设置: the deadline rules (new cases only) and the category dictionary."""
    actor = signed_in(request)
    which = request.POST.get("form") if request.method == "POST" else None
    rule_form = forms.RuleForm(request.POST if which == "rule" else None)
    category_form = forms.CategoryForm(request.POST if which == "category" else None)
    if request.method == "POST":
        try:
            if which == "rule" and rule_form.is_valid():
                services.save_rule(actor=actor, **rule_form.cleaned_data)
            elif which == "category" and category_form.is_valid():
                services.save_category(actor=actor, **category_form.cleaned_data)
            elif which == "toggle":
                cid = parse_id(request.POST.get("category", ""))
                category = PetitionCategory.objects.filter(pk=cid).first() if cid else None
                if category is None:
                    raise DomainError(_("分类不存在。"))
                services.toggle_category(actor=actor, category=category)
            else:
                raise DomainError(_("请检查填写的内容。"))
        except DomainError as exc:
            message_error(request, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("casework:petitions_settings")
    rules = {r.key: r for r in DeadlineRule.objects.all()}
    context = {
        "rules": [rules.get(key) or services.rule(key) for key in services.DEFAULT_DEADLINES],
        "categories": PetitionCategory.objects.all(),
        "rule_form": rule_form,
        "category_form": category_form,
    }
    return render(request, T + "settings.html", context)


@require_POST
@require_perm("casework.petitions_handle")
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = get_visible_or_404(PetitionCase.objects.all(), user, pk=pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        done = act(
            request,
            lambda: services.close_case(actor=user, case=case, answer=d["answer"], satisfaction=d["satisfaction"]),
            _("已办结"),
        )
        if done and d["satisfaction"] == "unsatisfied":
            days = services.rule("review_request").days
            act(request, lambda: None, _("信访人不满意：可在 %(n)s 日内申请复查。") % {"n": days})
    else:
        act(request, lambda: _raise(_("请填写答复意见。")), "")
    return redirect("casework:petitions_detail", pk=pk)


def _raise(message: str) -> None:
    raise DomainError(message)


@require_perm("casework.petitions_view")
def figures(request: HttpRequest) -> HttpResponse:
    """信访统计: received per month and district by channel and type, on-time rates, satisfaction."""
    user = signed_in(request)
    form = forms.FiguresForm(request.GET or None, districts=selectors.districts_for(user))
    year = district = None
    if form.is_valid():
        year = form.cleaned_data.get("year")
        district = form.cleaned_data["district"].pk if form.cleaned_data.get("district") else None
    data = selectors.figures(user, year=year, district=district)
    channels, kinds = PetitionChannel.choices, PetitionKind.choices
    headers = [_("区县(市)"), _("合计"), *[str(label) for _k, label in channels], *[str(label) for _k, label in kinds]]
    rows = [[r["name"], r["total"], *[r[k] for k, _l in [*channels, *kinds]]] for r in data["by_district"]]
    if rows:
        rows.append(
            [_("合计"), data["total"], *[sum(r[k] for r in data["by_district"]) for k, _l in [*channels, *kinds]]]
        )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(write_xlsx(headers, rows, sheet_title=_("信访统计")), "petitions-figures.xlsx")
    chart = {
        "periods": [m["period"] for m in data["by_period"]],
        "channels": [{"name": str(label), "data": [m[k] for m in data["by_period"]]} for k, label in channels],
        "satisfaction": [{"name": s["name"], "value": s["n"]} for s in data["satisfaction"]],
    }
    context = {
        "form": form,
        "f": data,
        "chart": chart,
        "year": year,
        "headers": headers,
        "rows": rows,
        "query": request.GET.urlencode(),
    }
    return render(request, T + "figures.html", context)
