from __future__ import annotations

from typing import Any

import pytest

from core import notify


@pytest.fixture
def sms(settings: Any) -> list[tuple[str, str]]:
    """Text messages sent, in order (the memory gateway)."""
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    return notify.MemorySmsBackend.outbox
