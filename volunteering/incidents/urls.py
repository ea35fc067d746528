"""volunteering.incidents: pages (included by ``volunteering/urls.py``, in the ``volunteering`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from volunteering.incidents import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("p/callouts/", views.my_callouts, name="my_callouts"),
    path("p/callouts/<int:pk>/answer/", views.my_callout_answer, name="my_callout_answer"),
    path("p/needs/login/", views.requester_login, name="requester_login"),
    path("p/needs/login/code/", views.requester_login_code, name="requester_login_code"),
    path("p/needs/", views.my_needs, name="my_needs"),
    path("p/needs/new/", views.my_need_create, name="my_need_create"),
    path("p/needs/<int:pk>/", views.my_need, name="my_need"),
]

urlpatterns += [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/teams/assign/", views.incident_assign_team, name="incident_assign_team"),
    path("callouts/<int:pk>/withdraw/", views.callout_withdraw, name="callout_withdraw"),
    path("incidents/<int:pk>/needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/propose/", views.need_propose, name="need_propose"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
]
