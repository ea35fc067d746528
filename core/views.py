from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from core import login as login_service
from core import notify, otp, selectors
from core.forms import LoginForm, OtpForm
from core.home import home_parts
from core.models import Job, Role
from core.pages import page_context
from core.permissions import is_staff_user, require_staff, roles_of
from core.todo import todo_for
from core.todo import total as todo_total


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            login_service.sign_in(request, form.cleaned_data["username"], form.cleaned_data["password"])
        except login_service.LoginRefused as refused:
            error = refused.message
        else:
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            if is_staff_user(request.user):
                return redirect(f"{reverse_otp()}?next={target}" if target else reverse_otp())
            return redirect(target or "core:home")
    return render(request, "core/login.html", {"form": form, "error": error})


def reverse_otp() -> str:

    return reverse("core:otp")


@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect("core:home")
    device = otp.confirmed_device(request.user)
    setup = device is None
    pending = otp.pending_device(request.user) if setup else None
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.verify_token(request, form.cleaned_data["token"]):
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            return redirect(target or "core:home")
        form.add_error("token", gettext("动态口令不正确或已过期，请输入认证器上最新的6位数字"))
    context = {"form": form, "setup": setup}
    if pending is not None:
        context |= {"qr": otp.qr_svg(pending), "secret": pending_secret(pending)}
    return render(request, "core/otp.html", context)


def pending_secret(device: otp.TOTPDevice) -> str:

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    login_service.sign_out(request)
    return redirect("core:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    if not is_staff_user(request.user) and roles & {Role.MODEL_WORKER, Role.REQUESTER, Role.TEAM_LEADER}:
        return redirect("portal:home")
    cards, charts = home_parts(request.user)
    chart_data = [{"title": c.title, "categories": c.categories, "series": c.series, "url": c.url} for c in charts]
    todo = todo_for(request.user)
    return render(
        request,
        "core/home.html",
        # todo_total: the top bar's count from the same items (no second run of the hooks)
        {"cards": cards, "charts": charts, "chart_data": chart_data, "todo": todo, "todo_total": todo_total(todo)},
    )


@require_staff
def todo_list(request: HttpRequest) -> HttpResponse:
    """待办: everything waiting for the user, from every app's ``todo_items`` (core.todo)."""
    todo = todo_for(request.user)
    # grouped by app, the group with the most pressing item first (the order within is kept)
    first = {item.app: i for i, item in reversed(list(enumerate(todo)))}
    grouped = sorted(todo, key=lambda item: first[item.app])
    return render(request, "core/todo.html", {"todo": grouped, "todo_total": todo_total(todo)})


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    # A job is its creator's alone.
    job = get_object_or_404(Job, pk=job_id, created_by=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "core/_job_progress.html", {"job": job})
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"status": job.status, "done": job.done, "total": job.total, "percent": job.percent, "message": job.message}
        )
    return render(request, "core/job.html", {"job": job})


@login_required
def job_download(request: HttpRequest, job_id: str) -> HttpResponseBase:

    job = get_object_or_404(Job, pk=job_id, created_by=request.user)
    if not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result.get("filename"))


# --- 消息中心: the signed-in user's own in-app messages ----------------------------------------


def inbox_filter(request: HttpRequest) -> str:
    return "unread" if request.GET.get("filter") == "unread" else "all"


def message_target(request: HttpRequest, note: Any, detail_url: str) -> str:
    """Where opening a message leads: its link when it stays on this site, else its own page.
    Links are written by our services, but a stored URL is still never an open redirect."""
    link = note.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}, require_https=False):
        return str(link)
    return detail_url


# The inbox serves two sites with the same views: staff pages (``core``) and the phone pages
# (``portal``, large type, 10 a page); ``site`` names the template folder and the URL namespace.


@login_required
def messages_list(request: HttpRequest, site: str = "core") -> HttpResponse:
    current = inbox_filter(request)
    qs = selectors.inbox_for_user(request.user, unread_only=current == "unread")
    context = page_context(request, qs, default_size=10 if site == "portal" else 20)
    if site == "portal":  # staff pages show the count in the bell already
        context["unread"] = selectors.unread_count(request.user)
    return render(request, f"{site}/messages.html", {**context, "filter": current})


@login_required
def message_detail(request: HttpRequest, pk: int, site: str = "core") -> HttpResponse:
    note = selectors.get_message(request.user, pk)
    return render(request, f"{site}/message.html", {"note": note})


@require_POST
@login_required
def message_open(request: HttpRequest, pk: int, site: str = "core") -> HttpResponse:
    note = selectors.get_message(request.user, pk)
    notify.mark_read(user=request.user, notification=note)
    return redirect(message_target(request, note, reverse(f"{site}:message", kwargs={"pk": note.pk})))


@require_POST
@login_required
def messages_read_all(request: HttpRequest, site: str = "core") -> HttpResponse:
    count = notify.mark_all_read(user=request.user)
    messages.success(request, ngettext("已将 %(n)s 条消息标为已读", "已将 %(n)s 条消息标为已读", count) % {"n": count})
    return redirect(f"{site}:messages")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


__all__ = ["messages"]
