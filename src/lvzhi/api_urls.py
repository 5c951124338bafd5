"""/api/v1/: every app registers its viewsets on one router."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from lvzhi.access.api.urls import register as register_access
from lvzhi.deputies.api.urls import register as register_deputies
from lvzhi.motions.api.urls import register as register_motions
from lvzhi.notifications.api.urls import register as register_notifications
from lvzhi.organizations.api.urls import register as register_organizations
from lvzhi.suggestions.api.urls import register as register_suggestions
from lvzhi.supervision.api.urls import register as register_supervision

router = DefaultRouter()
register_organizations(router)
register_deputies(router)
register_motions(router)
register_notifications(router)
register_suggestions(router)
register_supervision(router)
register_access(router)

urlpatterns = [path("auth/token/", obtain_auth_token, name="api-token"), *router.urls]
