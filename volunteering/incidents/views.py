"""Pages of the incidents part: a person's call-outs on the phone (answer in one tap)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from core import phonecodes
from core.errors import DomainError
from core.forms import CodeForm, MobileForm
from core.jobs import job_url
from core.login import complete_sign_in
from core.masking import mask_mobile
from core.models import Role, User
from core.pages import act, form_error, message_error, page_context, submit
from core.params import parse_id
from core.permissions import require_perm, signed_in
from core.request_context import client_ip
from core.scope import get_visible_or_404
from volunteering.incidents import selectors, services
from volunteering.incidents.forms import AssignTeamForm, IncidentForm, NeedForm, RequesterNeedForm
from volunteering.incidents.proposal import propose
from volunteering.models import Answer, CallOut, CallOutAnswer, CommandLevel, Incident, Need, NeedStatus, Team


def _mine(request: HttpRequest):  # type: ignore[no-untyped-def]
    return CallOutAnswer.objects.filter(person__user=signed_in(request)).select_related(
        "callout__incident", "callout__need", "callout__specialty", "callout__district"
    )


def _sign_in_first(
    login_url: str, hint: str = "", *, comes_back: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                if hint:
                    messages.info(request, _(hint))
                if comes_back:  # the sign-in returns to this page (``next``)
                    return redirect(f"{reverse(login_url)}?{urlencode({'next': request.get_full_path()})}")
                return redirect(login_url)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


#: A phone page opened from a text message before signing in goes to the phone sign-in (mobile
#: number and code), not the staff login with its password and authenticator, and comes back to
#: the page once signed in.
phone_sign_in_first = _sign_in_first(
    "portal:login", gettext_noop("请先用手机号登录，登录后即可答复应急召集"), comes_back=True
)
requester_sign_in_first = _sign_in_first("volunteering:requester_login")


@phone_sign_in_first
@require_perm("portal.self")
def my_callouts(request: HttpRequest) -> HttpResponse:
    rows = _mine(request).order_by("-callout__created", "-id")[:50]
    return render(request, "volunteering/incidents/my_callouts.html", {"rows": rows})


@require_POST
@require_perm("portal.self")
def my_callout_answer(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(_mine(request), pk=pk)
    answer = request.POST.get("answer", "")
    reason = (request.POST.get("reason") or "")[:200]
    try:
        _row, recorded = services.answer_callout(actor=signed_in(request), row=row, answer=answer, reason=reason)
    except DomainError as exc:
        message_error(request, exc)
    else:
        if recorded:
            messages.success(request, _("已收到您的答复，谢谢！"))
        else:
            messages.info(request, _("您已答复过（%(answer)s），无需重复") % {"answer": _row.get_answer_display()})
    return redirect("volunteering:my_callouts")


# ============================================================================ staff


@require_perm("volunteering.incidents_view")
def incident_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Incident.objects.visible_to(request.user)
        .annotate(
            n_needs=Count("needs", distinct=True), n_open=Count("needs", filter=Q(needs__status="open"), distinct=True)
        )
        .order_by("-started", "-id")
    )
    return render(request, "volunteering/incidents/incident_list.html", page_context(request, qs))


@require_perm("volunteering.incidents_view")
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_visible_or_404(Incident.objects.all(), request.user, pk=pk)
    needs = Need.objects.visible_to(request.user).filter(incident=incident).select_related("specialty", "district")
    callouts = (
        CallOut.objects.visible_to(request.user)
        .filter(incident=incident)
        .select_related("need", "specialty")
        .annotate(
            yes=Count("answers", filter=Q(answers__answer=Answer.YES)),
            no=Count("answers", filter=Q(answers__answer=Answer.NO)),
        )
    )
    areas = incident.areas.select_related("region", "team__leader").order_by("command_level", "region__path", "id")
    return render(
        request,
        "volunteering/incidents/incident_detail.html",
        {
            "incident": incident,
            "needs": needs,
            "callouts": callouts,
            "areas": areas,
            "can_assign": incident.status == "open" and _assignable_teams(request, incident).exists(),
        },
    )


@require_perm("volunteering.incidents_command")
def need_create(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_visible_or_404(Incident.objects.all(), request.user, pk=pk)
    form = NeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.create_need(actor=signed_in(request), incident=incident, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("需求已登记"))
            return redirect("volunteering:need_propose", need.pk)
    return render(request, "volunteering/incidents/need_form.html", {"form": form, "incident": incident})


@require_perm("volunteering.incidents_command")
def need_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """One-click call-out: the proposal (people by specialty, team, area, load; reasons shown);
    tick and send."""
    need = get_visible_or_404(Need.objects.select_related("incident", "specialty", "district"), request.user, pk=pk)
    if need.status == NeedStatus.PENDING:
        messages.info(request, _("该需求由求助方提交，请先核实并受理"))
        return redirect("volunteering:need_edit", need.pk)
    if request.method == "POST":
        ids = [i for i in (parse_id(v) for v in request.POST.getlist("person")) if i]
        try:
            callout = services.send_callout(
                actor=signed_in(request), need=need, person_ids=ids, message=(request.POST.get("message") or "")[:300]
            )
        except DomainError as exc:
            message_error(request, exc)
        else:
            if callout.job is not None:
                messages.success(request, _("召集已发出，正在后台通知 %(n)s 人") % {"n": callout.total})
                return redirect(job_url(callout.job))
            messages.success(request, _("召集已发出，已通知 %(n)s 人") % {"n": callout.total})
            return redirect("volunteering:incident_detail", need.incident_id)
    size = parse_id(request.GET.get("n")) or max(need.people_needed * 2, 10)
    only = selectors.callable_person_ids(signed_in(request), need)
    proposals = propose(need, limit=min(size, 200), only_person_ids=only)
    return render(
        request,
        "volunteering/incidents/need_propose.html",
        {"need": need, "proposals": proposals, "team_only": only is not None},
    )


def _need_initial(need: Need) -> dict[str, Any]:
    return {f: getattr(need, f"{f}_id" if f in ("region", "specialty") else f) for f in services.NEED_FIELDS}


@require_perm("volunteering.incidents_command")
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff check a need (a requester's is marked so), correct it and accept it, or edit an open one."""
    need = get_visible_or_404(
        Need.objects.select_related("incident", "specialty", "district", "requested_by"), request.user, pk=pk
    )
    form = NeedForm(request.POST or None, user=request.user, initial=_need_initial(need))
    accept = request.POST.get("action") == "accept"

    def action() -> None:
        services.update_need(actor=signed_in(request), need=need, accept=accept, **form.cleaned_data)

    if submit(request, form, action, _("已受理，可以召集人员") if accept else _("已保存")):
        return redirect(
            "volunteering:need_propose" if accept else "volunteering:incident_detail",
            need.pk if accept else need.incident_id,
        )
    return render(request, "volunteering/incidents/need_edit.html", {"form": form, "need": need})


# ============================================================================ requesters' phone pages


REQUESTER_LOGIN_KEY = "volunteering.requester_mobile"


def requester_login(request: HttpRequest) -> HttpResponse:
    """Requesters (enterprises, communities, villages) sign in with their mobile number and a
    text-message code, the same account and codes as technical help's (purpose ``request``)."""
    if request.user.is_authenticated:
        return redirect("volunteering:my_needs")
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = phonecodes.send_phone_code(
                mobile=form.cleaned_data["mobile"], purpose="request", ip=client_ip(request)
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            request.session[REQUESTER_LOGIN_KEY] = record.mobile
            return redirect("volunteering:requester_login_code")
    return render(request, "volunteering/incidents/requester_login.html", {"form": form, "step": "mobile"})


def requester_login_code(request: HttpRequest) -> HttpResponse:
    mobile = request.session.get(REQUESTER_LOGIN_KEY, "")
    if request.user.is_authenticated:
        return redirect("volunteering:my_needs")
    if not mobile:
        return redirect("volunteering:requester_login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phonecodes.verify_phone_code(mobile=mobile, purpose="request", code=form.cleaned_data["code"])
            account = User.objects.filter(
                username=mobile, role_assignments__role=Role.REQUESTER, is_active=True
            ).first()
            if account is None:
                raise DomainError(_("这个手机号还没有求助方账号，请先通过“申请技术帮扶”登记"), field="code")
        except DomainError as exc:
            form_error(form, exc)
        else:
            complete_sign_in(request, account, username=mobile, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(REQUESTER_LOGIN_KEY, None)
            return redirect("volunteering:my_needs")
    return render(
        request,
        "volunteering/incidents/requester_login.html",
        {"form": form, "step": "code", "mobile": mask_mobile(mobile)},
    )


@requester_sign_in_first
@require_perm("volunteering.needs_request")
def my_needs(request: HttpRequest) -> HttpResponse:
    rows = selectors.needs_requested_by(signed_in(request)).order_by("-created", "-id")[:50]
    return render(
        request,
        "volunteering/incidents/my_needs.html",
        {"rows": rows, "can_add": selectors.open_incidents_for_requesters().exists()},
    )


@requester_sign_in_first
@require_perm("volunteering.needs_request")
def my_need(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(selectors.needs_requested_by(signed_in(request)), pk=pk)
    return render(request, "volunteering/incidents/my_need.html", {"need": need})


def _requester_mobile(user: User) -> str:
    """A requester's account is named by the mobile number they verified (technical help's rule)."""
    return user.mobile or (user.username if user.username.isdigit() and len(user.username) == 11 else "")


@requester_sign_in_first
@require_perm("volunteering.needs_request")
def my_need_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    incidents = selectors.open_incidents_for_requesters()
    form = RequesterNeedForm(
        request.POST or None, incidents=incidents, initial={"contact_mobile": _requester_mobile(user)}
    )
    done: dict[str, Need] = {}

    def action() -> None:
        data = dict(form.cleaned_data)
        done["need"] = services.create_need(actor=user, requested_by=user, **data)

    if submit(request, form, action, _("需求已提交，工作人员受理后会安排人员")):
        return redirect("volunteering:my_need", done["need"].pk)
    return render(
        request, "volunteering/incidents/my_need_form.html", {"form": form, "has_incident": incidents.exists()}
    )


@require_perm("volunteering.incidents_open")
def incident_create(request: HttpRequest) -> HttpResponse:
    """City staff open an incident with the affected districts (each runs its own part)."""
    form = IncidentForm(request.POST or None, user=request.user, initial={"started": timezone.localtime()})
    done: dict[str, Incident] = {}

    def action() -> None:
        data = form.cleaned_data
        done["incident"] = services.open_incident(
            actor=signed_in(request),
            title=data["title"],
            kind=data["kind"],
            started=data["started"],
            description=data["description"],
            areas=list(data["areas"]),
        )

    if submit(request, form, action, _("应急事件已启动")):
        return redirect("volunteering:incident_detail", done["incident"].pk)
    return render(request, "volunteering/incidents/incident_form.html", {"form": form})


def _assignable_teams(request: HttpRequest, incident: Incident):  # type: ignore[no-untyped-def]
    """Active teams in scope whose district is one of the incident's district areas and not yet assigned."""
    districts = incident.areas.filter(command_level=CommandLevel.DISTRICT).values("region")
    assigned = incident.areas.filter(team__isnull=False).values("team")
    return (
        Team.objects.visible_to(request.user)
        .filter(active=True, district__in=districts)
        .exclude(pk__in=assigned)
        .select_related("specialty", "district")
        .order_by("district__path", "specialty__sort", "name")
    )


@require_perm("volunteering.incidents_command")
def incident_assign_team(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a team (and its leader) in command of its part of the incident."""
    incident = get_visible_or_404(Incident.objects.all(), request.user, pk=pk)
    form = AssignTeamForm(request.POST or None, teams=_assignable_teams(request, incident))
    action = lambda: services.assign_team(  # noqa: E731
        actor=signed_in(request), incident=incident, team=form.cleaned_data["team"]
    )
    if submit(request, form, action, _("已指派服务队")):
        return redirect("volunteering:incident_detail", incident.pk)
    return render(request, "volunteering/incidents/assign_team.html", {"form": form, "incident": incident})


@require_POST
@require_perm("volunteering.incidents_command")
def callout_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    callout = get_visible_or_404(CallOut.objects.all(), request.user, pk=pk)
    reason = (request.POST.get("reason") or "").strip()[:200]
    act(
        request,
        lambda: services.withdraw_callout(actor=signed_in(request), callout=callout, reason=reason),
        _("召集已撤回"),
    )
    return redirect("volunteering:incident_detail", callout.incident_id)
