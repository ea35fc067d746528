"""The registry's catalogues, kept under 系统管理: 荣誉称号 (honour titles, with their level and the
level whose benefits they carry) and 工种 (trades). Reference data the census import and the
registry read; edited by city staff and the system administrator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
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


def _catalogue_form(
    request: HttpRequest,
    obj: HonourTitle | Trade | None,
    *,
    kind: str,
    form_class: type[HonourTitleForm] | type[TradeForm],
    fields: tuple[str, ...],
    save: Callable[[dict[str, Any]], object],
    back: str,
) -> HttpResponse:
    """New or edit, for either catalogue: the form, the service ``save(data)``, back to the list."""
    initial = {f: getattr(obj, f) for f in fields} if obj else ({"active": True} if kind == "title" else {})
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"sort": form.cleaned_data.get("sort") or 0}
        try:
            save(data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("操作成功"))
            return redirect(back)
    return render(request, T + "catalogue_form.html", {"form": form, "object": obj, "kind": kind})


def _title_form_view(request: HttpRequest, title: HonourTitle | None) -> HttpResponse:
    actor = signed_in(request)

    def save(data: dict[str, Any]) -> object:
        if title is None:
            return catalogue_services.create_honour_title(actor=actor, data=data)
        return catalogue_services.update_honour_title(actor=actor, title=title, data=data)

    fields = catalogue_services.TITLE_FIELDS
    return _catalogue_form(
        request, title, kind="title", form_class=HonourTitleForm, fields=fields, save=save, back="people:honour_titles"
    )


@require_perm("catalogues.edit")
def honour_title_create(request: HttpRequest) -> HttpResponse:
    return _title_form_view(request, None)


@require_perm("catalogues.edit")
def honour_title_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _title_form_view(request, get_object_or_404(HonourTitle, pk=pk))


@require_perm("catalogues.edit")
def trades(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = Trade.objects.all()
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(category__contains=q) | qs.filter(code__startswith=q)
    return render(request, T + "trades.html", {"q": q, **page_context(request, qs.order_by("sort", "id"))})


def _trade_form_view(request: HttpRequest, trade: Trade | None) -> HttpResponse:
    actor = signed_in(request)

    def save(data: dict[str, Any]) -> object:
        if trade is None:
            return catalogue_services.create_trade(actor=actor, data=data)
        return catalogue_services.update_trade(actor=actor, trade=trade, data=data)

    fields = catalogue_services.TRADE_FIELDS
    return _catalogue_form(
        request, trade, kind="trade", form_class=TradeForm, fields=fields, save=save, back="people:trades"
    )


@require_perm("catalogues.edit")
def trade_create(request: HttpRequest) -> HttpResponse:
    return _trade_form_view(request, None)


@require_perm("catalogues.edit")
def trade_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _trade_form_view(request, get_object_or_404(Trade, pk=pk))
