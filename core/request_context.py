"""The current request's client address, for audit entries written deep inside services, and the
site's own address, for links in text messages written deep inside services."""

from __future__ import annotations

import functools
import ipaddress
from contextvars import ContextVar, Token

from django.conf import settings
from django.http import HttpRequest

_ip: ContextVar[str | None] = ContextVar("laomo_ip", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("laomo_request", default=None)

# Where links point when neither LAOMO_SITE_URL nor a request says (``runserver``'s default).
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the direct peer, unless the peer is one of ``TRUSTED_PROXIES``; then
    the nearest address in ``X-Forwarded-For`` (read from the right, past further trusted
    proxies) that is not a trusted proxy. Whatever a client writes itself lies to the left of
    what the proxies appended, so it is never reached while an untrusted hop comes first."""
    peer = request.META.get("REMOTE_ADDR") or None
    if peer is None or not _trusted(peer):
        return peer
    client = peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # not an address: trust nothing further left
        client = hop
        if not _trusted(hop):
            break
    return client


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
