from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("read-all/", views.notification_read_all_view, name="read_all"),
    path("<int:pk>/read/", views.notification_read_view, name="read"),
    path("<int:pk>/open/", views.notification_open_view, name="open"),
]
