"""volunteering.teams: pages (included by ``volunteering/urls.py``, in the ``volunteering`` namespace)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
