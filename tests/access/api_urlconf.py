"""The site's URLs with account management's endpoints on /api/v1/, for the API tests until the
shared router in ``lvzhi.api_urls`` registers them."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from lvzhi.access.api.urls import register

router = SimpleRouter()
register(router)

urlpatterns = [path("api/v1/", include(router.urls)), path("", include("lvzhi.urls"))]
