from __future__ import annotations

from typing import Any, cast

from django.contrib import messages as flash
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext

from core import selectors
from core.errors import DomainError
from core.extensions import PortalLink, module_constants
from core.forms import CodeForm, MobileForm
from core.login import complete_sign_in
from core.masking import mask_mobile
from core.models import Notification, User
from core.pages import form_error
from core.permissions import permissions_of
from core.phonecodes import CODE_MINUTES
from core.request_context import client_ip
from people.history import Item, Section
from people.models import Person
from people.services import send_sign_in_code, sign_in_by_code
from portal.history import sections_for


def home(request: HttpRequest) -> HttpResponse:
    """The phone home page for model workers, team leaders and requesters (anonymous visitors go
    to the phone sign-in page)."""
    if not request.user.is_authenticated:
        return redirect("portal:login")
    person = Person.objects.visible_to(request.user).filter(user=cast(User, request.user)).first()
    sections = sections_for(user=request.user, person=person) if person else []
    return render(
        request,
        "portal/home.html",
        {
            "person": person,
            "links": portal_links(request.user),
            "sections": [*sections, _messages_section(request.user)],
        },
    )


def _messages_section(user: Any) -> Section:
    """我的消息: the five newest in-app messages (the whole list is one tap away)."""
    items = [
        Item(
            title=note.subject or gettext("消息"),
            lines=[
                note.body[:80],
                f"{date_format(localtime(note.created), 'DATE_FORMAT')} {localtime(note.created):%H:%M}",
            ],
            tag=gettext("已读") if note.status == Notification.Status.READ else gettext("未读"),
        )
        for note in selectors.inbox_for_user(user)[:5]
    ]
    return Section(
        title=gettext("我的消息"),
        items=items,
        order=90,
        empty_text=gettext("暂无消息"),
        more_url=reverse("portal:messages"),
        more_label=gettext("查看全部消息"),
    )


# --- 劳模工匠手机登录: the mobile number the registry holds and a text-message code ----------------

LOGIN_MOBILE_KEY = "portal.login_mobile"
LOGIN_NEXT_KEY = "portal.login_next"


def _safe_next(request: HttpRequest, target: str) -> str:
    """``target`` when it is a page of this site (a path, same host), else empty."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def login(request: HttpRequest) -> HttpResponse:
    """Step 1: the mobile number (the next page reads the same whether or not a code was sent)."""
    wanted = _safe_next(request, request.GET.get("next", ""))
    if request.user.is_authenticated:
        return redirect(wanted or "portal:home")
    if wanted:  # a page opened from a text message: go there once signed in
        request.session[LOGIN_NEXT_KEY] = wanted
    form = MobileForm(request.POST or None, initial={"mobile": request.GET.get("mobile", "")})
    if request.method == "POST" and form.is_valid():
        try:
            mobile = send_sign_in_code(mobile=form.cleaned_data["mobile"], ip=client_ip(request))
        except DomainError as exc:
            form_error(form, exc)
        else:
            request.session[LOGIN_MOBILE_KEY] = mobile
            return redirect("portal:login_code")
    return render(request, "portal/login.html", {"form": form})


def login_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code. At the first sign-in the person's account is made and linked."""
    mobile = request.session.get(LOGIN_MOBILE_KEY, "")
    if request.user.is_authenticated:
        return redirect("portal:home")
    if not mobile:
        return redirect("portal:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = sign_in_by_code(mobile=mobile, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            complete_sign_in(request, account, username=mobile, backend="django.contrib.auth.backends.ModelBackend")
            wanted = _safe_next(request, request.session.pop(LOGIN_NEXT_KEY, ""))
            request.session.pop(LOGIN_MOBILE_KEY, None)
            flash.success(request, gettext("登录成功"))
            return redirect(wanted or "portal:home")
    return render(
        request,
        "portal/login_code.html",
        {"form": form, "mobile": mask_mobile(mobile), "raw_mobile": mobile, "minutes": CODE_MINUTES},
    )


def portal_links(user: User | AnonymousUser) -> list[dict[str, Any]]:
    """Each app's phone entry points (``PORTAL_LINKS`` in ``<app>/menu.py``) the user may use,
    with the count of what waits for them where the link has a badge (我的消息's unread messages)."""
    perms = permissions_of(user)
    links = []
    for _config, link in module_constants("menu", "PORTAL_LINKS", PortalLink):
        if link.perm and link.perm not in perms:
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        links.append({"label": str(link.label), "url": url, "badge": link.badge(user) if link.badge else 0})
    return links
