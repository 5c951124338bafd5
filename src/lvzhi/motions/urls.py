from django.urls import path

from . import views

app_name = "motions"
urlpatterns = [
    path("", views.motion_list_view, name="list"),
    path("new/", views.motion_create_view, name="create"),
    path("<int:pk>/", views.motion_detail_view, name="detail"),
    path("<int:pk>/edit/", views.motion_edit_view, name="edit"),
    path("<int:pk>/sign/", views.motion_sign_view, name="sign"),
    path("<int:pk>/submit/", views.motion_submit_view, name="submit"),
    path("<int:pk>/withdraw/", views.motion_withdraw_view, name="withdraw"),
    path("<int:pk>/decide/", views.motion_decide_view, name="decide"),
    path("<int:pk>/activities/new/", views.motion_activity_create_view, name="activity_create"),
    path(
        "<int:pk>/activities/<int:activity_pk>/attendance/",
        views.motion_activity_attendance_view,
        name="activity_attendance",
    ),
    path("<int:pk>/report/", views.motion_report_view, name="report"),
    path("<int:pk>/report/file/", views.motion_report_file_view, name="report_file"),
    path("<int:pk>/close/", views.motion_close_view, name="close"),
]
