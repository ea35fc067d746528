"""Pages of the incidents part: a person's call-outs on the phone (answer in one tap)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.jobs import job_url
from core.pages import act, form_error, message_error, page_context, submit
from core.params import parse_id
from core.permissions import require_perm, signed_in
from core.scope import get_visible_or_404
from volunteering.incidents import services
from volunteering.incidents.forms import AssignTeamForm, IncidentForm, NeedForm
from volunteering.incidents.proposal import propose
from volunteering.models import Answer, CallOut, CallOutAnswer, CommandLevel, Incident, Need, Team


def _mine(request: HttpRequest):  # type: ignore[no-untyped-def]
    return CallOutAnswer.objects.filter(person__user=signed_in(request)).select_related(
        "callout__incident", "callout__need", "callout__specialty", "callout__district"
    )


def phone_sign_in_first(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A phone page opened from a text message before signing in goes to the phone sign-in (mobile
    number and code), not the staff login with its password and authenticator."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("portal:login")
        return view(request, *args, **kwargs)

    return wrapped


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
    proposals = propose(need, limit=min(size, 200))
    return render(request, "volunteering/incidents/need_propose.html", {"need": need, "proposals": proposals})


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
