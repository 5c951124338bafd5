"""Background jobs of notifications: Celery tasks in production, plain calls in the embedded default.

``deliver`` is queued by ``services.notify`` after commit; ``send_due_reminders`` and
``retry_pending_deliveries`` run on the beat schedule (``CELERY_BEAT_SCHEDULE``), which the
in-process scheduler (``lvzhi.core.scheduler``) runs too when there is no Celery.
"""

from celery import shared_task

from . import services


@shared_task(name="lvzhi.notifications.tasks.deliver")
def deliver(notification_id: int) -> int:
    """Send a notification on its channels; returns how many deliveries were sent now."""
    return services.notification_deliver(notification_id=notification_id)


@shared_task(name="lvzhi.notifications.tasks.send_due_reminders")
def send_due_reminders() -> int:
    """Send today's reminders; returns how many notifications were created."""
    return services.reminders_send_due()


@shared_task(name="lvzhi.notifications.tasks.retry_pending_deliveries")
def retry_pending_deliveries() -> int:
    """Retry deliveries whose channel failed before; returns how many were sent now."""
    return services.deliveries_retry_pending()
