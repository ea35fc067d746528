"""信访: staff pages (work lists, register, detail, accept, extend, close, export)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.models import PetitionCase, PetitionChannel, PetitionKind
from casework.petitions import forms, phone, selectors, services
from core.errors import DomainError
from core.masking import mask_mobile
from core.pages import act, form_error, page_context
from core.permissions import require_perm, signed_in
from core.scope import get_visible_or_404
from core.spreadsheets import write_xlsx, xlsx_response

T = "casework/petitions/"
VIEWS = [
    ("", _("全部")),
    ("open", _("未办结")),
    ("notice", _("待告知")),
    ("due_soon", _("即将到期")),
    ("overdue", _("已超期")),
]


def _filters(request: HttpRequest) -> dict[str, str]:
    view = request.GET.get("view", "")
    channel = request.GET.get("channel", "")
    return {
        "view": view if view in dict(VIEWS) else "",
        "channel": channel if channel in PetitionChannel.values else "",
        "q": (request.GET.get("q") or "").strip()[:50],
    }


@require_perm("casework.petitions_view")
def case_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    qs = selectors.work_list(signed_in(request), f["view"], f["q"], f["channel"])
    context = {"f": f, "views": VIEWS, "channels": PetitionChannel.choices, "today": timezone.localdate()}
    return render(request, T + "list.html", context | page_context(request, qs))


@require_perm("casework.petitions_view")
def case_export(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    qs = selectors.work_list(signed_in(request), f["view"], f["q"], f["channel"])[:10000]
    rows = [
        [
            c.number,
            c.get_channel_display(),
            c.name,
            mask_mobile(c.mobile),
            c.district.name,
            c.received_on,
            c.due,
            c.get_status_display(),
        ]
        for c in qs
    ]
    headers = [_("编号"), _("渠道"), _("信访人"), _("手机号"), _("区县(市)"), _("登记日期"), _("办理期限"), _("状态")]
    return xlsx_response(write_xlsx(headers, rows), "petitions.xlsx")


@require_perm("casework.petitions_handle")
def case_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = forms.CaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.register_case(
                actor=user,
                channel=d["channel"],
                kind=d["kind"],
                name=d["name"],
                matter=d["matter"],
                district=d["district"],
                mobile=d["mobile"] or "",
                id_number=d["id_number"],
                received_on=d["received_on"],
                handler=user,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            return redirect("casework:petitions_detail", pk=case.pk)
    return render(request, T + "form.html", {"form": form})


@require_perm("casework.petitions_view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible_or_404(
        PetitionCase.objects.select_related("district", "handler", "repeat_of"), signed_in(request), pk=pk
    )
    context = {
        "case": case,
        "mobile": mask_mobile(case.mobile),
        "repeats": case.repeats.all()[:20],
        "close_form": forms.CloseForm(),
        "extend_form": forms.ExtendForm(),
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
            lambda: services.extend_case(actor=user, case=case, days=d["days"], reason=d["reason"]),
            _("已延期"),
        )
    else:
        act(request, lambda: _raise(_("延期天数为 1 至 30 日，并须填写理由。")), "")
    return redirect("casework:petitions_detail", pk=pk)


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
            act(request, lambda: None, _("信访人不满意：可在 30 日内申请复查。"))
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
