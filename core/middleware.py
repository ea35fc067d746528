from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation

from core.permissions import is_staff_user
from core.request_context import client_ip, reset_current_request, set_current_ip, set_current_request

# Paths a signed-in staff member may reach before the second factor is verified. Not the phone
# pages (/p/): a staff account is held at the second factor on every page it can read or change.
# The API checks the second factor itself (core.api_auth.SessionAuthCsrf).
_OTP_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")


class SecurityPolicyMiddleware:
    """Remembers the client address for the audit log (and the request, for the site address in
    text-message links) and holds staff at the second-factor
    step until they have passed it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_current_ip(client_ip(request))
        token = set_current_request(request)
        try:
            return self._respond(request)
        finally:
            reset_current_request(token)

    def _respond(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_STAFF_2FA
            and user.is_authenticated
            and not request.path.startswith(_OTP_EXEMPT_PREFIXES)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and is_staff_user(user)
        ):
            return redirect("core:otp")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """The session's age is an idle timeout (等保 2.0): a signed-in request pushes the session's
    expiry SESSION_COOKIE_AGE ahead. It does so at most once a minute (``REFRESH_SECONDS``), not
    on every request: saving the session is a database write and commit, about 5 ms of each
    page. The timeout is then 29–30 minutes instead of exactly 30."""

    REFRESH_SECONDS = 60
    KEY = "_idle_refreshed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if request.user.is_authenticated and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                session[self.KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.CONTENT_SECURITY_POLICY`` with every response that has none: scripts
    only from this site's files (no inline scripts, no eval), nothing from other hosts, so the
    pages (and /api/docs, whose Swagger UI is served from django-ninja's static files) work on an
    intranet and an injected script does not run. Page scripts live in ``static/laomo/pages/``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class NoCacheHtmlMiddleware:
    """WeChat's browser caches HTML hard: pages must say no-cache for real."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response["Cache-Control"] = "no-cache, no-store, must-revalidate, private"
            response["Pragma"] = "no-cache"
            response["Expires"] = "0"
        return response


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose otherwise (the language cookie). Browsers' own
    Accept-Language is ignored: staff machines and WeChat often say English while people read Chinese."""

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
