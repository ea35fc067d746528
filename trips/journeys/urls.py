"""trips.journeys: pages (included by ``trips/urls.py``, in the ``trips`` namespace)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
