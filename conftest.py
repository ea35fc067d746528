from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from tests.cast import Cast, build_cast, cast_keys, fetch_cast, let_test_flush_clear_the_audit_log, login

let_test_flush_clear_the_audit_log()

# Fixtures that make a test transactional (pytest-django): such tests cannot run inside the shared
# cast's transaction and build their own cast.
_TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


class SharedCast:
    """The cast, built once per test worker inside an outer transaction that stays open while
    consecutive tests use it (Django's ``setUpTestData`` pattern). Each test's own transaction
    (pytest-django's ``db``) is a savepoint inside it, rolled back after the test; the outer one is
    rolled back before the first test that does not use the cast, and at the end."""

    def __init__(self) -> None:
        self.atomic: Any = None
        self.blocker: Any = None
        self.keys: dict[str, int] = {}

    def open(self, blocker: Any) -> bool:
        """Open the outer transaction and build the cast in it; False if another transaction is
        already open (then the test builds its own cast)."""
        if self.atomic is not None:
            return True
        with blocker.unblock():
            if connection.in_atomic_block:
                return False
            atomic = transaction.atomic()
            atomic._from_testcase = True  # type: ignore[attr-defined]  # durable blocks may nest in it
            atomic.__enter__()
            try:
                self.keys = cast_keys(build_cast())
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        self.atomic, self.blocker = atomic, blocker
        return True

    def close(self) -> None:
        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


SHARED_CAST = SharedCast()


def _uses_shared_cast(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    if "cast" not in names or names & _TRANSACTIONAL:
        return False
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return True
    transactional = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    return not (transactional or marker.kwargs.get("reset_sequences"))


@pytest.fixture(scope="session")
def _shared_cast_session(django_db_setup: None, django_db_blocker: Any) -> Iterator[SharedCast]:
    yield SHARED_CAST
    SHARED_CAST.close()  # before the test database goes


@pytest.fixture
def _shared_cast(_shared_cast_session: SharedCast, django_db_blocker: Any) -> bool:
    """First fixture of every test that uses the shared cast (see pytest_collection_modifyitems):
    the outer transaction must be open before the test's own."""
    return _shared_cast_session.open(django_db_blocker)


@pytest.fixture
def cast(request: pytest.FixtureRequest, db: None) -> Cast:
    """The cast: fresh Python objects each test (nothing cached on them leaks), rows built once per
    worker when the test runs inside the shared cast's transaction, else built for this test."""
    if "_shared_cast" in request.fixturenames and request.getfixturevalue("_shared_cast"):
        return fetch_cast(SHARED_CAST.keys)
    return build_cast()


@pytest.fixture
def client_for(cast: Cast):  # type: ignore[no-untyped-def]
    """``client_for("district_a")`` → a Client signed in as that member of the cast."""

    def make(name: str) -> Client:
        return login(Client(), cast.user(name))

    return make


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that use the cast open the shared cast's transaction before any other fixture.
    Tests marked ``postgres`` need row locks and real concurrency: skip them on SQLite."""

    for item in items:
        if _uses_shared_cast(item):
            item.fixturenames.insert(0, "_shared_cast")  # type: ignore[attr-defined]

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if not _uses_shared_cast(item):
        SHARED_CAST.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the test's own transaction is rolled back: roll the shared cast back too unless the
    next test uses it (the last test: the session fixture does it, before the database goes)."""
    try:
        return (yield)
    finally:
        if nextitem is not None and not _uses_shared_cast(nextitem):
            SHARED_CAST.close()


# Headless Chromium (Debian's package) driven by Playwright against pytest-django's live server.
CHROMIUM = os.environ.get("LAOMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def screenshots_dir() -> Path:
    path = Path(settings.BASE_DIR) / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser(live_server: Any) -> Iterator[Any]:
    """A Chromium browser; skips (with the reason) where Chromium or Playwright is missing."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
