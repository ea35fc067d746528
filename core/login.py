"""Sign-in policy: lockout after repeated failures (the same answer for unknown users), a fresh
session on login, a record of every attempt, and live sessions that staff can end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.models import Actor, LoginEvent, LoginFailure, UserSession
from core.request_context import client_ip

GENERIC_FAILURE = _("用户名或密码错误")
LOCKED_MESSAGE = _("登录失败次数过多，账号已暂时锁定，请{minutes}分钟后再试")


class LoginRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _normalise(username: str) -> str:
    return username.strip().lower()[:150]


def _agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


def is_locked(username: str) -> bool:
    since = timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return LoginFailure.objects.filter(username=_normalise(username), created__gte=since).count() >= (
        settings.LOGIN_MAX_FAILURES
    )


def sign_in(request: HttpRequest, username: str, password: str) -> Any:
    """Authenticate and log in, or raise LoginRefused with a message that reveals nothing
    about whether the account exists."""
    name = _normalise(username)
    ip = client_ip(request)
    if is_locked(name):
        LoginEvent.objects.create(username=name, kind=LoginEvent.Kind.LOCKED, ip=ip, user_agent=_agent(request))
        raise LoginRefused(str(LOCKED_MESSAGE).format(minutes=settings.LOGIN_LOCKOUT_MINUTES))
    user = authenticate(request, username=name, password=password)
    if user is None:
        LoginFailure.objects.create(username=name, ip=ip)
        LoginEvent.objects.create(username=name, kind=LoginEvent.Kind.FAILED, ip=ip, user_agent=_agent(request))
        if is_locked(name):
            raise LoginRefused(str(LOCKED_MESSAGE).format(minutes=settings.LOGIN_LOCKOUT_MINUTES))
        raise LoginRefused(str(GENERIC_FAILURE))
    complete_sign_in(request, user, username=name)
    return user


def complete_sign_in(request: HttpRequest, user: Any, *, username: str, backend: str | None = None) -> None:
    """Log in a user whose identity is already proven (a password here, an SMS code for requesters):
    new session key, failures cleared, the login recorded, the session listed as online."""
    login(request, user, backend=backend)  # cycles the session key: no fixation
    ip = client_ip(request)
    name = _normalise(username)
    with transaction.atomic():
        LoginFailure.objects.filter(username=name).delete()
        LoginEvent.objects.create(
            username=name, user=user, kind=LoginEvent.Kind.LOGIN, ip=ip, user_agent=_agent(request)
        )
        if request.session.session_key:
            UserSession.objects.update_or_create(
                session_key=request.session.session_key,
                defaults={"user": user, "ip": ip, "user_agent": _agent(request)},
            )


def sign_out(request: HttpRequest) -> None:
    user = request.user
    key = request.session.session_key
    if user.is_authenticated:
        LoginEvent.objects.create(
            username=user.get_username(),
            user=user,
            kind=LoginEvent.Kind.LOGOUT,
            ip=client_ip(request),
            user_agent=_agent(request),
        )
    if key:
        UserSession.objects.filter(session_key=key).delete()
    logout(request)  # flushes the session server-side


def live_sessions() -> Any:
    """Sessions whose server-side record still exists and has not expired."""
    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(session_key__in=alive).select_related("user").order_by("-last_seen")


@transaction.atomic
def end_session(*, actor: Actor, session_id: int) -> None:
    """强退: delete the server-side session so the next request is anonymous."""
    live = UserSession.objects.select_for_update().select_related("user").get(pk=session_id)
    Session.objects.filter(session_key=live.session_key).delete()
    LoginEvent.objects.create(username=live.user.get_username(), user=live.user, kind=LoginEvent.Kind.TIMEOUT)
    log_action(actor, "security.session.ended", live.user, changes={"session": live.pk})
    live.delete()


def unlock(*, actor: Actor, username: str) -> int:
    with transaction.atomic():
        count, _ = LoginFailure.objects.filter(username=_normalise(username)).delete()
        log_action(actor, "security.account.unlocked", object_repr=username)
    return count
