"""The registry's endpoints on the shared /api/v1/ router."""

from . import views


def register(router) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("mandates", views.MandateViewSet, basename="mandate")
    router.register("roster-imports", views.RosterImportViewSet, basename="roster-import")
