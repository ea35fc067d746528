"""The current request's client address, for audit entries written deep inside services, and the
site's own address, for links in text messages written deep inside services."""

from __future__ import annotations

from contextvars import ContextVar, Token

from django.conf import settings
from django.http import HttpRequest

_ip: ContextVar[str | None] = ContextVar("laomo_ip", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("laomo_request", default=None)

# Where links point when neither LAOMO_SITE_URL nor a request says (``runserver``'s default).
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def set_current_ip(ip: str | None) -> None:
    _ip.set(ip)


def current_ip() -> str | None:
    return _ip.get()


def set_current_request(request: HttpRequest | None) -> Token[HttpRequest | None]:
    return _request.set(request)


def reset_current_request(token: Token[HttpRequest | None]) -> None:
    _request.reset(token)


def site_url() -> str:
    """The address links in text messages start with (no trailing slash): ``LAOMO_SITE_URL`` when
    set (production: the public https address), else the address the current request came to
    (the demo on whatever port it runs), else, outside a request in development, runserver's."""
    configured = str(getattr(settings, "LAOMO_SITE_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    request = _request.get()
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEVELOPMENT_SITE_URL if settings.DEBUG else ""
