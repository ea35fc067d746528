"""One permission matrix for the whole application (see core/tests/matrix.py)."""

from __future__ import annotations

import pkgutil
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.tests.matrix import Route
from tests.cast import CAST_NAMES, login

# URL names that are deliberately not routes of their own (none yet).
EXEMPT: set[str] = set()


def _all_routes() -> list[Route]:
    """ROUTES from every ``<app>/tests/permission_matrix*.py`` module."""
    routes: list[Route] = []
    for config in apps.get_app_configs():
        try:
            tests = import_module(f"{config.name}.tests")
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(tests.__path__), key=lambda m: m.name):
            if info.name.startswith("permission_matrix"):
                routes.extend(import_module(f"{config.name}.tests.{info.name}").ROUTES)
    return routes


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            names |= _url_names(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            names.add(f"{namespace}{p.name}")
    return names


ROUTES = _all_routes()


def test_every_route_is_in_the_matrix() -> None:
    declared = {r.name for r in ROUTES}
    missing = _url_names(get_resolver().url_patterns) - declared - EXEMPT
    assert sorted(missing) == []


@pytest.mark.parametrize("member", CAST_NAMES)
@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_route_answers_member(route: Route, member: str, cast: Any) -> None:
    kwargs = route.setup(cast) if route.setup else (route.kwargs(cast) if callable(route.kwargs) else route.kwargs)
    client = login(Client(), cast.user(member))
    url = reverse(route.name, kwargs=kwargs)
    call = getattr(client, route.method)
    extra = {"content_type": route.content_type} if route.content_type else {}
    response = call(url, route.data or {}, **extra)
    assert response.status_code == route.expect[member], f"{member} {route.method.upper()} {url}"
