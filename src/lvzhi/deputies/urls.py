from django.urls import path

from . import import_views, views

app_name = "deputies"
urlpatterns = [
    path("", views.mandate_list_view, name="list"),
    path("new/", views.deputy_create_view, name="create"),
    path("<int:pk>/", views.mandate_detail_view, name="detail"),
    path("<int:pk>/edit/", views.mandate_edit_view, name="edit"),
    path("<int:pk>/events/new/", views.mandate_event_create_view, name="event_create"),
    path("import/", import_views.roster_import_start_view, name="import_start"),
    path("import/template.xlsx", import_views.roster_template_view, name="import_template"),
    path("import/<int:pk>/", import_views.roster_import_detail_view, name="import_detail"),
    path("import/<int:pk>/apply/", import_views.roster_import_apply_view, name="import_apply"),
]
