"""The current request's client address, for audit entries written deep inside services."""

from __future__ import annotations

import functools
import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

_ip: ContextVar[str | None] = ContextVar("laomo_ip", default=None)

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
