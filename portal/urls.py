from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("messages/", views.messages, name="messages"),
    path("messages/read-all/", views.messages_read_all, name="messages_read_all"),
    path("messages/<int:pk>/", views.message, name="message"),
    path("messages/<int:pk>/open/", views.message_open, name="message_open"),
]
