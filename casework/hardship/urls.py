"""casework.hardship: pages (included by ``casework/urls.py``, in the ``casework`` namespace)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
