from __future__ import annotations

from typing import Any, cast

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import notify, selectors
from core.extensions import PortalLink, module_constants
from core.models import User
from core.permissions import permissions_of
from core.views import inbox_filter, message_target
from people.models import Person


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The phone home page for model workers, team leaders and requesters."""
    person = Person.objects.visible_to(request.user).filter(user=cast(User, request.user)).first()
    return render(request, "portal/home.html", {"person": person, "links": portal_links(request.user)})


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


# --- 我的消息: the same messages as the staff 消息中心, in large type -----------------------------


@login_required
def messages(request: HttpRequest) -> HttpResponse:
    current = inbox_filter(request)
    qs = selectors.inbox_for_user(request.user, unread_only=current == "unread")
    page = Paginator(qs, 10).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/messages.html",
        {"page": page, "filter": current, "unread": selectors.unread_count(request.user)},
    )


@login_required
def message(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.get_message(request.user, pk)
    return render(request, "portal/message.html", {"note": note})


@require_POST
@login_required
def message_open(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.get_message(request.user, pk)
    notify.mark_read(user=request.user, notification=note)
    return redirect(message_target(request, note, reverse("portal:message", kwargs={"pk": note.pk})))


@require_POST
@login_required
def messages_read_all(request: HttpRequest) -> HttpResponse:
    count = notify.mark_all_read(user=request.user)
    flash.success(request, ngettext("已将 %(n)s 条消息标为已读", "已将 %(n)s 条消息标为已读", count) % {"n": count})
    return redirect("portal:messages")
