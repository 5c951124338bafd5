"""The structure's endpoints on the shared /api/v1/ router."""

from . import views


def register(router) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("congresses", views.CongressViewSet, basename="congress")
    router.register("terms", views.TermViewSet, basename="term")
    router.register("sessions", views.SessionViewSet, basename="session")
    router.register("electoral-units", views.ElectoralUnitViewSet, basename="electoral-unit")
    router.register("deputy-groups", views.DeputyGroupViewSet, basename="deputy-group")
    router.register("committees", views.CommitteeViewSet, basename="committee")
    router.register("handling-units", views.HandlingUnitViewSet, basename="handling-unit")
    router.register("fields", views.ExpertiseFieldViewSet, basename="expertise-field")
