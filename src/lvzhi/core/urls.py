from django.urls import path

from . import calendar_views, views

app_name = "core"
urlpatterns = [
    path("ping/", views.ping, name="ping"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/days/", calendar_views.calendar_day_save, name="calendar_day_save"),
    path("calendar/days/delete/", calendar_views.calendar_day_delete, name="calendar_day_delete"),
    path(
        "calendar/<int:year>/complete/", calendar_views.calendar_year_complete, name="calendar_year_complete"
    ),
    path(
        "calendar/deadlines/recompute/",
        calendar_views.calendar_deadlines_recompute,
        name="calendar_deadlines_recompute",
    ),
]
