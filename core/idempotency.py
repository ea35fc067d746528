"""API writes done once: an ``Idempotency-Key`` header per (user, key), for every app's API."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import IdempotencyKey


class IdempotencyError(DomainError):
    """The request's Idempotency-Key is missing or was used for a different request."""


def request_fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def run_idempotent(
    *, user: Any, key: str, endpoint: str, payload: dict[str, Any], work: Callable[[], tuple[int, dict[str, Any]]]
) -> tuple[int, dict[str, Any]]:
    """Do ``work`` once per (user, key). The key row is inserted in the same transaction as the
    work, so two concurrent replays collide on the unique constraint and only one does the work;
    the other (and every later replay) gets the stored answer."""
    fingerprint = request_fingerprint(payload)
    key = key.strip()[:100]
    if not key:
        raise IdempotencyError(_("缺少 Idempotency-Key 请求头"))
    existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                user=user, key=key, endpoint=endpoint, request_hash=fingerprint, status_code=0
            )
            status, body = work()
            record.status_code, record.response = status, body
            record.save(update_fields=["status_code", "response"])
            return status, body
    except IntegrityError:
        existing = IdempotencyKey.objects.get(user=user, key=key)
        return _replay(existing, fingerprint)


def _replay(record: IdempotencyKey, fingerprint: str) -> tuple[int, dict[str, Any]]:
    if record.request_hash != fingerprint:
        raise IdempotencyError(_("该 Idempotency-Key 已用于另一个请求"))
    return record.status_code, {**record.response, "replayed": True}
