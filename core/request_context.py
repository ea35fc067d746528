"""The current request's client address, for audit entries written deep inside services."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

_ip: ContextVar[str | None] = ContextVar("laomo_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def set_current_ip(ip: str | None) -> None:
    _ip.set(ip)


def current_ip() -> str | None:
    return _ip.get()
