from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from core.crypto import keyed_hash
from core.models import ApiToken
from core.permissions import is_staff_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(key_hash=keyed_hash(token), revoked=False).first()
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        # At most one write a minute per token: a read-only API call should not commit.
        if found.last_used is None or now - found.last_used > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        return found.user


class SessionAuthCsrf(APIKeyCookie):
    """The browser session, with CSRF on writes; staff sessions count only after the second factor."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if settings.REQUIRE_STAFF_2FA and is_staff_user(user) and not user.is_verified():  # type: ignore[union-attr,attr-defined]
            return None
        return user
