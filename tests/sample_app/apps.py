from django.apps import AppConfig


class SampleConfig(AppConfig):
    """A capability made only of the files docs/DEVELOPING.md's 'Adding a capability' lists, installed
    only by tests/settings_sample.py: proof that the list is all a new app needs."""

    name = "tests.sample_app"
    label = "sample"
    default_auto_field = "django.db.models.BigAutoField"
