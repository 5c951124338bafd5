from django.urls import path

from . import own_views, sheets, views

app_name = "access"
urlpatterns = [
    path("", views.account_list_view, name="accounts"),
    path("new/", views.staff_account_create_view, name="staff_create"),
    path("deputies/", views.deputy_accounts_view, name="deputies"),
    path("letters/", views.letters_view, name="letters"),
    path("<int:pk>/", views.account_detail_view, name="detail"),
    path("<int:pk>/edit/", views.account_edit_view, name="edit"),
    path("<int:pk>/reset/", views.account_reset_view, name="reset"),
    path("<int:pk>/deactivate/", views.account_deactivate_view, name="deactivate"),
    path("<int:pk>/reactivate/", views.account_reactivate_view, name="reactivate"),
    path("sheets/", sheets.sheet_list_view, name="sheets"),
    path("sheets/<int:pk>/", sheets.sheet_detail_view, name="sheet"),
    path("sheets/<int:pk>/download/", sheets.sheet_download_view, name="sheet_download"),
    path("activate/<str:token>/", own_views.activate_view, name="activate"),
    path("me/", own_views.my_account_view, name="me"),
    path("me/password/", own_views.password_change_view, name="password"),
]
