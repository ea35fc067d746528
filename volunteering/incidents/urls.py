"""volunteering.incidents: pages (included by ``volunteering/urls.py``, in the ``volunteering`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from volunteering.incidents import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("p/callouts/", views.my_callouts, name="my_callouts"),
    path("p/callouts/<int:pk>/answer/", views.my_callout_answer, name="my_callout_answer"),
]

urlpatterns += [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/teams/assign/", views.incident_assign_team, name="incident_assign_team"),
    path("callouts/<int:pk>/withdraw/", views.callout_withdraw, name="callout_withdraw"),
    path("incidents/<int:pk>/needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/propose/", views.need_propose, name="need_propose"),
]
