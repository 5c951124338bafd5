"""Every write of notifications and reminders.

Other modules call three things: ``notify`` (tell users something now), ``reminder_schedule`` and
``reminder_complete`` / ``reminder_cancel`` (tell whoever owes the next step before a date, on it
and while it is overdue). Users mark their own notifications read. The periodic jobs
(``tasks.send_due_reminders``, ``tasks.retry_pending_deliveries``) call ``reminders_send_due`` and
``deliveries_retry_pending``; ``tasks.deliver`` calls ``notification_deliver``.
"""

import logging
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.queue import enqueue

from .channels import RecipientUnreachable, channel_get, enabled_channels
from .choices import DeliveryStatus, ReminderStatus
from .models import Delivery, Notification, Reminder

logger = logging.getLogger(__name__)

DELIVER_TASK = "lvzhi.notifications.tasks.deliver"
NOT_YOURS = gettext_lazy("未找到该消息，或您无权查看。")


# --- Notifications -----------------------------------------------------------------------------


AFTER_COMMIT_CALLS = frozenset({"notify", "reminder_schedule", "reminder_complete", "reminder_cancel"})


def after_commit(function: str, **kwargs) -> None:
    """Queue a call to this module's ``function`` (``notify``, ``reminder_schedule``,
    ``reminder_complete``, ``reminder_cancel``) for after the current transaction commits: what
    services call so that nobody is told of an action that did not happen. Recipients given as a
    callable are resolved then. ``robust``: a failing side effect is logged and never undoes (or
    hides) the committed action."""
    if function not in AFTER_COMMIT_CALLS:
        raise ValueError(f"not a notification call: {function}")

    def call() -> None:
        recipients = kwargs.get("recipients")
        if callable(recipients):
            kwargs["recipients"] = recipients()
        globals()[function](**kwargs)

    transaction.on_commit(call, robust=True)


def _active_unique(recipients: Iterable) -> list:
    """The recipients in their order, each once, inactive accounts left out."""
    users = {}
    for user in recipients:
        if user is not None and user.is_active:
            users.setdefault(user.pk, user)
    return list(users.values())


def _target_of(target: Model | None) -> tuple[ContentType | None, int | None]:
    if target is None:
        return None, None
    return ContentType.objects.get_for_model(target), target.pk


def _create_notifications(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str,
    link: str,
    content_type_id: int | None,
    object_id: int | None,
    dedupe_key: str | None,
) -> list[Notification]:
    users = _active_unique(recipients)
    if dedupe_key:
        already = set(
            Notification.objects.filter(recipient__in=users, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        users = [user for user in users if user.pk not in already]
    created = []
    for user in users:
        notification = Notification(
            recipient=user,
            kind=kind,
            title=title[:200],
            body=body,
            link=link,
            target_content_type_id=content_type_id,
            target_object_id=object_id,
            dedupe_key=dedupe_key or "",
        )
        if not dedupe_key:
            notification.save()
        else:
            # Somebody may have sent the same key since the check above (two schedulers at once):
            # the unique constraint decides, the savepoint keeps the caller's transaction usable.
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                if Notification.objects.filter(recipient=user, dedupe_key=dedupe_key).exists():
                    continue
                raise
        created.append(notification)
    channels = enabled_channels()
    Delivery.objects.bulk_create(
        Delivery(notification=notification, channel=channel)
        for notification in created
        for channel in channels
    )
    for notification in created:
        enqueue(DELIVER_TASK, notification.pk)
    return created


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    target: Model | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (users) something: one ``Notification`` each, delivered on every enabled
    channel once the caller's transaction commits. Any service may call it, inside its own
    transaction, for the users its rule names.

    ``kind`` is dotted (``suggestion.assigned``); ``link`` the path of the page to open; ``target``
    the object it is about. With a ``dedupe_key`` a recipient who already has a notification with
    that key gets nothing new. Inactive users are skipped. Returns the notifications created.
    """
    content_type, object_id = _target_of(target)
    return _create_notifications(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        link=link,
        content_type_id=content_type.pk if content_type else None,
        object_id=object_id,
        dedupe_key=dedupe_key,
    )


def notification_mark_read(*, notification_id: int, actor) -> Notification:
    """Mark one of the actor's own notifications read (again: no change).

    Somebody else's notification, or one that does not exist, raises ``ForbiddenError`` alike;
    views and the API answer 404 so nobody learns that it exists.
    """
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or actor is None or notification.recipient_id != actor.pk:
        raise ForbiddenError(NOT_YOURS)
    if notification.read_at is None:
        now = timezone.now()
        # A conditional update: of two clicks at once, the first one's time stays.
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor) -> int:
    """Mark all the actor's unread notifications read; returns how many were unread."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Delivery ----------------------------------------------------------------------------------


def _claimable(now: datetime) -> Q:
    """Pending deliveries never tried, or whose last try is older than the retry interval."""
    retry_before = now - timedelta(seconds=settings.LVZHI_NOTIFICATION_RETRY_SECONDS)
    return Q(status=DeliveryStatus.PENDING) & (
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=retry_before)
    )


def _deliver(delivery: Delivery) -> bool:
    """Send one delivery on its channel and record the outcome; True when sent now."""
    now = timezone.now()
    # Claim the row: the update succeeds for one caller only (``attempts`` is the token), so a
    # task and the retry sweep never send the same message twice. The send itself runs outside
    # any transaction: SQLite would hold its write lock for the whole SMTP conversation.
    claimed = Delivery.objects.filter(_claimable(now), pk=delivery.pk, attempts=delivery.attempts).update(
        attempts=F("attempts") + 1, last_attempt_at=now, updated_at=now
    )
    if not claimed:
        return False
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        channel_get(delivery.channel).send(delivery.notification)
    except RecipientUnreachable as error:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = str(error)
    except Exception as error:  # any failure of a channel is recorded, never lost
        logger.warning(
            "delivery %s (%s) attempt %s failed",
            delivery.pk,
            delivery.channel,
            delivery.attempts,
            exc_info=True,
        )
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        if delivery.attempts >= settings.LVZHI_NOTIFICATION_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
    else:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
    delivery.save(update_fields=["status", "last_error", "sent_at", "updated_at"])
    return delivery.status == DeliveryStatus.SENT


def notification_deliver(*, notification_id: int) -> int:
    """Hand a notification to its channels: each pending delivery that nobody is sending now.

    Idempotent: a sent or failed delivery is left alone, so running it again sends nothing twice.
    A failing channel leaves its delivery pending with the error, for ``deliveries_retry_pending``,
    until ``LVZHI_NOTIFICATION_MAX_ATTEMPTS`` tries have failed. Returns how many were sent now.
    """
    deliveries = (
        Delivery.objects.filter(_claimable(timezone.now()), notification_id=notification_id)
        .select_related("notification__recipient")
        .order_by("id")
    )
    return sum(_deliver(delivery) for delivery in deliveries)


def deliveries_retry_pending(*, limit: int = 1000) -> int:
    """Try again the pending deliveries whose last try failed (or whose task was lost, e.g. the
    embedded server stopped before its task thread ran). Run periodically; returns how many were sent."""
    notification_ids = list(
        Delivery.objects.filter(_claimable(timezone.now()))
        .order_by("notification_id")
        .values_list("notification_id", flat=True)
        .distinct()[:limit]
    )
    return sum(notification_deliver(notification_id=pk) for pk in notification_ids)


# --- Reminders ---------------------------------------------------------------------------------


def _check_schedule(remind_before_days: list[int], overdue_every_days: int) -> None:
    if not isinstance(remind_before_days, list | tuple) or not all(
        isinstance(days, int) and 0 <= days <= 366 for days in remind_before_days
    ):
        raise DomainError(_("提前提醒天数必须是 0 到 366 之间的整数。"), field="remind_before_days")
    if not isinstance(overdue_every_days, int) or not 0 <= overdue_every_days <= 366:
        raise DomainError(_("逾期提醒间隔必须是 0 到 366 之间的整数。"), field="overdue_every_days")


def reminder_dates(reminder: Reminder) -> Iterator[tuple[date, int]]:
    """The reminder's dates in order, each with its offset in days from the due date.

    Before and on the day (``remind_before_days``: -3, -1, 0), the day after (1: overdue), then
    every ``overdue_every_days`` while it stays open (0: never again). Endless when it repeats.
    """
    due = reminder.due_date
    for days in sorted(set(reminder.remind_before_days), reverse=True):
        yield due - timedelta(days=days), -days
    offset = 1
    while True:
        yield due + timedelta(days=offset), offset
        if not reminder.overdue_every_days:
            return
        offset += reminder.overdue_every_days


def _first_date_after(reminder: Reminder, after: date) -> date | None:
    return next((on for on, _offset in reminder_dates(reminder) if on > after), None)


@transaction.atomic
def reminder_schedule(
    *,
    target: Model,
    kind: str,
    due_date: date,
    title: str,
    recipients: Iterable | None = None,
    recipient_resolver: str = "",
    body: str = "",
    link: str = "",
    remind_before_days: list[int] | None = None,
    overdue_every_days: int | None = None,
) -> Reminder:
    """Remind whoever owes the next step on ``target`` that ``kind`` is due on ``due_date``.

    Called by the owning module's services when a deadline starts (a suggestion is assigned: its
    ``suggestion.reply_due``). One reminder per target and kind: calling it again updates it, and
    a new ``due_date`` moves the reminders (the ones already sent for the old date stay sent).
    A completed or cancelled reminder is reopened. ``recipients`` (users) replace the stored ones
    when given; ``recipient_resolver`` is a dotted path to ``f(reminder) -> users`` asked at each
    sending. Reminder dates before today are skipped. Defaults of the schedule: the settings
    ``LVZHI_REMINDER_BEFORE_DAYS`` and ``LVZHI_REMINDER_OVERDUE_EVERY_DAYS``.
    """
    before = list(settings.LVZHI_REMINDER_BEFORE_DAYS if remind_before_days is None else remind_before_days)
    every = settings.LVZHI_REMINDER_OVERDUE_EVERY_DAYS if overdue_every_days is None else overdue_every_days
    _check_schedule(before, every)
    if recipient_resolver:
        import_string(recipient_resolver)  # fail now, not in the periodic job
    content_type, object_id = _target_of(target)
    values = {
        "title": title[:200],
        "body": body,
        "link": link,
        "recipient_resolver": recipient_resolver,
        "remind_before_days": before,
        "overdue_every_days": every,
    }
    reminder, created = Reminder.objects.select_for_update().get_or_create(
        target_content_type=content_type,
        target_object_id=object_id,
        kind=kind,
        defaults={**values, "due_date": due_date},
    )
    if not created:
        if reminder.due_date != due_date or reminder.status != ReminderStatus.OPEN:
            reminder.last_sent_for = None
        for field, value in values.items():
            setattr(reminder, field, value)
        reminder.due_date = due_date
    reminder.status = ReminderStatus.OPEN
    reminder.completed_at = None
    yesterday = timezone.localdate() - timedelta(days=1)
    reminder.next_remind_on = _first_date_after(
        reminder, max(filter(None, [reminder.last_sent_for, yesterday]))
    )
    reminder.save()
    if recipients is not None:
        reminder.recipients.set(_active_unique(recipients))
    return reminder


def _reminder_close(*, target: Model, kind: str, status: str) -> bool:
    content_type, object_id = _target_of(target)
    return bool(
        Reminder.objects.filter(
            target_content_type=content_type,
            target_object_id=object_id,
            kind=kind,
            status=ReminderStatus.OPEN,
        ).update(status=status, next_remind_on=None, completed_at=timezone.now(), updated_at=timezone.now())
    )


def reminder_complete(*, target: Model, kind: str) -> bool:
    """The step is done (the unit replied): no more reminders. Returns whether one was open."""
    return _reminder_close(target=target, kind=kind, status=ReminderStatus.DONE)


def reminder_cancel(*, target: Model, kind: str) -> bool:
    """The step is no longer owed (the suggestion was withdrawn). Returns whether one was open."""
    return _reminder_close(target=target, kind=kind, status=ReminderStatus.CANCELLED)


def _reminder_recipients(reminder: Reminder) -> list:
    users = list(reminder.recipients.filter(is_active=True))
    if reminder.recipient_resolver:
        users += list(import_string(reminder.recipient_resolver)(reminder))
    return users


def _chinese_date(on: date) -> str:
    return f"{on.year}年{on.month}月{on.day}日"


def _reminder_text(reminder: Reminder, today: date) -> tuple[str, str]:
    """Title and body of the reminder sent ``today``: how long is left, or how long overdue."""
    days = (reminder.due_date - today).days
    if days > 0:
        phase = _("还有{days}天到期").format(days=days)
    elif days == 0:
        phase = _("今天到期")
    else:
        phase = _("已逾期{days}天").format(days=-days)
    title = _("{title}（{phase}）").format(title=reminder.title, phase=phase)
    deadline = _("截止日期：{date}").format(date=_chinese_date(reminder.due_date))
    body = f"{reminder.body}\n\n{deadline}" if reminder.body else deadline
    return title, body


@transaction.atomic
def _reminder_send(*, reminder_id: int, today: date) -> int:
    # The row lock makes two overlapping runs take turns; the second finds nothing left to send.
    reminder = (
        Reminder.objects.select_for_update()
        .filter(pk=reminder_id, status=ReminderStatus.OPEN, next_remind_on__lte=today)
        .first()
    )
    if reminder is None:
        return 0
    already = reminder.last_sent_for or date.min
    missed = [(on, offset) for on, offset in _dates_until(reminder, today) if on > already]
    if not missed:  # bookkeeping out of step with the dates (edited by hand): set it right
        reminder.next_remind_on = _first_date_after(reminder, max(already, today))
        reminder.save(update_fields=["next_remind_on", "updated_at"])
        return 0
    # After a pause (the server was down) only the latest missed date is sent, not each one.
    on, offset = missed[-1]
    title, body = _reminder_text(reminder, today)
    notifications = _create_notifications(
        recipients=_reminder_recipients(reminder),
        kind=reminder.kind,
        title=title,
        body=body,
        link=reminder.link,
        content_type_id=reminder.target_content_type_id,
        object_id=reminder.target_object_id,
        dedupe_key=f"reminder:{reminder.pk}:{reminder.due_date.isoformat()}:{offset}",
    )
    if not notifications and not reminder.recipients.exists() and not reminder.recipient_resolver:
        logger.warning("reminder %s (%s) has nobody to remind", reminder.pk, reminder.kind)
    reminder.last_sent_for = on
    reminder.last_sent_at = timezone.now()
    reminder.next_remind_on = _first_date_after(reminder, today)
    reminder.save(update_fields=["last_sent_for", "last_sent_at", "next_remind_on", "updated_at"])
    return len(notifications)


def _dates_until(reminder: Reminder, today: date) -> Iterator[tuple[date, int]]:
    for on, offset in reminder_dates(reminder):
        if on > today:
            return
        yield on, offset


def reminders_send_due(*, today: date | None = None) -> int:
    """Send every open reminder whose next date has come (``today``: the local date by default).

    Run every few minutes by Celery beat or the in-process scheduler. Safe to run twice, or twice
    at once: the dedupe key ``reminder:<id>:<due date>:<offset>`` and the bookkeeping make the
    second run send nothing. One failing reminder (a broken resolver) does not stop the others.
    Returns the number of notifications created.
    """
    today = today or timezone.localdate()
    due = (
        Reminder.objects.filter(status=ReminderStatus.OPEN, next_remind_on__lte=today)
        .order_by("next_remind_on", "id")
        .values_list("id", flat=True)
    )
    sent = 0
    for reminder_id in list(due):
        try:
            sent += _reminder_send(reminder_id=reminder_id, today=today)
        except Exception:
            logger.exception("reminder %s could not be sent", reminder_id)
    return sent
