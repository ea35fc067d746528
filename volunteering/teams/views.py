"""Pages of the teams part: teams and rosters, confirming members' reports, yearly figures (Excel)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import act, page_context, submit
from core.params import parse_id
from core.permissions import has_perm, require_perm, signed_in
from core.scope import get_visible_or_404
from core.spreadsheets import write_xlsx, xlsx_response
from people.models import Person
from volunteering.models import Activity, Specialty, Team, TeamMember
from volunteering.teams import selectors, services
from volunteering.teams.forms import LeaderActivityForm, LeaveForm, MemberForm, ReportForm, TeamForm


@require_perm("volunteering.teams_view")
def team_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.teams_for(
        request.user,
        q=(request.GET.get("q") or "")[:40],
        specialty=parse_id(request.GET.get("specialty")),
    ).order_by("district__path", "specialty__sort", "name", "id")
    context = page_context(request, qs) | {
        "specialties": Specialty.objects.filter(active=True),
        "waiting": selectors.awaiting_confirmation(request.user).count(),
    }
    return render(request, "volunteering/teams/team_list.html", context)


@require_perm("volunteering.teams_view")
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_visible_or_404(Team.objects.select_related("specialty", "district", "leader"), request.user, pk=pk)
    activities = selectors.activities_for(request.user, team=team.pk)[:30]
    waiting = selectors.awaiting_confirmation(request.user).filter(team=team).select_related("reported_by")
    return render(
        request,
        "volunteering/teams/team_detail.html",
        {
            "team": team,
            "roster": selectors.roster(team),
            "activities": activities,
            "waiting": waiting,
            "may_record": _may_record(request.user, team),
        },
    )


@require_POST
@require_perm("volunteering.activities_confirm")
def activity_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(Activity.objects.select_related("team"), request.user, pk=pk)
    if request.POST.get("action") == "reject":
        reason = request.POST.get("reason", "")
        act(
            request,
            lambda: services.reject_activity(actor=signed_in(request), activity=activity, reason=reason),
            _("已退回"),
        )
    else:
        act(request, lambda: services.confirm_activity(actor=signed_in(request), activity=activity), _("已确认"))
    return redirect("volunteering:team_detail", activity.team_id)


@require_perm("volunteering.teams_view")
def figures(request: HttpRequest) -> HttpResponse:
    year = parse_id(request.GET.get("year")) or timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    teams = selectors.team_year_figures(request.user, year)
    people = selectors.person_year_figures(request.user, year)
    if request.GET.get("export") == "teams":
        rows = [
            [
                r["team"].name,
                r["team"].specialty.name,
                r["team"].district.name,
                r["members"],
                r["activities"],
                r["hours"],
                r["served"],
                r["enterprises"],
                r["problems"],
            ]
            for r in teams
        ]
        headers = [
            _("服务队"),
            _("专业"),
            _("区县"),
            _("在队人数"),
            _("活动次数"),
            _("服务时长"),
            _("服务人数"),
            _("帮助企业"),
            _("解决问题"),
        ]
        return xlsx_response(
            write_xlsx(headers, rows, title=_("%(year)s年服务队统计") % {"year": year}), f"teams-{year}.xlsx"
        )
    if request.GET.get("export") == "people":
        rows = [
            [r["person__name"], r["person__district__name"], r["activities"], r["hours"]] for r in people.iterator()
        ]
        headers = [_("姓名"), _("区县"), _("活动次数"), _("服务时长")]
        return xlsx_response(
            write_xlsx(headers, rows, title=_("%(year)s年个人服务统计") % {"year": year}), f"people-{year}.xlsx"
        )
    return render(
        request,
        "volunteering/teams/figures.html",
        {"year": year, "teams": teams} | page_context(request, people),
    )


# ============================================================================ phone


@require_perm("portal.self")
def my_report(request: HttpRequest) -> HttpResponse:
    """A member reports an activity and their own hours; the leader confirms it."""
    person = Person.objects.filter(user=signed_in(request)).first()
    teams = selectors.my_teams(person) if person else Team.objects.none()
    if person is None or not teams.exists():
        return render(request, "volunteering/teams/my_report.html", {"form": None, "mine": []})
    form = ReportForm(request.POST or None, request.FILES or None, teams=teams)

    def action() -> None:
        data = form.cleaned_data
        photo = data.pop("photos", None)
        services.report_activity(
            actor=signed_in(request),
            person=person,
            team=data.pop("team"),
            hours=data.pop("hours"),
            photos=[photo] if photo else [],
            **{k: (v or 0) if k in NUMBERS else v for k, v in data.items()},
        )

    if submit(request, form, action, _("已上报，等待队长确认")):
        return redirect("volunteering:my_report")
    mine = Activity.objects.filter(reported_by=person).select_related("team").order_by("-date", "-id")[:20]
    return render(request, "volunteering/teams/my_report.html", {"form": form, "mine": mine})


NUMBERS = {"people_served", "enterprises_helped", "problems_solved", "machines_repaired"}


# ============================================================================ staff: teams, members, activities


def _person_search(request: HttpRequest) -> dict[str, Any]:
    """A name search beside a person-number field: people in the user's scope, their numbers shown."""
    q = (request.GET.get("q") or "").strip()[:40]
    found = (
        Person.objects.visible_to(request.user).available().filter(name__contains=q).select_related("region")[:20]
        if q
        else []
    )
    return {"q": q, "found": found}


PICKER_FIELDS = {"person", "leader"}


@require_perm("volunteering.teams_manage")
def person_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type for the person pickers (htmx): people in scope by name, their numbers."""
    field = request.GET.get("field", "")
    if field not in PICKER_FIELDS:
        raise Http404
    context = _person_search(request) | {"field": field}
    if not context["q"]:
        return HttpResponse("")
    return render(request, "volunteering/teams/_person_results.html", context)


@require_perm("volunteering.teams_manage")
def person_pick(request: HttpRequest) -> HttpResponse:
    """The picker's "选用" (htmx): the number field filled with the person chosen (in scope, or 404)."""
    field = request.GET.get("field", "")
    picked = _pick(request)
    if field not in PICKER_FIELDS or picked is None:
        raise Http404
    return render(request, "volunteering/teams/_person_picked.html", {"field": field, "picked": picked})


def _pick(request: HttpRequest) -> Person | None:
    pk = parse_id(request.GET.get("pick"))
    return Person.objects.visible_to(request.user).available().filter(pk=pk).first() if pk else None


@require_perm("volunteering.teams_manage")
def team_create(request: HttpRequest) -> HttpResponse:
    picked = _pick(request)
    form = TeamForm(request.POST or None, user=request.user, initial={"leader": picked.pk if picked else None})
    done: dict[str, Team] = {}

    def action() -> None:
        done["team"] = services.create_team(actor=signed_in(request), **form.cleaned_data)

    if submit(request, form, action, _("服务队已建立")):
        return redirect("volunteering:team_detail", done["team"].pk)
    return render(
        request,
        "volunteering/teams/team_form.html",
        {"form": form, "team": None, "picked": picked} | _person_search(request),
    )


@require_perm("volunteering.teams_manage")
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_visible_or_404(Team.objects.select_related("specialty", "district", "leader"), request.user, pk=pk)
    picked = _pick(request)
    initial = {
        "name": team.name,
        "specialty": team.specialty_id,
        "leader": picked.pk if picked else team.leader_id,
        "founded": team.founded,
        "description": team.description,
        "active": team.active,
    }
    form = TeamForm(request.POST or None, user=request.user, editing=True, initial=initial)
    action = lambda: services.update_team(actor=signed_in(request), team=team, **form.cleaned_data)  # noqa: E731
    if submit(request, form, action, _("已保存")):
        return redirect("volunteering:team_detail", team.pk)
    return render(
        request,
        "volunteering/teams/team_form.html",
        {"form": form, "team": team, "picked": picked} | _person_search(request),
    )


@require_perm("volunteering.teams_manage")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_visible_or_404(Team.objects.select_related("specialty", "district"), request.user, pk=pk)
    picked = _pick(request)
    form = MemberForm(
        request.POST or None,
        user=request.user,
        initial={"person": picked.pk if picked else None, "joined": timezone.localdate()},
    )
    action = lambda: services.add_member(actor=signed_in(request), team=team, **form.cleaned_data)  # noqa: E731
    if submit(request, form, action, _("已加入本队")):
        return redirect("volunteering:team_detail", team.pk)
    return render(
        request,
        "volunteering/teams/member_form.html",
        {"form": form, "team": team, "picked": picked} | _person_search(request),
    )


@require_perm("volunteering.teams_manage")
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible_or_404(TeamMember.objects.select_related("team", "person"), request.user, pk=pk)
    form = LeaveForm(request.POST or None, initial={"left": timezone.localdate()})
    action = lambda: services.end_membership(actor=signed_in(request), member=member, **form.cleaned_data)  # noqa: E731
    if submit(request, form, action, _("已办理离队")):
        return redirect("volunteering:team_detail", member.team_id)
    return render(request, "volunteering/teams/member_end.html", {"form": form, "member": member, "team": member.team})


def _may_record(user: Any, team: Team) -> bool:
    return has_perm(user, "volunteering.teams_manage") or (
        team.leader_id is not None and team.leader is not None and team.leader.user_id == user.pk
    )


@require_perm("volunteering.teams_view")
def activity_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff (or the team's leader) record an activity by hand, with hours per member."""
    team = get_visible_or_404(Team.objects.select_related("specialty", "district", "leader"), request.user, pk=pk)
    if not _may_record(request.user, team):
        raise PermissionDenied
    members = list(selectors.roster(team).filter(left__isnull=True))
    form = LeaderActivityForm(
        request.POST or None, request.FILES or None, team=team, members=members, initial={"date": timezone.localdate()}
    )

    def action() -> None:
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("h_")}
        photo = data.pop("photos", None)
        services.record_activity(
            actor=signed_in(request), team=team, hours=form.hours(), photos=[photo] if photo else [], **data
        )

    if submit(request, form, action, _("活动已登记")):
        return redirect("volunteering:team_detail", team.pk)
    hour_fields = [form[f"h_{m.person_id}"] for m in members]
    return render(
        request,
        "volunteering/teams/activity_form.html",
        {"form": form, "team": team, "hour_fields": hour_fields},
    )
