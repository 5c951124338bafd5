"""/organizations/: the structure pages of the deputy-affairs office.

``<kind>`` is a slug from ``selectors.KINDS``: congresses, terms, sessions, electoral-units,
deputy-groups, committees, handling-units, fields.
"""

from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/", views.structure_list, name="list"),
    path("<slug:kind>/new/", views.structure_create, name="create"),
    path("<slug:kind>/<int:pk>/edit/", views.structure_edit, name="edit"),
    path("<slug:kind>/<int:pk>/delete/", views.structure_delete, name="delete"),
]
