"""The sample app's tests run only where it is installed (tests/settings_sample.py)."""

from django.conf import settings

collect_ignore_glob = [] if "tests.sample_app" in settings.INSTALLED_APPS else ["*"]
