from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from lvzhi.core.views import office_only

urlpatterns = [
    path("", include("lvzhi.portal.urls")),
    path("", include("lvzhi.core.urls")),
    path("accounts/", include("lvzhi.accounts.urls")),
    path("organizations/", include("lvzhi.organizations.urls")),
    path("deputies/", include("lvzhi.deputies.urls")),
    path("suggestions/", include("lvzhi.suggestions.urls")),
    path("access/", include("lvzhi.access.urls")),
    path("notifications/", include("lvzhi.notifications.urls")),
    path("motions/", include("lvzhi.motions.urls")),
    path("supervision/", include("lvzhi.supervision.urls")),
    path("api/v1/", include("lvzhi.api_urls")),
    # The API's documentation is for the office only (system administrators, 代表工委).
    path("api/schema/", office_only(SpectacularAPIView.as_view()), name="api-schema"),
    path("api/docs/", office_only(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("admin/", admin.site.urls),
]
# Uploads (rosters with ID numbers, letters) are never served as static files: the views that
# need them check who asks.
