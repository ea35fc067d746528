"""Pages of technical help. Thin: parse the form, fetch through the scoped selectors, call a
service, redirect or render. Phone pages (requesters, model workers) extend base_portal.html."""

from __future__ import annotations

import contextlib
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assistance import matching, selectors, services
from assistance.forms import (
    AnswerForm,
    CallForm,
    CategoryForm,
    DeclineForm,
    FiguresForm,
    MatchFilterForm,
    MergeForm,
    OutcomeForm,
    PublicRequestForm,
    RatingForm,
    RequestSearchForm,
    StaffRequestForm,
    TransferForm,
    UploadForm,
    VisitForm,
)
from assistance.models import (
    Attachment,
    Call,
    Category,
    Channel,
    HelpRequest,
    Invitation,
    InvitationStatus,
    Status,
)
from core import phonecodes
from core.errors import DomainError
from core.forms import CodeForm, MobileForm
from core.login import complete_sign_in
from core.models import Role, User
from core.pages import act, form_error, message_error, page_of, submit
from core.params import parse_id
from core.permissions import has_perm, require_perm, roles_of, signed_in
from core.request_context import client_ip
from core.scope import get_visible_or_404
from core.spreadsheets import write_xlsx, xlsx_response
from people.models import Person
from people.selectors import get_person

VERIFIED_KEY = "assistance.verified_mobile"
VERIFIED_MINUTES = 30
PENDING_KEY = "assistance.pending_mobile"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# ============================================================================ public request page


def _verified_mobile(request: HttpRequest) -> str:
    data = request.session.get(VERIFIED_KEY)
    if not data or data.get("until", 0) < timezone.now().timestamp():
        return ""
    return str(data["mobile"])


def _is_requester(user: Any) -> bool:
    return Role.REQUESTER in roles_of(user)


def apply(request: HttpRequest) -> HttpResponse:
    """Step 1: the mobile number (a signed-in requester goes straight to the form)."""
    if _is_requester(request.user):
        return redirect("assistance:apply_form")
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = phonecodes.send_phone_code(
                mobile=form.cleaned_data["mobile"], purpose="request", ip=client_ip(request)
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            request.session[PENDING_KEY] = record.mobile
            return redirect("assistance:apply_verify")
    return render(request, "assistance/portal/apply_mobile.html", {"form": form})


def apply_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code. A number that already has a requester account signs in here (login by
    text message); a new number goes on to the form, where the account is created."""
    mobile = request.session.get(PENDING_KEY, "")
    if not mobile:
        return redirect("assistance:apply")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phonecodes.verify_phone_code(mobile=mobile, purpose="request", code=form.cleaned_data["code"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            account = services.requester_account(mobile)
            if account is not None:
                complete_sign_in(request, account, username=mobile, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("验证成功，已登录"))
                return redirect(
                    "assistance:my_requests" if request.GET.get("next") == "list" else "assistance:apply_form"
                )
            request.session[VERIFIED_KEY] = {
                "mobile": mobile,
                "until": timezone.now().timestamp() + VERIFIED_MINUTES * 60,
            }
            return redirect("assistance:apply_form")
    return render(request, "assistance/portal/apply_code.html", {"form": form, "mobile": mobile})


def apply_form(request: HttpRequest) -> HttpResponse:
    """Step 3: the request itself; a new requester sets a password here."""
    user = request.user
    signed_in = _is_requester(user)
    mobile = cast(User, user).username if signed_in else _verified_mobile(request)
    if not mobile:
        return redirect("assistance:apply")
    form = PublicRequestForm(request.POST or None, request.FILES or None, needs_password=not signed_in, mobile=mobile)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                account = (
                    cast(User, user)
                    if signed_in
                    else services.register_requester(
                        mobile=mobile, password=form.cleaned_data["password"], name=form.cleaned_data["contact_name"]
                    )
                )
                help_request = services.submit_request(
                    actor=account, data=form.request_data(mobile), requester=account, mobile_verified=True
                )
                if form.cleaned_data.get("photo"):
                    services.add_attachment(actor=account, request=help_request, upload=form.cleaned_data["photo"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            if not signed_in:
                complete_sign_in(request, account, username=mobile, backend="django.contrib.auth.backends.ModelBackend")
                request.session.pop(VERIFIED_KEY, None)
            messages.success(request, _("需求已提交，编号 %(n)s。可继续添加照片或资料。") % {"n": help_request.number})
            return redirect("assistance:my_request", pk=help_request.pk)
    if form.errors and request.FILES.get("photo"):
        # A browser never sends a chosen file back into the page: say so beside the field.
        form["photo"].help_text = _("刚才选的照片或资料没有保存，请修改上面的内容后重新选择")
    return render(
        request, "assistance/portal/apply_form.html", {"form": form, "mobile": mobile, "signed_in": signed_in}
    )


@require_perm("assistance.request")
def my_requests(request: HttpRequest) -> HttpResponse:
    rows = HelpRequest.objects.filter(requester=_user(request)).select_related("category").order_by("-created")
    return render(request, "assistance/portal/my_requests.html", {"rows": rows})


@require_perm("assistance.request")
def my_request(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_visible_or_404(HelpRequest.objects.filter(requester=_user(request)), request.user, pk=pk)
    return render(
        request,
        "assistance/portal/my_request.html",
        {
            "obj": obj,
            "story": selectors.request_story(obj, public_only=True),
            "attachments": obj.attachments.all(),
            "visits": selectors.request_visits(obj),
            "measures": obj.measures.all(),
            "upload_form": UploadForm(),
            "rating_form": RatingForm(),
            "can_upload": obj.status in (Status.SUBMITTED, Status.ACCEPTED, Status.IN_SERVICE),
        },
    )


@require_POST
@require_perm("assistance.request")
def my_request_upload(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_visible_or_404(HelpRequest.objects.filter(requester=_user(request)), request.user, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        act(request, lambda: services.add_attachment(actor=signed_in(request), request=obj, upload=upload), _("已添加"))
    else:
        messages.error(request, _("请选择文件"))
    return redirect("assistance:my_request", pk=obj.pk)


@require_POST
@require_perm("assistance.request")
def my_request_rate(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_visible_or_404(HelpRequest.objects.filter(requester=_user(request)), request.user, pk=pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_request(
                actor=signed_in(request),
                request=obj,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("感谢您的评价"))
        except DomainError as exc:
            message_error(request, exc)
    else:
        messages.error(request, _("请选择满意度"))
    return redirect("assistance:my_request", pk=obj.pk)


def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A file of a request, to whoever may see the request (staff in scope, its requester)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = get_visible_or_404(Attachment.objects.all(), request.user, pk=pk)
    if not item.file:
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.original_name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = get_visible_or_404(Attachment.objects.select_related("request"), request.user, pk=pk)
    is_owner = item.request.requester_id == request.user.pk
    if not (is_owner or has_perm(request.user, "assistance.manage")):
        raise PermissionDenied
    act(request, lambda: services.remove_attachment(actor=signed_in(request), attachment=item), _("已删除"))
    target = "assistance:my_request" if is_owner else "assistance:request_detail"
    return redirect(target, pk=item.request_id)


# ============================================================================ invitations (model workers)


def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the text message: accept or decline without signing in (the signed token is
    the proof; it expires after 14 days and works only while the invitation is open)."""
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "assistance/portal/answer_invalid.html", status=404)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_invitation(
                actor=invitation.person.user,
                invitation=invitation,
                accept=form.cleaned_data["answer"] == "accept",
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            message_error(request, exc)
        else:
            messages.success(request, _("已收到您的答复，谢谢！"))
        return redirect("assistance:answer_link", token=token)
    return render(
        request, "assistance/portal/answer.html", {"inv": invitation, "form": form, "req": invitation.request}
    )


@require_perm("portal.self")
def my_invitations(request: HttpRequest) -> HttpResponse:
    rows = selectors.invitations_for_person_user(request.user)
    return render(request, "assistance/portal/my_invitations.html", {"rows": rows, "form": AnswerForm()})


@require_POST
@require_perm("portal.self")
def my_invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(selectors.invitations_for_person_user(request.user), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_invitation(
                actor=signed_in(request),
                invitation=invitation,
                accept=form.cleaned_data["answer"] == "accept",
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("已收到您的答复，谢谢！"))
        except DomainError as exc:
            message_error(request, exc)
    return redirect("assistance:my_invitations")


@require_perm("portal.self")
def my_services(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=_user(request)).first()
    rows = selectors.services_of(person) if person else Invitation.objects.none()
    return render(request, "assistance/portal/my_services.html", {"rows": rows, "person": person})


# ============================================================================ staff: requests


def _search_form(request: HttpRequest, cls: Any = RequestSearchForm) -> Any:
    return cls(
        request.GET or None,
        districts=selectors.districts_for(request.user),
        calls=selectors.calls_for_user(request.user),
    )


@require_perm("assistance.view")
def request_list(request: HttpRequest) -> HttpResponse:
    form = _search_form(request)
    filters = selectors.RequestFilters()
    if form.is_valid():
        filters = selectors.RequestFilters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    qs = selectors.request_list_page(selectors.requests_for_user(request.user, filters))
    page = page_of(request, qs)
    return render(request, "assistance/request_list.html", {"form": form, "page": page})


@require_perm("assistance.manage")
def request_create(request: HttpRequest) -> HttpResponse:
    form = StaffRequestForm(request.POST or None)
    form.fields["call"].queryset = selectors.calls_for_user(request.user)  # type: ignore[attr-defined]
    form.fields["district"].queryset = selectors.districts_for(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.submit_request(
                actor=signed_in(request),
                data=form.request_data(form.cleaned_data["contact_mobile"], call=form.cleaned_data["call"]),
                channel=form.cleaned_data["channel"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("操作成功：已登记需求 %(n)s") % {"n": obj.number})
            return redirect("assistance:request_detail", pk=obj.pk)
    return render(request, "assistance/request_form.html", {"form": form})


@require_perm("assistance.view")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.get_request(request.user, pk))


def _accepted_people(obj: HelpRequest) -> list[Person]:
    return [i.person for i in obj.invitations.filter(status=InvitationStatus.ACCEPTED).select_related("person")]


def _detail_page(request: HttpRequest, obj: HelpRequest, *, visit_form: VisitForm | None = None) -> HttpResponse:
    """The request page; ``visit_form`` is a submitted visit that needs correcting (shown with
    its errors at the top and by each field, and everything typed kept)."""
    accepted = _accepted_people(obj)
    if visit_form is None and accepted:
        visit_form = VisitForm(people=accepted)
    return render(
        request,
        "assistance/request_detail.html",
        {
            "obj": obj,
            "story": selectors.request_story(obj, public_only=False),
            "invitations": selectors.request_invitations(obj),
            "visits": selectors.request_visits(obj),
            "attachments": obj.attachments.filter(visit__isnull=True),
            "measures": obj.measures.all(),
            "decline_form": DeclineForm(),
            "merge_form": MergeForm(),
            "transfer_form": TransferForm(),
            "upload_form": UploadForm(),
            "visit_form": visit_form,
            "outcome_form": OutcomeForm(initial=_outcome_initial(obj)),
            "can_manage": has_perm(request.user, "assistance.manage"),
            "can_dispatch": has_perm(request.user, "assistance.dispatch"),
        },
    )


def _outcome_initial(obj: HelpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "solved": "1" if obj.solved in (None, True) else "0",
        "problems_solved": obj.problems_solved,
        "workers_trained": obj.workers_trained,
        "workers_served": obj.workers_served,
        "equipment_repaired": obj.equipment_repaired,
        "summary": obj.outcome_summary,
    }
    for i, m in enumerate(obj.measures.all()[: OutcomeForm.ROWS]):
        initial |= {f"m{i}_label": m.label, f"m{i}_unit": m.unit, f"m{i}_before": m.before, f"m{i}_after": m.after}
    return initial


def _act(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    obj = selectors.get_request(request.user, pk)
    act(request, lambda: action(obj), _("操作成功"))
    return redirect("assistance:request_detail", pk=obj.pk)


@require_POST
@require_perm("assistance.manage")
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda obj: services.accept_request(actor=signed_in(request), request=obj))


@require_POST
@require_perm("assistance.manage")
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, pk, lambda obj: services.decline_request(actor=signed_in(request), request=obj, reason=reason))


@require_POST
@require_perm("assistance.manage")
def request_merge(request: HttpRequest, pk: int) -> HttpResponse:
    form = MergeForm(request.POST)
    number = form.cleaned_data["into"].strip() if form.is_valid() else ""

    def merge(obj: HelpRequest) -> None:
        into = selectors.requests_for_user(request.user).filter(number=number).first()
        if into is None:
            raise DomainError(_("找不到需求 %(n)s（或不在您的范围内）") % {"n": number})
        services.merge_request(actor=signed_in(request), request=obj, into=into)

    return _act(request, pk, merge)


@require_POST
@require_perm("assistance.manage")
def request_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    form = TransferForm(request.POST)

    def transfer(obj: HelpRequest) -> None:
        if not form.is_valid():
            raise DomainError(_("请选择转交的区县(市)"))
        services.transfer_request(
            actor=signed_in(request),
            request=obj,
            district=form.cleaned_data["district"],
            street=form.street_obj(),
            note=form.cleaned_data["note"],
        )

    response = _act(request, pk, transfer)
    # After a transfer the request may be outside the sender's scope.
    if not HelpRequest.objects.visible_to(request.user).filter(pk=pk).exists():
        return redirect("assistance:request_list")
    return response


@require_POST
@require_perm("assistance.manage")
def request_upload(request: HttpRequest, pk: int) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)

    def upload(obj: HelpRequest) -> None:
        if not form.is_valid():
            raise DomainError(_("请选择文件"))
        services.add_attachment(actor=signed_in(request), request=obj, upload=form.cleaned_data["file"])

    return _act(request, pk, upload)


@require_perm("assistance.dispatch")
def request_match(request: HttpRequest, pk: int) -> HttpResponse:
    """Ranked candidates with reasons; staff filter, pick one or a team, or add anyone by name."""
    obj = selectors.get_request(request.user, pk)
    form = MatchFilterForm(request.GET or None)
    filters = matching.MatchFilters()
    if form.is_valid():
        filters = matching.MatchFilters(
            district_only=form.cleaned_data["district_only"],
            exclude_busy=form.cleaned_data["exclude_busy"],
            min_grade=form.cleaned_data["min_grade"],
            category=form.cleaned_data["category"],
        )
    # Only people the viewer may invite (the scope rule): ranked over the whole registry, then
    # cut to the viewer's scope.
    ranked = matching.rank_candidates(obj, limit=30, filters=filters)
    visible = set(
        Person.objects.visible_to(request.user)
        .filter(pk__in=[c.person.pk for c in ranked])
        .values_list("pk", flat=True)
    )
    candidates = [c for c in ranked if c.person.pk in visible][:10]
    q = request.GET.get("q", "").strip()
    found = []
    if q:
        found = list(
            Person.objects.visible_to(request.user).active().filter(name__contains=q).select_related("district")[:20]
        )
    return render(
        request,
        "assistance/request_match.html",
        {
            "obj": obj,
            "form": form,
            "candidates": candidates,
            "found": found,
            "q": q,
            "invitations": selectors.request_invitations(obj),
            "any_without_mobile": any(not c.person.mobile for c in candidates) or any(not p.mobile for p in found),
        },
    )


@require_POST
@require_perm("assistance.dispatch")
def request_invite(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.get_request(request.user, pk)
    ids = {i for i in map(parse_id, request.POST.getlist("person")) if i}
    # The scope rule: staff invite only people they can see (a district, its own people); an id
    # outside it, or of a merged record, is 404 like any other object outside the scope.
    people = list(Person.objects.visible_to(request.user).active().filter(pk__in=ids))
    if len(people) != len(ids):
        raise Http404
    lead_id = request.POST.get("lead", "")
    lead = next((p for p in people if str(p.pk) == lead_id), None)
    scores: dict[int, tuple[float, list[str]]] = {}
    for p in people:
        raw = request.POST.get(f"score_{p.pk}")
        if raw:
            with contextlib.suppress(ValueError):
                scores[p.pk] = (float(raw), request.POST.get(f"reasons_{p.pk}", "").split("|"))
    try:
        services.invite_people(
            actor=signed_in(request),
            request=obj,
            people=people,
            lead=lead,
            scores=scores,
            unreachable_confirmed=request.POST.get("unreachable_ok") == "1",
        )
        messages.success(request, _("操作成功：已发出邀请"))
    except DomainError as exc:
        message_error(request, exc)
    return redirect("assistance:request_match", pk=obj.pk)


@require_POST
@require_perm("assistance.dispatch")
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_visible_or_404(Invitation.objects.select_related("request"), request.user, pk=pk)
    act(request, lambda: services.withdraw_invitation(actor=signed_in(request), invitation=invitation), _("操作成功"))
    return redirect("assistance:request_match", pk=invitation.request_id)


@require_POST
@require_perm("assistance.manage")
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.get_request(request.user, pk)
    form = VisitForm(request.POST, request.FILES, people=_accepted_people(obj))
    if form.is_valid():
        try:
            services.record_visit(
                actor=signed_in(request),
                request=obj,
                date=form.cleaned_data["date"],
                work_done=form.cleaned_data["work_done"],
                participants=form.participants(),
                files=[form.cleaned_data["photo"]] if form.cleaned_data.get("photo") else [],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("操作成功"))
            return redirect("assistance:request_detail", pk=obj.pk)
    if request.FILES.get("photo"):
        form["photo"].help_text = _("刚才选的照片没有保存，请修改后重新选择")
    return _detail_page(request, obj, visit_form=form)


@require_POST
@require_perm("assistance.manage")
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    form = OutcomeForm(request.POST)

    def record(o: HelpRequest) -> None:
        if not form.is_valid():
            raise DomainError("；".join(str(e) for errs in form.errors.values() for e in errs))
        d = form.cleaned_data
        services.record_outcome(
            actor=signed_in(request),
            request=o,
            solved=d["solved"],
            problems_solved=d["problems_solved"],
            workers_trained=d["workers_trained"],
            workers_served=d["workers_served"],
            equipment_repaired=d["equipment_repaired"],
            summary=d["summary"],
            measures=form.measures(),
        )

    return _act(request, pk, record)


@require_perm("assistance.view")
def person_services(request: HttpRequest, pk: int) -> HttpResponse:
    """The services a person gave (for the person page); 404 outside the viewer's scope."""
    person = get_person(request.user, pk)
    return render(request, "assistance/person_services.html", {"person": person, "rows": selectors.services_of(person)})


# ============================================================================ calls, catalogue


@require_perm("assistance.view")
def call_list(request: HttpRequest) -> HttpResponse:

    rows = selectors.calls_for_user(request.user).annotate(n=Count("helprequest"))
    return render(request, "assistance/call_list.html", {"rows": rows})


@require_perm("assistance.calls")
def call_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk) if pk else None
    initial = (
        {
            "title": call.title,
            "starts": call.starts,
            "ends": call.ends,
            "scope": call.scope,
            "description": call.description,
        }
        if call
        else {}
    )
    form = CallForm(request.POST or None, initial=initial)
    if submit(
        request,
        form,
        lambda: services.save_call(actor=signed_in(request), call=call, **form.cleaned_data),
        _("操作成功"),
    ):
        return redirect("assistance:call_list")
    return render(
        request, "assistance/simple_form.html", {"form": form, "title": _("需求征集"), "back": "assistance:call_list"}
    )


@require_perm("assistance.calls")
def category_list(request: HttpRequest) -> HttpResponse:
    rows = Category.objects.prefetch_related("trades")
    return render(request, "assistance/category_list.html", {"rows": rows})


@require_perm("assistance.calls")
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk) if pk else None
    initial = (
        {
            "code": category.code,
            "name": category.name,
            "keywords": category.keywords,
            "trades": list(category.trades.all()),
            "sort": category.sort,
            "active": category.active,
        }
        if category
        else {}
    )
    form = CategoryForm(request.POST or None, initial=initial)
    if submit(
        request,
        form,
        lambda: services.save_category(actor=signed_in(request), category=category, **form.cleaned_data),
        _("操作成功；匹配数据将在夜间重建后按新工种生效"),
    ):
        return redirect("assistance:category_list")
    return render(
        request,
        "assistance/simple_form.html",
        {"form": form, "title": _("帮扶类别"), "back": "assistance:category_list"},
    )


# ============================================================================ figures


def _figures_query(request: HttpRequest) -> tuple[Any, Any]:
    form = _search_form(request, FiguresForm)
    filters = selectors.RequestFilters()
    if form.is_valid():
        filters = selectors.RequestFilters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    return form, selectors.requests_for_user(request.user, filters)


@require_perm("assistance.view")
def figures(request: HttpRequest) -> HttpResponse:
    form, qs = _figures_query(request)
    by_district = selectors.figures_by(qs, "district")
    by_category = selectors.figures_by(qs, "category")
    return render(
        request,
        "assistance/figures.html",
        {
            "form": form,
            "f": selectors.figures(qs),
            "by_district": by_district,
            "by_category": by_category,
            "chart": {
                "districts": [r["name"] for r in by_district],
                "district_requests": [r["requests"] for r in by_district],
                "district_problems": [r["problems"] for r in by_district],
                "categories": [{"name": r["name"], "value": r["requests"]} for r in by_category],
            },
            "query": request.GET.urlencode(),
        },
    )


@require_perm("assistance.view")
def figures_export(request: HttpRequest) -> HttpResponse:
    _form, qs = _figures_query(request)
    f = selectors.figures(qs)
    rows: list[list[Any]] = [
        [_("需求数"), f.requests],
        [_("已办结"), f.done],
        [_("帮扶企业(单位)数"), f.enterprises_helped],
        [_("解决难题数"), f.problems_solved],
        [_("上门人次"), f.person_visits],
        [_("参与劳模工匠人数"), f.experts],
        [_("服务时长(小时)"), f.hours],
        [_("培训职工人数"), f.workers_trained],
        [_("服务职工人数"), f.workers_served],
        [_("维修设备台数"), f.equipment_repaired],
        [_("平均首次上门天数"), f.avg_days_to_first_visit if f.avg_days_to_first_visit is not None else ""],
        [_("平均满意度(5分制)"), f.satisfaction if f.satisfaction is not None else ""],
        [],
        [_("区县(市)"), _("需求数"), _("已办结"), _("解决难题数"), _("培训职工人数")],
    ]
    rows += [
        [r["name"], r["requests"], r["done"], r["problems"], r["trained"]] for r in selectors.figures_by(qs, "district")
    ]
    rows += [[], [_("类别"), _("需求数"), _("已办结"), _("解决难题数"), _("培训职工人数")]]
    rows += [
        [r["name"], r["requests"], r["done"], r["problems"], r["trained"]] for r in selectors.figures_by(qs, "category")
    ]
    content = write_xlsx([_("指标"), _("数值")], rows, sheet_title=_("技术帮扶统计"), title=_("技术帮扶统计"))
    return xlsx_response(content, f"技术帮扶统计-{timezone.localdate():%Y%m%d}.xlsx")


__all__ = ["Channel"]
