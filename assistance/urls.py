from django.urls import path

from assistance import views

app_name = "assistance"

urlpatterns = [
    # Phone pages: requesters and model workers.
    path("apply/", views.apply, name="apply"),
    path("apply/verify/", views.apply_verify, name="apply_verify"),
    path("apply/form/", views.apply_form, name="apply_form"),
    path("my/", views.my_requests, name="my_requests"),
    path("my/<int:pk>/", views.my_request, name="my_request"),
    path("my/<int:pk>/upload/", views.my_request_upload, name="my_request_upload"),
    path("my/<int:pk>/rate/", views.my_request_rate, name="my_request_rate"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("i/<str:token>/", views.answer_link, name="answer_link"),
    path("invitations/", views.my_invitations, name="my_invitations"),
    path("invitations/<int:pk>/answer/", views.my_invitation_answer, name="my_invitation_answer"),
    path("services/", views.my_services, name="my_services"),
    # Staff pages.
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/merge/", views.request_merge, name="request_merge"),
    path("requests/<int:pk>/transfer/", views.request_transfer, name="request_transfer"),
    path("requests/<int:pk>/upload/", views.request_upload, name="request_upload"),
    path("requests/<int:pk>/match/", views.request_match, name="request_match"),
    path("requests/<int:pk>/invite/", views.request_invite, name="request_invite"),
    path("requests/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("requests/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("invitation/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("people/<int:pk>/", views.person_services, name="person_services"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_edit, name="call_create"),
    path("calls/<int:pk>/", views.call_edit, name="call_edit"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_edit, name="category_create"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("figures/", views.figures, name="figures"),
    path("figures/export/", views.figures_export, name="figures_export"),
]
