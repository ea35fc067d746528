"""What every app's views share: one paginator with one page-size list, and one way to show a
``DomainError`` (beside its field in a form, or as a message at the top of the page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from core.errors import DomainError

#: RuoYi-style 条/页 choices
PAGE_SIZES = (10, 20, 50, 100)


def page_of(request: HttpRequest, qs: Any, *, default_size: int = 20) -> Page:
    """The page asked for by ``page`` and ``size`` (one of PAGE_SIZES) in the query string;
    a bad or out-of-range value gives the nearest page, never an error."""
    try:
        size = int(request.GET.get("size", default_size))
    except ValueError:
        size = default_size
    if size not in PAGE_SIZES:
        size = default_size
    paginator = Paginator(qs, size)
    page = paginator.get_page(request.GET.get("page"))
    # the page numbers to show: 1 … 4 5 [6] 7 8 … 20
    page.links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))  # type: ignore[attr-defined]
    return page


def page_context(request: HttpRequest, qs: Any, *, default_size: int = 20) -> dict[str, Any]:
    """``page``, the query string to keep in page links (``keep``) and ``sizes``, for
    ``core/system/_pagination.html``."""
    keep = [(k, v) for k, v in request.GET.items() if k not in {"page", "size"}]
    return {"page": page_of(request, qs, default_size=default_size), "keep": keep, "sizes": PAGE_SIZES}


def form_error(form: forms.BaseForm, exc: DomainError) -> None:
    """The refusal beside the field it names, or at the top of the form. A form whose fields are
    named differently from the service's says so in ``field_aliases`` (service name → form name)."""
    field = getattr(form, "field_aliases", {}).get(exc.field or "", exc.field)
    form.add_error(field if field and field in form.fields else None, exc.message)


def message_error(request: HttpRequest, exc: DomainError) -> None:
    """The refusal of an act that has no form (a button), at the top of the next page."""
    messages.error(request, exc.message)


def _done(
    request: HttpRequest,
    action: Callable[[], Any],
    success: str | Callable[[Any], str],
    refused: Callable[[DomainError], None],
) -> bool:
    """Run ``action`` (a service call): say ``success`` (or ``success(result)`` when the message
    depends on what was done) at the top of the next page, or hand the refusal to ``refused``.
    True when it was done."""
    try:
        result = action()
    except DomainError as exc:
        refused(exc)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def act(request: HttpRequest, action: Callable[[], Any], success: str | Callable[[Any], str]) -> bool:
    """A button's act (no form): run ``action`` (a service call); say ``success`` at the top of the
    next page, or the refusal. True when it was done."""
    return _done(request, action, success, lambda exc: message_error(request, exc))


def submit(
    request: HttpRequest, form: forms.BaseForm, action: Callable[[], Any], success: str | Callable[[Any], str]
) -> bool:
    """A form's act: when ``form`` is posted and valid, run ``action`` (a service call reading
    ``form.cleaned_data``); say ``success`` at the top of the next page, or show the refusal beside
    its field. True when it was done (the caller then redirects)."""
    if request.method != "POST" or not form.is_valid():
        return False
    return _done(request, action, success, lambda exc: form_error(form, exc))
