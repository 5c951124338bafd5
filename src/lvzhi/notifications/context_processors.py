from django.utils.functional import SimpleLazyObject

from .selectors import notification_unread_count


def unread_notifications(request):
    """``unread_notification_count`` for the navbar's bell.

    Lazy: the one COUNT query runs only when a template shows the bell (full pages), never for
    HTMX partials or anonymous pages, and at most once per rendering.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    return {"unread_notification_count": SimpleLazyObject(lambda: notification_unread_count(user=user))}
