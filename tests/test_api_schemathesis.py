"""Schemathesis over the whole API (/api/openapi.json): every operation, with values generated
from its schema (and beyond it), signed in as the city staff member of the cast with an API
token. No answer may be a 5xx. Bounded (a few examples an operation) to stay well under a minute."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from core.services import issue_api_token
from tests.cast import Cast

# Read at collection, through the WSGI application (the schema view touches no database).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """As Django's test client does: the end of a request must not close the connection that
    holds the test's transaction (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_no_server_error(case: Any, cast: Cast) -> None:
    token = issue_api_token(actor=None, user=cast.city, name="schemathesis")
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])
