"""The suggestions' endpoints on the shared /api/v1/ router."""

from . import views


def register(router) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("suggestions", views.SuggestionViewSet, basename="suggestion")
    router.register("suggestion-assignments", views.AssignmentViewSet, basename="suggestion-assignment")
    router.register("suggestion-objections", views.ObjectionViewSet, basename="suggestion-objection")
    router.register("suggestion-commitments", views.CommitmentViewSet, basename="suggestion-commitment")
    router.register("suggestion-replies", views.ReplyViewSet, basename="suggestion-reply")
    router.register(
        "suggestion-reply-recipients", views.ReplyRecipientViewSet, basename="suggestion-reply-recipient"
    )
    router.register("suggestion-rules", views.SuggestionRulesViewSet, basename="suggestion-rules")
