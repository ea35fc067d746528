from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/otp/", views.otp_view, name="otp"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job_download"),
    path("todo/", views.todo_list, name="todo"),
    path("messages/", views.messages_list, name="messages"),
    path("messages/read-all/", views.messages_read_all, name="messages_read_all"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("messages/<int:pk>/open/", views.message_open, name="message_open"),
    path("healthz", views.healthz, name="healthz"),
]
