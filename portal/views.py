from __future__ import annotations

from importlib import import_module
from typing import cast

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from core.models import User
from core.permissions import permissions_of
from people.models import Person


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The phone home page for model workers, team leaders and requesters."""
    person = Person.objects.visible_to(request.user).filter(user=cast(User, request.user)).first()
    return render(request, "portal/home.html", {"person": person, "links": portal_links(request.user)})


def portal_links(user: User | AnonymousUser) -> list[dict[str, str]]:
    """Each app's phone entry points (``PORTAL_LINKS`` in ``<app>/menu.py``) the user may use."""
    perms = permissions_of(user)
    links = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.menu")
        except ModuleNotFoundError:
            continue
        for label, url_name, perm in getattr(module, "PORTAL_LINKS", []):
            if perm and perm not in perms:
                continue
            try:
                links.append({"label": str(label), "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return links
