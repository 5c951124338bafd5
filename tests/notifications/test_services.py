"""Notifications: who gets one, dedupe keys, delivery on each channel, retries and failures recorded,
the SMS adapter, marking read (own only)."""

import logging
import smtplib
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from lvzhi.core.errors import ForbiddenError
from lvzhi.notifications import services
from lvzhi.notifications.channels import EmailChannel, SmsGateway
from lvzhi.notifications.choices import Channel, DeliveryStatus
from lvzhi.notifications.models import Delivery, Notification

from ..factories import UserFactory

START = datetime(2025, 6, 2, 1, 0, tzinfo=UTC)  # 09:00 in Fuzhou


def statuses(notification) -> dict:
    return {d.channel: (d.status, d.attempts, d.last_error) for d in notification.deliveries.all()}


def send(recipients, **kwargs):
    kwargs.setdefault("kind", "suggestion.assigned")
    kwargs.setdefault("title", "您有一件新交办的代表建议")
    return services.notify(recipients=recipients, **kwargs)


# Who gets what ------------------------------------------------------------------------------


def test_notify_creates_one_notification_per_active_recipient(recipient, other_user, target):
    inactive = UserFactory(username="t-inactive", is_active=False, email="gone@example.org")

    created = send(
        [recipient, other_user, recipient, inactive],
        body="请在签收期限内签收。",
        link="/suggestions/7/",
        target=target,
    )

    assert [n.recipient for n in created] == [recipient, other_user]
    notification = Notification.objects.get(recipient=recipient)
    assert notification.kind == "suggestion.assigned"
    assert notification.title == "您有一件新交办的代表建议"
    assert notification.body == "请在签收期限内签收。"
    assert notification.link == "/suggestions/7/"
    assert notification.target == target
    assert notification.read_at is None
    assert notification.dedupe_key == ""
    assert not Notification.objects.filter(recipient=inactive).exists()


def test_notify_records_a_pending_delivery_per_enabled_channel(recipient):
    (notification,) = send([recipient])

    assert statuses(notification) == {
        Channel.IN_APP: (DeliveryStatus.PENDING, 0, ""),
        Channel.EMAIL: (DeliveryStatus.PENDING, 0, ""),
    }


def test_delivery_runs_after_commit_and_sends_the_mail(
    recipient, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.LVZHI_NOTIFICATION_SITE_URL = "https://lvzhi.example.org"

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (notification,) = send([recipient], body="请在签收期限内签收。", link="/suggestions/7/")
    assert mailoutbox == []  # nothing leaves before the transaction commits

    for callback in callbacks:
        callback()

    assert statuses(notification) == {
        Channel.IN_APP: (DeliveryStatus.SENT, 1, ""),
        Channel.EMAIL: (DeliveryStatus.SENT, 1, ""),
    }
    assert notification.deliveries.get(channel=Channel.EMAIL).sent_at is not None
    (mail,) = mailoutbox
    assert mail.to == ["wang@example.org"]
    assert mail.subject == "【履职】您有一件新交办的代表建议"
    assert "请在签收期限内签收。" in mail.body
    assert "查看详情：https://lvzhi.example.org/suggestions/7/" in mail.body


def test_nothing_is_sent_when_the_callers_transaction_rolls_back(
    recipient, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            send([recipient])
            raise RuntimeError("the caller's rule failed")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_channels_follow_the_setting(recipient, settings):
    settings.LVZHI_NOTIFICATION_CHANNELS = ["in_app"]

    (notification,) = send([recipient])

    assert set(statuses(notification)) == {Channel.IN_APP}


def test_an_unknown_channel_in_the_setting_is_a_configuration_error(recipient, settings):
    settings.LVZHI_NOTIFICATION_CHANNELS = ["in_app", "pigeon"]

    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        send([recipient])
    assert not Notification.objects.exists()


# Dedupe -------------------------------------------------------------------------------------


def test_the_same_dedupe_key_reaches_a_recipient_once(
    recipient, other_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as first_callbacks:
        first = send([recipient], dedupe_key="reminder:1:2025-06-05:-3")
    with django_capture_on_commit_callbacks(execute=False) as second_callbacks:
        second = send([recipient, other_user], dedupe_key="reminder:1:2025-06-05:-3")

    assert [n.recipient for n in first] == [recipient]
    assert [n.recipient for n in second] == [other_user]
    assert Notification.objects.filter(recipient=recipient).count() == 1
    assert (len(first_callbacks), len(second_callbacks)) == (1, 1)  # one delivery task each
    assert Delivery.objects.count() == 4


def test_without_a_dedupe_key_every_call_notifies(recipient):
    send([recipient])
    send([recipient])

    assert Notification.objects.filter(recipient=recipient).count() == 2


@pytest.mark.postgres
def test_two_transactions_racing_on_one_dedupe_key_create_one_notification(transactional_db, recipient):
    """The second writer waits on the unique index, then finds the first one's row: no error, no copy."""
    first_inserted = threading.Event()
    results = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = send([recipient], dedupe_key="key")
                first_inserted.set()
                time.sleep(0.5)  # the second checks and inserts meanwhile, then waits for this commit
        finally:
            connection.close()

    def second() -> None:
        first_inserted.wait(5)
        try:
            results["second"] = send([recipient], dedupe_key="key")
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert len(results["first"]) == 1
    assert results["second"] == []
    assert Notification.objects.filter(recipient=recipient, dedupe_key="key").count() == 1


# Delivery: failures, retries, idempotence ----------------------------------------------------


@pytest.fixture
def failing_mail(monkeypatch):
    """E-mail refused by the server the first ``failures["left"]`` times, then accepted."""
    failures = {"left": 99}
    real_send = EmailChannel.send

    def send_or_fail(self, notification):
        if failures["left"] > 0:
            failures["left"] -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        real_send(self, notification)

    monkeypatch.setattr(EmailChannel, "send", send_or_fail)
    return failures


def test_a_failing_channel_is_recorded_retried_and_finally_failed(recipient, failing_mail, time_machine):
    time_machine.move_to(START, tick=False)
    (notification,) = send([recipient])
    error = "SMTPServerDisconnected: Connection unexpectedly closed"

    assert services.notification_deliver(notification_id=notification.pk) == 1  # in-app only
    assert statuses(notification) == {
        Channel.IN_APP: (DeliveryStatus.SENT, 1, ""),
        Channel.EMAIL: (DeliveryStatus.PENDING, 1, error),
    }
    email = notification.deliveries.get(channel=Channel.EMAIL)
    assert email.last_attempt_at == START
    assert email.sent_at is None

    # Not again before the retry interval (300 s): a task running twice does not hammer the server.
    time_machine.move_to(START + timedelta(seconds=299), tick=False)
    assert services.deliveries_retry_pending() == 0
    assert statuses(notification)[Channel.EMAIL] == (DeliveryStatus.PENDING, 1, error)

    time_machine.move_to(START + timedelta(seconds=300), tick=False)
    assert services.deliveries_retry_pending() == 0
    assert statuses(notification)[Channel.EMAIL] == (DeliveryStatus.PENDING, 2, error)

    time_machine.move_to(START + timedelta(seconds=600), tick=False)
    assert services.deliveries_retry_pending() == 0
    assert statuses(notification)[Channel.EMAIL] == (DeliveryStatus.FAILED, 3, error)

    # Failed is final: the sweep leaves it alone.
    time_machine.move_to(START + timedelta(hours=1), tick=False)
    assert services.deliveries_retry_pending() == 0
    assert statuses(notification)[Channel.EMAIL] == (DeliveryStatus.FAILED, 3, error)


def test_a_retry_after_a_transient_failure_sends(recipient, failing_mail, mailoutbox, time_machine):
    failing_mail["left"] = 1
    time_machine.move_to(START, tick=False)
    (notification,) = send([recipient])
    services.notification_deliver(notification_id=notification.pk)

    time_machine.move_to(START + timedelta(minutes=5), tick=False)
    assert services.deliveries_retry_pending() == 1

    email = notification.deliveries.get(channel=Channel.EMAIL)
    assert (email.status, email.attempts) == (DeliveryStatus.SENT, 2)
    assert email.sent_at == START + timedelta(minutes=5)
    # The error stays on record: why it took two attempts.
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert len(mailoutbox) == 1


def test_a_recipient_without_an_email_address_fails_at_once(db, mailoutbox):
    user = UserFactory(username="t-no-mail", email="")
    (notification,) = send([user])

    services.notification_deliver(notification_id=notification.pk)

    assert statuses(notification) == {
        Channel.IN_APP: (DeliveryStatus.SENT, 1, ""),
        Channel.EMAIL: (DeliveryStatus.FAILED, 1, "接收人没有电子邮箱地址。"),
    }
    assert mailoutbox == []


def test_delivering_twice_sends_once(recipient, mailoutbox):
    (notification,) = send([recipient])

    assert services.notification_deliver(notification_id=notification.pk) == 2
    assert services.notification_deliver(notification_id=notification.pk) == 0
    assert services.deliveries_retry_pending() == 0

    assert len(mailoutbox) == 1
    assert {d.attempts for d in notification.deliveries.all()} == {1}


def test_delivering_a_notification_that_is_gone_does_nothing(db):
    assert services.notification_deliver(notification_id=987654) == 0


def test_a_delivery_claimed_by_another_worker_is_not_sent_again(recipient, mailoutbox):
    (notification,) = send([recipient])
    email = notification.deliveries.get(channel=Channel.EMAIL)
    stale = Delivery.objects.select_related("notification__recipient").get(pk=email.pk)
    services.notification_deliver(notification_id=notification.pk)  # the other worker

    assert services._deliver(stale) is False
    assert len(mailoutbox) == 1


# SMS ----------------------------------------------------------------------------------------


def test_sms_goes_to_the_logging_gateway_by_default(recipient, settings, caplog):
    settings.LVZHI_NOTIFICATION_CHANNELS = ["in_app", "sms"]
    (notification,) = send([recipient])

    with caplog.at_level(logging.INFO, logger="lvzhi.notifications.channels"):
        services.notification_deliver(notification_id=notification.pk)

    assert statuses(notification)[Channel.SMS] == (DeliveryStatus.SENT, 1, "")
    (record,) = [r for r in caplog.records if r.name == "lvzhi.notifications.channels"]
    assert record.getMessage() == (
        "SMS to 139****5678 (not sent: logging gateway): 【履职】您有一件新交办的代表建议"
    )
    assert "13912345678" not in caplog.text  # the phone is masked in the log


class RecordingGateway(SmsGateway):
    sent: list = []

    def send(self, *, phone: str, text: str) -> None:
        RecordingGateway.sent.append((phone, text))


def test_the_sms_gateway_is_a_setting(recipient, settings):
    settings.LVZHI_NOTIFICATION_CHANNELS = ["sms"]
    settings.LVZHI_SMS_GATEWAY = "tests.notifications.test_services.RecordingGateway"
    RecordingGateway.sent = []
    (notification,) = send([recipient])

    services.notification_deliver(notification_id=notification.pk)

    assert RecordingGateway.sent == [("13912345678", "【履职】您有一件新交办的代表建议")]
    assert statuses(notification) == {Channel.SMS: (DeliveryStatus.SENT, 1, "")}


def test_sms_to_a_user_without_a_phone_fails_at_once(db, settings):
    settings.LVZHI_NOTIFICATION_CHANNELS = ["sms"]
    (notification,) = send([UserFactory(username="t-no-phone", phone="")])

    services.notification_deliver(notification_id=notification.pk)

    assert statuses(notification) == {Channel.SMS: (DeliveryStatus.FAILED, 1, "接收人没有手机号码。")}


# Marking read -------------------------------------------------------------------------------


def test_mark_read_marks_the_own_notification_once(recipient, time_machine):
    (notification,) = send([recipient])
    time_machine.move_to(START, tick=False)

    marked = services.notification_mark_read(notification_id=notification.pk, actor=recipient)
    time_machine.move_to(START + timedelta(hours=1), tick=False)
    again = services.notification_mark_read(notification_id=notification.pk, actor=recipient)

    assert marked.read_at == again.read_at == START
    notification.refresh_from_db()
    assert notification.read_at == START


@pytest.mark.parametrize("notification_id", ["others", 987654])
def test_mark_read_refuses_somebody_elses_or_a_missing_notification(recipient, other_user, notification_id):
    (theirs,) = send([other_user])

    with pytest.raises(ForbiddenError, match="未找到该消息，或您无权查看。"):
        services.notification_mark_read(
            notification_id=theirs.pk if notification_id == "others" else notification_id, actor=recipient
        )

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_the_actors_unread(recipient, other_user):
    mine = send([recipient]) + send([recipient])
    services.notification_mark_read(notification_id=mine[0].pk, actor=recipient)
    (theirs,) = send([other_user])

    assert services.notifications_mark_all_read(actor=recipient) == 1

    assert not Notification.objects.filter(recipient=recipient, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
