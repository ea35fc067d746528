"""The client's address comes from X-Forwarded-For only through a configured trusted proxy:
for the text-message limits, the login log and the audit log alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from core.audit import log_action
from core.models import LoginEvent
from core.request_context import client_ip, set_current_ip
from laomo import settings as laomo_settings
from laomo.env import env_ip_networks
from tests.cast import PASSWORD


def _ip(peer: str, forwarded: str | None = None) -> str | None:
    request = RequestFactory().get("/", REMOTE_ADDR=peer)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(request)


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "expected"),
    [
        ([], "203.0.113.7", "1.2.3.4", "203.0.113.7"),  # no proxy configured: the header is ignored
        (["10.0.0.1"], "203.0.113.7", "1.2.3.4", "203.0.113.7"),  # a peer that is no proxy
        (["10.0.0.1"], "10.0.0.1", "198.51.100.20", "198.51.100.20"),
        (["10.0.0.1"], "10.0.0.1", None, "10.0.0.1"),
        # What the client wrote itself sits to the left of what the proxy appended.
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 198.51.100.20", "198.51.100.20"),
        # Two proxies (a network and an address): past both to the first untrusted hop.
        (["10.0.0.0/8", "172.16.0.5"], "10.0.0.1", "6.6.6.6, 198.51.100.20, 172.16.0.5", "198.51.100.20"),
        (["10.0.0.1"], "10.0.0.1", "198.51.100.20, not-an-ip", "10.0.0.1"),
        (["2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::9, 2400:cb00::1", "2400:cb00::1"),
    ],
)
def test_forwarded_for_is_read_only_through_a_trusted_proxy(
    settings: Any, proxies: list[str], peer: str, forwarded: str | None, expected: str
) -> None:
    settings.TRUSTED_PROXIES = proxies
    assert _ip(peer, forwarded) == expected


def test_default_is_no_trusted_proxy() -> None:

    assert laomo_settings.TRUSTED_PROXIES == []


def test_a_bad_proxy_setting_stops_the_start(monkeypatch: Any) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, 10.0.0.300")
    with pytest.raises(ImproperlyConfigured) as exc:
        env_ip_networks("TRUSTED_PROXIES", [])
    assert str(exc.value) == "TRUSTED_PROXIES: '10.0.0.300' is not an IP address or network"
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12")
    assert env_ip_networks("TRUSTED_PROXIES", []) == ["10.0.0.1", "172.16.0.0/12"]


def test_login_and_audit_logs_record_the_client_behind_the_proxy(cast: Any, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    via_proxy = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20")
    via_proxy.post("/accounts/login/", {"username": "worker_a", "password": PASSWORD})
    spoofer = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.99")
    spoofer.post("/accounts/login/", {"username": "worker_b", "password": "wrong-password"})
    events = LoginEvent.objects.order_by("id").values_list("username", "kind", "ip")
    assert list(events) == [("worker_a", "login", "198.51.100.20"), ("worker_b", "failed", "203.0.113.7")]
    response = via_proxy.post("/accounts/logout/")
    assert response.status_code == 302
    assert LoginEvent.objects.get(kind="logout").ip == "198.51.100.20"


def test_audit_entries_take_the_address_of_the_request(cast: Any, settings: Any) -> None:

    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    set_current_ip(_ip("10.0.0.1", "198.51.100.20"))
    try:
        entry = log_action(cast.city, "people.person.updated", cast.person_a)
    finally:
        set_current_ip(None)
    assert entry.ip == "198.51.100.20"
