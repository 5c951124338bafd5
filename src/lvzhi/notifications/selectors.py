"""Reads of notifications. A user sees its own notifications only: every read starts from
``notifications_visible_to(user)``; somebody else's reads as missing (404)."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from .models import Notification


def notifications_visible_to(user) -> QuerySet[Notification]:
    """The user's own notifications; nothing for anonymous users."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each; the target's type joined
    so that a page costs the same queries whatever it holds."""
    notifications = notifications_visible_to(user).select_related("target_content_type")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.alias(
        is_unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    ).order_by("-is_unread", "-created_at", "-id")


def notification_unread_count(*, user) -> int:
    """How many of the user's notifications are unread: one COUNT on a partial index."""
    return notifications_visible_to(user).filter(read_at__isnull=True).count()
