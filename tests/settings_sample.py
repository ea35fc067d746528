"""The project's settings plus one test-only app (tests/sample_app), to prove that installing an app is
all the registration it needs (tests/test_adding_an_app.py)."""

from laomo.settings import *  # noqa: F403 - the same settings, one app more
from laomo.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sample_app"]
ROOT_URLCONF = "tests.urls_sample"
