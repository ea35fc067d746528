"""The registry's catalogues, kept under 系统管理: 荣誉称号 (honour titles, with their level and the
level whose benefits they carry) and 工种 (trades). Reference data the census import and the
registry read; edited by city staff and the system administrator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import Actor
from core.pages import form_error, page_context
from core.permissions import require_perm, signed_in
from people import catalogue_services
from people.forms import HonourTitleForm, TradeForm
from people.models import HonourTitle, Trade

T = "people/catalogues/"


@require_perm("catalogues.edit")
def honour_titles(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = HonourTitle.objects.all()
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(aliases__contains=q)
    return render(request, T + "honour_titles.html", {"q": q, **page_context(request, qs.order_by("sort", "id"))})


@dataclass(frozen=True)
class _Catalogue:
    """One catalogue's form page: its form, the fields it edits, the services that save it."""

    kind: str  # the template's word for it: "title" or "trade"
    form_class: type[HonourTitleForm] | type[TradeForm]
    fields: tuple[str, ...]
    create: Callable[..., object]  # create(actor=, data=)
    update: Callable[[Actor, Any, dict[str, Any]], object]  # update(actor, obj, data)
    back: str
    initial: dict[str, Any]


_TITLES = _Catalogue(
    kind="title",
    form_class=HonourTitleForm,
    fields=catalogue_services.TITLE_FIELDS,
    create=catalogue_services.create_honour_title,
    update=lambda actor, title, data: catalogue_services.update_honour_title(actor=actor, title=title, data=data),
    back="people:honour_titles",
    initial={"active": True},
)
_TRADES = _Catalogue(
    kind="trade",
    form_class=TradeForm,
    fields=catalogue_services.TRADE_FIELDS,
    create=catalogue_services.create_trade,
    update=lambda actor, trade, data: catalogue_services.update_trade(actor=actor, trade=trade, data=data),
    back="people:trades",
    initial={},
)


def _catalogue_form(request: HttpRequest, catalogue: _Catalogue, obj: HonourTitle | Trade | None) -> HttpResponse:
    """New or edit, for either catalogue: the form, the service that saves it, back to the list."""
    actor = signed_in(request)
    initial = {f: getattr(obj, f) for f in catalogue.fields} if obj else catalogue.initial
    form = catalogue.form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"sort": form.cleaned_data.get("sort") or 0}
        try:
            if obj is None:
                catalogue.create(actor=actor, data=data)
            else:
                catalogue.update(actor, obj, data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("操作成功"))
            return redirect(catalogue.back)
    return render(request, T + "catalogue_form.html", {"form": form, "object": obj, "kind": catalogue.kind})


@require_perm("catalogues.edit")
def honour_title_create(request: HttpRequest) -> HttpResponse:
    return _catalogue_form(request, _TITLES, None)


@require_perm("catalogues.edit")
def honour_title_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _catalogue_form(request, _TITLES, get_object_or_404(HonourTitle, pk=pk))


@require_perm("catalogues.edit")
def trades(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = Trade.objects.all()
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(category__contains=q) | qs.filter(code__startswith=q)
    return render(request, T + "trades.html", {"q": q, **page_context(request, qs.order_by("sort", "id"))})


@require_perm("catalogues.edit")
def trade_create(request: HttpRequest) -> HttpResponse:
    return _catalogue_form(request, _TRADES, None)


@require_perm("catalogues.edit")
def trade_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _catalogue_form(request, _TRADES, get_object_or_404(Trade, pk=pk))
