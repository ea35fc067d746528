"""casework tests: the 信访 tests count deadlines in working days, so they need the 工作日历 for the
years around today (and 2020–2022 for the hand-counted cases). Loaded inside each test's transaction."""

from __future__ import annotations

import pytest

from casework.tests.petitions_calendar import load_test_calendar


@pytest.fixture(autouse=True)
def _petitions_calendar(request: pytest.FixtureRequest) -> None:
    if not request.module.__name__.rsplit(".", 1)[-1].startswith("test_petitions"):
        return
    names = set(request.fixturenames)
    if "no_calendar" in names:
        return
    if "cast" in names:
        request.getfixturevalue("cast")
    elif names & {"transactional_db", "live_server", "tcast"}:
        if "tcast" in names:
            request.getfixturevalue("tcast")
        else:
            request.getfixturevalue("transactional_db")
    elif request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    load_test_calendar()


@pytest.fixture
def no_calendar() -> None:
    """Asked for by a 信访 test that wants the working-day calendar left empty."""
