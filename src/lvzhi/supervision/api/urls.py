"""Supervision's endpoints on the shared /api/v1/ router."""

from . import views


def register(router) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("supervision-items", views.SupervisionItemViewSet, basename="supervision-item")
    router.register(
        "supervision-campaigns", views.SupervisionCampaignViewSet, basename="supervision-campaign"
    )
    router.register("supervision-meetings", views.DissatisfiedMeetingViewSet, basename="supervision-meeting")
