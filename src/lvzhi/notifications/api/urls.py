"""The notifications' endpoints on the shared /api/v1/ router."""

from . import views


def register(router) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("notifications", views.NotificationViewSet, basename="notification")
