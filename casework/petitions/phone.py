"""信访: the petitioner's phone pages (follow one's own cases, add material) and the staff side of
the material (add, open a file) and of 重复件 (link, unlink).

The petitioner has no account: they prove their mobile number with a one-time text-message code
(``core.phonecodes``, purpose ``petition``, with its per-number and per-address limits); the
verified number is kept in the session for ``VERIFIED_MINUTES``. Every case is reached only
through ``selectors.cases_for_mobile(verified number)``: another number's case is 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework.models import PetitionAttachment, PetitionCase, PetitionStatus
from casework.petitions import forms, selectors, services
from casework.petitions.similar import possible_repeats
from core import phonecodes
from core.errors import DomainError
from core.forms import CodeForm, MobileForm
from core.masking import mask_mobile
from core.pages import act, form_error
from core.params import parse_id
from core.permissions import require_perm, signed_in
from core.request_context import client_ip
from core.scope import get_visible_or_404

T = "casework/petitions/"
PURPOSE = "petition"
VERIFIED_KEY = "petitions.verified_mobile"
PENDING_KEY = "petitions.pending_mobile"
VERIFIED_MINUTES = 30


# ============================================================================ petitioner (phone)


def verified_mobile(request: HttpRequest) -> str:
    """The mobile number this session proved, or "" (never proved, or proved too long ago)."""
    data = request.session.get(VERIFIED_KEY)
    if not isinstance(data, dict) or float(data.get("until", 0)) < timezone.now().timestamp():
        return ""
    return str(data.get("mobile", ""))


def _own_case(request: HttpRequest, pk: int, mobile: str) -> PetitionCase:
    return get_object_or_404(selectors.cases_for_mobile(mobile), pk=pk)


@never_cache
def phone_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the mobile number the case was registered with; a code is sent to it. Whether the
    number has any case is not said here (it is shown only after the code)."""
    if verified_mobile(request):
        return redirect("casework:petitions_phone_cases")
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = phonecodes.send_phone_code(
                mobile=form.cleaned_data["mobile"], purpose=PURPOSE, ip=client_ip(request)
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            request.session[PENDING_KEY] = record.mobile
            return redirect("casework:petitions_phone_verify")
    return render(request, T + "phone_start.html", {"form": form})


@never_cache
def phone_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code. The verified number is kept in the session for VERIFIED_MINUTES."""
    mobile = request.session.get(PENDING_KEY, "")
    if not mobile:
        return redirect("casework:petitions_phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phonecodes.verify_phone_code(mobile=mobile, purpose=PURPOSE, code=form.cleaned_data["code"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            request.session.cycle_key()
            request.session.pop(PENDING_KEY, None)
            request.session[VERIFIED_KEY] = {
                "mobile": mobile,
                "until": timezone.now().timestamp() + VERIFIED_MINUTES * 60,
            }
            return redirect("casework:petitions_phone_cases")
    return render(
        request,
        T + "phone_verify.html",
        {"form": form, "mobile": mask_mobile(mobile), "minutes": phonecodes.CODE_MINUTES},
    )


@never_cache
def phone_cases(request: HttpRequest) -> HttpResponse:
    mobile = verified_mobile(request)
    if not mobile:
        return redirect("casework:petitions_phone")
    cases = list(selectors.cases_for_mobile(mobile)[:50])
    return render(
        request,
        T + "phone_cases.html",
        {"cases": cases, "mobile": mask_mobile(mobile), "today": timezone.localdate()},
    )


@never_cache
def phone_case(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the petitioner's cases: its stage, deadlines, the answer when closed, the material the
    petitioner added, and the form to add more (open cases)."""
    mobile = verified_mobile(request)
    if not mobile:
        return redirect("casework:petitions_phone")
    case = _own_case(request, pk, mobile)
    is_open = case.status != PetitionStatus.CLOSED
    form = forms.MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("此件已办结，不能再补充材料。如有新的问题，请重新反映。"))
            return redirect("casework:petitions_phone_case", pk=pk)
        if form.is_valid():
            try:
                services.add_attachment(
                    actor=None,
                    case=case,
                    note=form.cleaned_data["note"],
                    upload=form.cleaned_data["file"] or None,
                    by_petitioner=True,
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("材料已提交，承办人会看到。可以继续添加。"))
                return redirect("casework:petitions_phone_case", pk=pk)
        if request.FILES.get("file"):
            form["file"].help_text = _("刚才选的文件没有保存，请修改后重新选择")
    context = {
        "case": case,
        "steps": selectors.petitioner_stage(case),
        "material": case.attachments.filter(by_petitioner=True),
        "form": form,
        "is_open": is_open,
        "today": timezone.localdate(),
    }
    return render(request, T + "phone_case.html", context)


@never_cache
def phone_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A file the petitioner added to one of their own cases (staff's files are not shown here)."""
    mobile = verified_mobile(request)
    if not mobile:
        raise Http404
    item = get_object_or_404(
        PetitionAttachment.objects.filter(case__in=selectors.cases_for_mobile(mobile), by_petitioner=True), pk=pk
    )
    return _file_response(item)


@require_POST
def phone_signout(request: HttpRequest) -> HttpResponse:
    request.session.pop(VERIFIED_KEY, None)
    request.session.pop(PENDING_KEY, None)
    messages.success(request, _("已退出"))
    return redirect("casework:petitions_phone")


def _file_response(item: PetitionAttachment) -> HttpResponseBase:
    if not item.file:
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.content_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if item.content_type == "application/pdf":
        response["Content-Disposition"] = "inline"
    return response


# ============================================================================ staff


@require_POST
@require_perm("casework.petitions_handle")
def case_attach(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = get_visible_or_404(PetitionCase.objects.all(), user, pk=pk)
    form = forms.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        act(
            request,
            lambda: services.add_attachment(actor=user, case=case, note=d["note"], upload=d["file"] or None),
            _("材料已添加"),
        )
    else:
        act(request, lambda: _raise(" ".join(str(e) for errors in form.errors.values() for e in errors)), "")
    return redirect("casework:petitions_detail", pk=pk)


@require_perm("casework.petitions_view")
def attachment_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = get_visible_or_404(PetitionAttachment.objects.all(), signed_in(request), pk=pk)
    return _file_response(item)


@require_POST
@require_perm("casework.petitions_handle")
def case_link_repeat(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = get_visible_or_404(PetitionCase.objects.all(), user, pk=pk)
    earlier_id = parse_id(request.POST.get("earlier"))
    if earlier_id is None:
        act(request, lambda: _raise(_("请选择要关联的信访件。")), "")
    else:
        earlier = get_visible_or_404(PetitionCase.objects.all(), user, pk=earlier_id)
        act(request, lambda: services.link_repeat(actor=user, case=case, earlier=earlier), _("已关联为重复件"))
    return redirect("casework:petitions_detail", pk=pk)


@require_POST
@require_perm("casework.petitions_handle")
def case_unlink_repeat(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = get_visible_or_404(PetitionCase.objects.all(), user, pk=pk)
    act(request, lambda: services.unlink_repeat(actor=user, case=case), _("已取消重复件关联"))
    return redirect("casework:petitions_detail", pk=pk)


def detail_context(user: object, case: PetitionCase) -> dict[str, object]:
    """What the staff case page shows of this work: material and possible repeats."""
    return {
        "attachments": case.attachments.select_related("added_by"),
        "material_form": forms.MaterialForm(),
        "possible_repeats": possible_repeats(case, user),
        "repeat_of_visible": bool(
            case.repeat_of_id and PetitionCase.objects.visible_to(user).filter(pk=case.repeat_of_id).exists()
        ),
    }


def _raise(message: str) -> None:
    raise DomainError(message)


urlpatterns: list[URLPattern] = [
    path("petitions/phone/", phone_start, name="petitions_phone"),
    path("petitions/phone/verify/", phone_verify, name="petitions_phone_verify"),
    path("petitions/phone/cases/", phone_cases, name="petitions_phone_cases"),
    path("petitions/phone/cases/<int:pk>/", phone_case, name="petitions_phone_case"),
    path("petitions/phone/files/<int:pk>/", phone_file, name="petitions_phone_file"),
    path("petitions/phone/signout/", phone_signout, name="petitions_phone_signout"),
    path("petitions/<int:pk>/attach/", case_attach, name="petitions_attach"),
    path("petitions/files/<int:pk>/", attachment_file, name="petitions_attachment"),
    path("petitions/<int:pk>/repeat/link/", case_link_repeat, name="petitions_link_repeat"),
    path("petitions/<int:pk>/repeat/unlink/", case_unlink_repeat, name="petitions_unlink_repeat"),
]
