"""Account management's endpoints on the shared /api/v1/ router."""

from rest_framework.routers import BaseRouter

from . import views


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("accounts", views.AccountViewSet, basename="account")
    router.register("me", views.MeViewSet, basename="me")
