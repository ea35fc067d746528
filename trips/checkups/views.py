"""trips.checkups: staff pages (campaigns, slots, due list, bookings, attendance, coverage,
catalogues) and the phone page 我的体检."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import act, page_context, submit
from core.params import parse_id
from core.permissions import has_perm, require_perm, signed_in
from core.scope import get_visible_or_404
from core.spreadsheets import write_xlsx, xlsx_response
from people.models import Person, PersonStatus
from trips.checkups import forms, reports, selectors, services
from trips.models.checkups import (
    BookingStatus,
    CheckupBooking,
    CheckupCampaign,
    CheckupPackage,
    CheckupRule,
    CheckupSlot,
    Hospital,
)

VIEW = "trips.checkups_view"
BOOK = "trips.checkups_book"
MANAGE = "trips.checkups_manage"
HEALTH = "trips.checkups_health"


def _campaign(pk: int) -> CheckupCampaign:
    return get_object_or_404(CheckupCampaign, pk=pk)


def _booking(request: HttpRequest, pk: int) -> CheckupBooking:
    return get_visible_or_404(
        CheckupBooking.objects.select_related("person", "campaign", "slot", "slot__hospital", "district", "package"),
        request.user,
        pk=pk,
    )


# --- campaigns and slots ------------------------------------------------------------------------


@require_perm(VIEW)
def campaigns(request: HttpRequest) -> HttpResponse:
    rows = CheckupCampaign.objects.all()
    current = selectors.current_campaign()
    return render(request, "trips/checkups/campaigns.html", {"rows": rows, "current": current})


@require_perm(MANAGE)
def campaign_create(request: HttpRequest) -> HttpResponseBase:
    form = forms.CampaignForm(request.POST or None)
    done: dict[str, CheckupCampaign] = {}

    def save() -> None:
        done["c"] = services.save_campaign(actor=signed_in(request), **form.cleaned_data)

    if submit(request, form, save, _("操作成功")):
        return redirect("trips:checkups_campaign", pk=done["c"].pk)
    return render(request, "trips/checkups/form.html", {"form": form, "title": _("新增体检计划")})


@require_perm(MANAGE)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    c = _campaign(pk)
    title = _("修改体检计划“%(title)s”") % {"title": c.title}
    form = forms.CampaignForm(request.POST or None, instance=c)
    if submit(
        request,
        form,
        lambda: services.save_campaign(actor=signed_in(request), campaign=c, **form.cleaned_data),
        _("操作成功"),
    ):
        return redirect("trips:checkups_campaign", pk=pk)
    return render(request, "trips/checkups/form.html", {"form": form, "title": title})


@require_POST
@require_perm(MANAGE)
def campaign_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    c = _campaign(pk)
    if act(request, lambda: services.delete_campaign(actor=signed_in(request), campaign=c), _("已删除")):
        return redirect("trips:checkups_campaigns")
    return redirect("trips:checkups_campaign", pk=pk)


@require_perm(VIEW)
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    c = _campaign(pk)
    slots = c.slots.select_related("hospital").order_by("date", "start", "hospital__name")
    ctx: dict[str, Any] = {"campaign": c, "slot_form": forms.SlotForm(), "has_bookings": c.bookings.exists()}
    ctx |= page_context(request, slots, default_size=50)
    return render(request, "trips/checkups/campaign.html", ctx)


@require_POST
@require_perm(MANAGE)
def slot_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    c = _campaign(pk)
    form = forms.SlotForm(request.POST)
    if form.is_valid():
        act(
            request, lambda: services.add_slot(actor=signed_in(request), campaign=c, **form.cleaned_data), _("操作成功")
        )
    else:
        messages.error(
            request, _("请填写完整的时段：") + "；".join(str(e) for errs in form.errors.values() for e in errs)
        )
    return redirect("trips:checkups_campaign", pk=c.pk)


def _slot(pk: int) -> CheckupSlot:
    return get_object_or_404(CheckupSlot.objects.select_related("campaign", "hospital"), pk=pk)


@require_perm(MANAGE)
def slot_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Where, when and how many; once people have booked, only how many (never below the booked)."""
    slot = _slot(pk)
    actor = signed_in(request)
    form: forms.SlotForm | forms.SlotCapacityForm
    if slot.taken:
        form = forms.SlotCapacityForm(request.POST or None, initial={"capacity": slot.capacity})
        save = lambda: services.set_slot_capacity(actor=actor, slot=slot, **form.cleaned_data)  # noqa: E731
    else:
        form = forms.SlotForm(request.POST or None, slot=slot)
        save = lambda: services.update_slot(actor=actor, slot=slot, **form.cleaned_data)  # noqa: E731
    if submit(request, form, save, _("操作成功")):
        return redirect("trips:checkups_campaign", pk=slot.campaign_id)
    return render(
        request,
        "trips/checkups/slot_edit.html",
        {"slot": slot, "campaign": slot.campaign, "form": form, "bookings": slot.bookings.count()},
    )


@require_POST
@require_perm(MANAGE)
def slot_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    slot = _slot(pk)
    act(request, lambda: services.delete_slot(actor=signed_in(request), slot=slot), _("已删除"))
    return redirect("trips:checkups_campaign", pk=slot.campaign_id)


# --- who is due ----------------------------------------------------------------------------------


def _due_query(request: HttpRequest, c: CheckupCampaign) -> tuple[forms.DueFilterForm, Any]:
    form = forms.DueFilterForm(request.GET or None, districts=selectors.districts_for(request.user))
    f = selectors.DueFilters()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.DueFilters(
            district=d["district"], status=d["status"], unbooked=d["unbooked"], name=d["name"].strip()
        )
    return form, selectors.due_list(request.user, c, f)


@require_perm(VIEW)
def due(request: HttpRequest, pk: int) -> HttpResponse:
    c = _campaign(pk)
    form, qs = _due_query(request, c)
    ctx = page_context(request, qs.select_related("person", "district"))
    ctx["page"].object_list = selectors.due_page_rows(list(ctx["page"].object_list), c)
    ctx |= {"campaign": c, "form": form, "query": request.GET.urlencode()}
    return render(request, "trips/checkups/due.html", ctx)


@require_perm(VIEW)
def due_export(request: HttpRequest, pk: int) -> HttpResponse:
    c = _campaign(pk)
    _form, qs = _due_query(request, c)
    booked = dict(CheckupBooking.objects.visible_to(request.user).filter(campaign=c).values_list("person_id", "status"))
    labels = dict(BookingStatus.choices)
    rows = (
        [
            p.person.name,
            p.district.name,
            p.person.get_status_display(),
            p.last_year or "",
            str(labels.get(booked.get(p.person_id, ""), _("未预约"))),
        ]
        for p in qs.select_related("person", "district").iterator(chunk_size=2000)
    )
    content = write_xlsx(
        [_("姓名"), _("区县(市)"), _("状态"), _("上次体检年度"), _("预约情况")],
        rows,
        title=_("%(year)s年度应检名单") % {"year": c.year},
    )
    return xlsx_response(content, f"{c.year}年度应检名单.xlsx")


@require_perm(BOOK)
def book_for(request: HttpRequest, pk: int, person_pk: int) -> HttpResponseBase:
    c = _campaign(pk)
    person = get_visible_or_404(Person.objects.select_related("district"), request.user, pk=person_pk)
    slots = selectors.open_slots(c)
    form = forms.SlotChoiceForm(request.POST or None, slots=slots)
    existing = selectors.my_booking(person, c)
    done: dict[str, CheckupBooking] = {}

    def book() -> None:
        done["b"] = services.book_slot(actor=signed_in(request), person=person, slot=form.cleaned_data["slot"])

    if submit(request, form, book, _("已为 %(name)s 预约") % {"name": person.name}):
        return redirect("trips:checkups_booking", pk=done["b"].pk)
    return render(
        request,
        "trips/checkups/book_for.html",
        {
            "campaign": c,
            "person": person,
            "form": form,
            "existing": existing,
            "package": services.package_for(person, c.starts),
        },
    )


# --- bookings ------------------------------------------------------------------------------------


def _booking_query(request: HttpRequest, c: CheckupCampaign) -> tuple[forms.BookingFilterForm, Any]:
    form = forms.BookingFilterForm(request.GET or None, districts=selectors.districts_for(request.user))
    f = selectors.BookingFilters()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.BookingFilters(
            district=d["district"], date=d["date"], status=d["status"], result=d["result"], name=d["name"].strip()
        )
    slot_id = parse_id(request.GET.get("slot"))
    if slot_id:
        f.slot = c.slots.filter(pk=slot_id).first()
    return form, selectors.bookings_for(request.user, c, f)


@require_perm(VIEW)
def bookings(request: HttpRequest, pk: int) -> HttpResponse:
    c = _campaign(pk)
    form, qs = _booking_query(request, c)
    ctx = page_context(request, qs)
    ctx |= {"campaign": c, "form": form, "query": request.GET.urlencode()}
    return render(request, "trips/checkups/bookings.html", ctx)


@require_perm(VIEW)
def bookings_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The booking list: the result is the summary flag only; the report is never exported."""
    c = _campaign(pk)
    _form, qs = _booking_query(request, c)
    rows = (
        [
            b.person.name,
            b.district.name,
            b.slot.hospital.name,
            f"{b.slot.date:%Y-%m-%d}",
            f"{b.slot.start:%H:%M}-{b.slot.end:%H:%M}",
            b.package.name if b.package else "",
            b.get_status_display(),
            b.get_result_display() if b.result else "",
        ]
        for b in qs.iterator(chunk_size=2000)
    )
    content = write_xlsx(
        [_("姓名"), _("区县(市)"), _("医院"), _("日期"), _("时段"), _("套餐"), _("状态"), _("结果")],
        rows,
        title=_("%(year)s年度体检预约") % {"year": c.year},
    )
    return xlsx_response(content, f"{c.year}年度体检预约.xlsx")


@require_perm(VIEW)
def booking(request: HttpRequest, pk: int) -> HttpResponse:
    b = _booking(request, pk)
    return render(
        request,
        "trips/checkups/booking.html",
        {
            "b": b,
            "result_form": forms.ResultForm(initial={"result": b.result or None}),
            "report_form": forms.ReportForm(),
            "can_health": has_perm(request.user, HEALTH),
        },
    )


@require_POST
@require_perm(BOOK)
def attendance(request: HttpRequest, pk: int) -> HttpResponseBase:
    b = _booking(request, pk)
    attended = request.POST.get("attended") == "1"
    act(
        request, lambda: services.mark_attendance(actor=signed_in(request), booking=b, attended=attended), _("操作成功")
    )
    back = request.POST.get("back") == "list"
    if back:
        return redirect(f"{_url('trips:checkups_bookings', b.campaign_id)}?date={b.slot.date:%Y-%m-%d}")
    return redirect("trips:checkups_booking", pk=b.pk)


def _url(name: str, pk: int) -> str:
    return reverse(name, kwargs={"pk": pk})


@require_POST
@require_perm(BOOK)
def result(request: HttpRequest, pk: int) -> HttpResponseBase:
    b = _booking(request, pk)
    act(
        request,
        lambda: services.set_result(actor=signed_in(request), booking=b, result=request.POST.get("result", "")),
        _("操作成功"),
    )
    return redirect("trips:checkups_booking", pk=b.pk)


@require_POST
@require_perm(BOOK)
def cancel(request: HttpRequest, pk: int) -> HttpResponseBase:
    b = _booking(request, pk)
    act(request, lambda: services.cancel_booking(actor=signed_in(request), booking=b), _("已取消预约"))
    return redirect("trips:checkups_booking", pk=b.pk)


@require_POST
@require_perm(BOOK)
def followup(request: HttpRequest, pk: int) -> HttpResponseBase:
    b = _booking(request, pk)
    act(request, lambda: services.mark_followed_up(actor=signed_in(request), booking=b), _("操作成功"))
    return redirect("trips:checkups_booking", pk=b.pk)


@require_POST
@require_perm(HEALTH)
def report_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    b = _booking(request, pk)
    form = forms.ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择报告文件"))
    else:
        act(
            request,
            lambda: services.upload_report(actor=signed_in(request), booking=b, file=form.cleaned_data["file"]),
            _("报告已上传"),
        )
    return redirect("trips:checkups_booking", pk=b.pk)


@require_perm(HEALTH)
def report(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The report file: health data, every view logged."""
    b = _booking(request, pk)
    if not b.report:
        raise Http404
    content = reports.read_report(b)  # opened (decrypted) here only
    services.log_report_view(actor=signed_in(request), booking=b)
    name = b.report_name or "report"
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
    response["Cache-Control"] = "private, no-store"
    return response


# --- coverage -------------------------------------------------------------------------------------


def _coverage(request: HttpRequest, c: CheckupCampaign) -> tuple[forms.CoverageFilterForm, list[Any]]:
    form = forms.CoverageFilterForm(request.GET or None, districts=selectors.districts_for(request.user))
    district = form.cleaned_data["district"] if form.is_valid() else None
    return form, selectors.coverage(request.user, c, district)


@require_perm(VIEW)
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    c = _campaign(pk)
    form, rows = _coverage(request, c)
    body = rows[:-1]
    chart = {
        "districts": [r.name for r in body],
        "due": [r.due for r in body],
        "booked": [r.booked for r in body],
        "attended": [r.attended for r in body],
        "recheck": [r.recheck for r in body],
    }
    return render(
        request,
        "trips/checkups/coverage.html",
        {
            "campaign": c,
            "form": form,
            "rows": body,
            "total": rows[-1],
            "chart": chart,
            "query": request.GET.urlencode(),
        },
    )


@require_perm(VIEW)
def coverage_export(request: HttpRequest, pk: int) -> HttpResponse:
    c = _campaign(pk)
    _form, rows = _coverage(request, c)
    content = write_xlsx(
        [_("区县(市)"), _("应检人数"), _("已预约"), _("已到检"), _("需复查"), _("到检率(%)")],
        ([r.name, r.due, r.booked, r.attended, r.recheck, r.coverage] for r in rows),
        title=_("%(year)s年度体检覆盖情况") % {"year": c.year},
    )
    return xlsx_response(content, f"{c.year}年度体检覆盖情况.xlsx")


# --- catalogues -----------------------------------------------------------------------------------


@require_perm(MANAGE)
def hospitals(request: HttpRequest) -> HttpResponseBase:
    form = forms.HospitalForm(request.POST or None)
    if submit(
        request, form, lambda: services.save_hospital(actor=signed_in(request), **form.cleaned_data), _("操作成功")
    ):
        return redirect("trips:checkups_hospitals")
    return render(request, "trips/checkups/hospitals.html", {"rows": Hospital.objects.all(), "form": form})


def _catalogue_edit(
    request: HttpRequest, form: Any, save: Callable[[], Any], *, title: str, back: str, back_label: str
) -> HttpResponseBase:
    """A hospital's or a package's edit page: the form, its service, back to the list."""
    if submit(request, form, save, _("操作成功")):
        return redirect(back)
    context = {"form": form, "title": title, "back": reverse(back), "back_label": back_label}
    return render(request, "trips/checkups/form.html", context)


@require_perm(MANAGE)
def hospital_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    h = get_object_or_404(Hospital, pk=pk)
    form = forms.HospitalForm(request.POST or None, instance=h)
    return _catalogue_edit(
        request,
        form,
        lambda: services.save_hospital(actor=signed_in(request), hospital=h, **form.cleaned_data),
        title=_("修改医院“%(name)s”") % {"name": h.name},
        back="trips:checkups_hospitals",
        back_label=_("体检医院"),
    )


@require_POST
@require_perm(MANAGE)
def hospital_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    h = get_object_or_404(Hospital, pk=pk)
    act(request, lambda: services.delete_hospital(actor=signed_in(request), hospital=h), _("已删除"))
    return redirect("trips:checkups_hospitals")


@require_perm(MANAGE)
def packages(request: HttpRequest) -> HttpResponseBase:
    form = forms.PackageForm(request.POST or None)
    if submit(
        request, form, lambda: services.save_package(actor=signed_in(request), **form.cleaned_data), _("操作成功")
    ):
        return redirect("trips:checkups_packages")
    return render(request, "trips/checkups/packages.html", {"rows": CheckupPackage.objects.all(), "form": form})


@require_perm(MANAGE)
def package_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    p = get_object_or_404(CheckupPackage, pk=pk)
    form = forms.PackageForm(request.POST or None, instance=p)
    return _catalogue_edit(
        request,
        form,
        lambda: services.save_package(actor=signed_in(request), package=p, **form.cleaned_data),
        title=_("修改套餐“%(name)s”") % {"name": p.name},
        back="trips:checkups_packages",
        back_label=_("体检套餐"),
    )


@require_POST
@require_perm(MANAGE)
def package_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    p = get_object_or_404(CheckupPackage, pk=pk)
    act(request, lambda: services.delete_package(actor=signed_in(request), package=p), _("已删除"))
    return redirect("trips:checkups_packages")


@require_perm(MANAGE)
def rules(request: HttpRequest) -> HttpResponseBase:
    if request.method == "POST":
        rule_id = parse_id(request.POST.get("rule"))
        rule = CheckupRule.objects.filter(pk=rule_id).first() if rule_id else None
        form = forms.RuleForm(request.POST)
        if rule is None or not form.is_valid():
            messages.error(request, _("间隔年数应在 1 到 10 之间"))
        else:
            act(
                request,
                lambda: services.update_rule(actor=signed_in(request), rule=rule, **form.cleaned_data),
                _("操作成功"),
            )
        return redirect("trips:checkups_rules")
    labels = dict(PersonStatus.choices)
    rows = [(r, labels.get(r.status, r.status)) for r in CheckupRule.objects.all()]
    return render(request, "trips/checkups/rules.html", {"rows": rows})


# --- phone: 我的体检 ------------------------------------------------------------------------------


@require_perm("portal.self")
def mine(request: HttpRequest) -> HttpResponseBase:
    person = selectors.my_person(request.user)
    c = selectors.current_campaign()
    ctx: dict[str, Any] = {"person": person, "campaign": c}
    if person is not None and c is not None:
        booking = selectors.my_booking(person, c)
        profile = selectors.my_profile(person)
        slots = selectors.open_slots(c).filter(taken__lt=F("capacity"))
        form = forms.SlotChoiceForm(request.POST or None, slots=slots)
        if submit(
            request,
            form,
            lambda: services.book_slot(actor=signed_in(request), person=person, slot=form.cleaned_data["slot"]),
            _("预约成功"),
        ):
            return redirect("trips:checkups_mine")
        ctx |= {
            "booking": booking,
            "profile": profile,
            "due": profile is not None and profile.due_year is not None and profile.due_year <= c.year,
            "form": form,
            "changing": request.GET.get("change") == "1" or request.method == "POST",
            "package": booking.package if booking and booking.package else services.package_for(person, c.starts),
            "days_left": selectors.upcoming(booking),
            "reminders": selectors.my_reminders(request.user, booking) if booking else [],
        }
    return render(request, "trips/checkups/portal/mine.html", ctx)


@require_POST
@require_perm("portal.self")
def mine_cancel(request: HttpRequest) -> HttpResponseBase:
    person = selectors.my_person(request.user)
    c = selectors.current_campaign()
    booking = selectors.my_booking(person, c) if person is not None and c is not None else None
    if booking is None:
        messages.error(request, _("没有可取消的预约"))
    else:
        act(request, lambda: services.cancel_booking(actor=signed_in(request), booking=booking), _("已取消预约"))
    return redirect("trips:checkups_mine")
