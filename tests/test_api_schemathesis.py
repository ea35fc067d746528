"""Schemathesis over the whole API (/api/openapi.json): every operation, with values generated
from its schema (and beyond it), signed in as the city staff member of the cast with an API
token. No answer may be a 5xx. Bounded (a few examples an operation) to stay well under a minute."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from core.services import issue_api_token
from core.testing import Cast

# Read at collection, through the WSGI application (the schema view touches no database).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
pytestmark = pytest.mark.django_db


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
