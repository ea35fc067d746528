from __future__ import annotations

import pytest
from django.test import Client

from core.testing import Cast, build_cast, login


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(cast: Cast):  # type: ignore[no-untyped-def]
    """``client_for("district_a")`` → a Client signed in as that member of the cast."""

    def make(name: str) -> Client:
        return login(Client(), cast.user(name))

    return make
