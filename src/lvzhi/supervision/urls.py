"""Supervision pages, under /supervision/. Notifications link to ``/supervision/<id>/``,
``/supervision/campaigns/<id>/`` and ``/supervision/meetings/<id>/``."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.item_list_view, name="list"),
    path("new/", views.item_start_view, name="start"),
    path("carry-over/", views.carry_over_view, name="carry_over"),
    path("<int:pk>/", views.item_detail_view, name="detail"),
    path("<int:pk>/edit/", views.item_edit_view, name="edit"),
    path("<int:pk>/activities/", views.item_activity_view, name="record_activity"),
    path("<int:pk>/finish/", views.item_finish_view, name="finish"),
    path("<int:pk>/reopen/", views.item_reopen_view, name="reopen"),
    path("campaigns/", views.campaign_list_view, name="campaigns"),
    path("campaigns/new/", views.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail_view, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit_view, name="campaign_edit"),
    path("campaigns/<int:pk>/add/", views.campaign_add_view, name="campaign_add"),
    path(
        "campaigns/<int:pk>/remove/<int:suggestion_pk>/", views.campaign_remove_view, name="campaign_remove"
    ),
    path("meetings/", views.meeting_list_view, name="meetings"),
    path("meetings/new/", views.meeting_new_view, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail_view, name="meeting_detail"),
]
