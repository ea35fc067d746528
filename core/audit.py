"""The audit log: services call ``log_action`` inside their transaction.

The log is append-only in the database itself (migrations 0002 and 0005): on PostgreSQL and on
SQLite a trigger refuses every UPDATE, and every DELETE except the retention purge's
(``purge_audit_log``) of rows older than both the cutoff the purge announces and
``AUDIT_MIN_RETENTION_DAYS`` (checked by the trigger against the database's clock, whatever a
session sets). PostgreSQL also refuses TRUNCATE.
"""

from __future__ import annotations

import datetime as dt
import decimal
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from core.masking import scrub
from core.models import Actor, AuditEntry
from core.request_context import current_ip


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def log_action(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """Record who did what to which object. ``changes`` is ``{field: [before, after]}`` or any
    detail worth keeping; full ID and bank numbers are masked on the way in."""
    authenticated = getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_name=str(actor) if authenticated else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=scrub(object_repr if object_repr is not None else (str(obj) if obj is not None else ""))[:200],
        changes=_plain(changes or {}),
        ip=current_ip(),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


# 网络安全法: logs are kept at least six months. The triggers hold this figure too (0005).
AUDIT_MIN_RETENTION_DAYS = 183

# SQLite's purge flag: the cutoff (in the column's stored form) while ``purge_audit_log`` deletes,
# read by the trigger through the connection function below. Nothing but that function sets it,
# and it lives in this process, not in any table a statement could write.
_purge_before: ContextVar[str | None] = ContextVar("laomo_audit_purge_before", default=None)


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: give each SQLite connection ``laomo_audit_purge_before()``,
    which the audit log's DELETE trigger calls. A connection without it (the sqlite3 shell)
    cannot delete audit entries at all."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("laomo_audit_purge_before", 0, _purge_before.get)


def purge_audit_log(*, now: dt.datetime | None = None) -> tuple[int, dt.datetime]:
    """The retention job (``manage.py purge_audit_log``): delete entries older than
    ``AUDIT_RETENTION_DAYS`` (never less than six months), and log the purge itself as an entry.
    Returns (count, cutoff)."""
    days = max(settings.AUDIT_RETENTION_DAYS, AUDIT_MIN_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with transaction.atomic():
        token = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('laomo.audit_purge_before', %s, true)", [cutoff.isoformat()])
        else:
            token = _purge_before.set(str(connection.ops.adapt_datetimefield_value(cutoff)))
        try:
            count, _by_model = AuditEntry.objects.filter(created__lt=cutoff).delete()
        finally:
            if token is not None:
                _purge_before.reset(token)
            else:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('laomo.audit_purge_before', '', true)")
        log_action(
            None,
            "core.audit.purged",
            changes={"cutoff": cutoff, "retention_days": days, "count": count},
            object_repr=f"清理 {cutoff:%Y-%m-%d} 以前的操作日志 {count} 条",
        )
    return count, cutoff
