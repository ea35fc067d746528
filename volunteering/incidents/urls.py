"""volunteering.incidents: pages (included by ``volunteering/urls.py``, in the ``volunteering`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from volunteering.incidents import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("p/callouts/", views.my_callouts, name="my_callouts"),
    path("p/callouts/<int:pk>/answer/", views.my_callout_answer, name="my_callout_answer"),
]
