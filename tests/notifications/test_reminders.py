"""Reminders: the exact dates before, on and after the due date; running twice sends nothing new;
completed and cancelled reminders are silent; rescheduling moves the dates; who is reminded."""

from datetime import date, timedelta

import pytest

from lvzhi.core.errors import DomainError
from lvzhi.notifications import services
from lvzhi.notifications.choices import ReminderStatus
from lvzhi.notifications.models import Notification, Reminder

from ..factories import HandlingUnitFactory, UserFactory

DUE = date(2025, 6, 5)
SCHEDULED_ON = date(2025, 5, 20)
KIND = "suggestion.reply_due"


@pytest.fixture
def schedule(target, recipient, time_machine):
    """Schedule the reply reminder of ``target`` on ``on`` (default 2025-05-20) for ``recipient``."""

    def schedule(on=SCHEDULED_ON, **kwargs):
        time_machine.move_to(on, tick=False)
        kwargs.setdefault("due_date", DUE)
        kwargs.setdefault("recipients", [recipient])
        kwargs.setdefault("link", "/suggestions/7/")
        return services.reminder_schedule(target=target, kind=KIND, title="答复第1001号建议", **kwargs)

    return schedule


def run_days(first: date, last: date) -> dict[date, list[str]]:
    """Run the job twice a day from ``first`` to ``last``: the titles of what each day created."""
    sent = {}
    day = first
    while day <= last:
        before = set(Notification.objects.values_list("id", flat=True))
        services.reminders_send_due(today=day)
        services.reminders_send_due(today=day)  # a second run the same day sends nothing new
        titles = list(
            Notification.objects.exclude(id__in=before).order_by("id").values_list("title", flat=True)
        )
        if titles:
            sent[day] = titles
        day += timedelta(days=1)
    return sent


def test_reminder_dates_before_on_and_after_the_due_date(schedule):
    reminder = schedule()

    sent = run_days(date(2025, 5, 20), date(2025, 6, 21))

    assert sent == {
        date(2025, 6, 2): ["答复第1001号建议（还有3天到期）"],
        date(2025, 6, 4): ["答复第1001号建议（还有1天到期）"],
        date(2025, 6, 5): ["答复第1001号建议（今天到期）"],
        date(2025, 6, 6): ["答复第1001号建议（已逾期1天）"],
        date(2025, 6, 13): ["答复第1001号建议（已逾期8天）"],
        date(2025, 6, 20): ["答复第1001号建议（已逾期15天）"],
    }
    assert list(Notification.objects.order_by("id").values_list("dedupe_key", flat=True)) == [
        f"reminder:{reminder.pk}:2025-06-05:{offset}" for offset in (-3, -1, 0, 1, 8, 15)
    ]
    reminder.refresh_from_db()
    assert reminder.last_sent_for == date(2025, 6, 20)
    assert reminder.next_remind_on == date(2025, 6, 27)


def test_a_reminder_notification_says_what_is_due_and_links_to_it(schedule, recipient, target):
    reminder = schedule(body="请及时答复代表。")

    assert services.reminders_send_due(today=date(2025, 6, 2)) == 1

    notification = Notification.objects.get()
    assert notification.recipient == recipient
    assert notification.kind == KIND
    assert notification.title == "答复第1001号建议（还有3天到期）"
    assert notification.body == "请及时答复代表。\n\n截止日期：2025年6月5日"
    assert notification.link == "/suggestions/7/"
    assert notification.target == target
    assert notification.dedupe_key == f"reminder:{reminder.pk}:2025-06-05:-3"
    assert notification.deliveries.count() == 2


def test_scheduling_sets_the_first_date_and_sends_nothing_yet(schedule):
    reminder = schedule()

    assert (reminder.status, reminder.next_remind_on, reminder.last_sent_for) == (
        ReminderStatus.OPEN,
        date(2025, 6, 2),
        None,
    )
    assert reminder.remind_before_days == [3, 1, 0]
    assert reminder.overdue_every_days == 7
    assert services.reminders_send_due(today=date(2025, 6, 1)) == 0
    assert not Notification.objects.exists()


def test_after_a_pause_only_the_latest_missed_date_is_sent(schedule):
    reminder = schedule()

    # Nobody ran the job on 2 and 4 June (server down): on the 5th one reminder, not three.
    assert run_days(date(2025, 6, 5), date(2025, 6, 5)) == {
        date(2025, 6, 5): ["答复第1001号建议（今天到期）"]
    }
    assert Notification.objects.get().dedupe_key == f"reminder:{reminder.pk}:2025-06-05:0"


def test_the_text_counts_from_the_day_it_is_sent(schedule):
    schedule()

    # The 3-days-before reminder, sent late on the 3rd, says how long is really left.
    assert run_days(date(2025, 6, 3), date(2025, 6, 3)) == {
        date(2025, 6, 3): ["答复第1001号建议（还有2天到期）"]
    }


def test_a_reminder_scheduled_late_skips_the_dates_already_past(schedule):
    reminder = schedule(on=date(2025, 6, 4))

    assert reminder.next_remind_on == date(2025, 6, 4)
    assert run_days(date(2025, 6, 4), date(2025, 6, 6)) == {
        date(2025, 6, 4): ["答复第1001号建议（还有1天到期）"],
        date(2025, 6, 5): ["答复第1001号建议（今天到期）"],
        date(2025, 6, 6): ["答复第1001号建议（已逾期1天）"],
    }


def test_without_repeats_overdue_is_said_once(schedule):
    reminder = schedule(remind_before_days=[0], overdue_every_days=0)

    assert run_days(date(2025, 6, 1), date(2025, 7, 31)) == {
        date(2025, 6, 5): ["答复第1001号建议（今天到期）"],
        date(2025, 6, 6): ["答复第1001号建议（已逾期1天）"],
    }
    reminder.refresh_from_db()
    assert reminder.next_remind_on is None
    assert reminder.status == ReminderStatus.OPEN  # still owed: the module completes it


def test_a_completed_reminder_is_silent(schedule, target):
    schedule()
    run_days(date(2025, 6, 2), date(2025, 6, 2))

    assert services.reminder_complete(target=target, kind=KIND) is True

    assert run_days(date(2025, 6, 3), date(2025, 7, 31)) == {}
    reminder = Reminder.objects.get()
    assert reminder.status == ReminderStatus.DONE
    assert reminder.completed_at is not None
    assert reminder.next_remind_on is None
    assert services.reminder_complete(target=target, kind=KIND) is False  # nothing open any more


def test_a_cancelled_reminder_is_silent(schedule, target):
    schedule()

    assert services.reminder_cancel(target=target, kind=KIND) is True

    assert run_days(date(2025, 6, 1), date(2025, 6, 30)) == {}
    assert Reminder.objects.get().status == ReminderStatus.CANCELLED


def test_completing_one_kind_leaves_the_others(schedule, target, recipient):
    schedule()
    services.reminder_schedule(
        target=target,
        kind="suggestion.acknowledgement_due",
        due_date=DUE,
        title="签收",
        recipients=[recipient],
    )

    services.reminder_complete(target=target, kind="suggestion.acknowledgement_due")

    assert run_days(date(2025, 6, 2), date(2025, 6, 2)) == {
        date(2025, 6, 2): ["答复第1001号建议（还有3天到期）"]
    }


def test_rescheduling_moves_the_dates(schedule):
    reminder = schedule()
    run_days(date(2025, 6, 2), date(2025, 6, 2))

    moved = schedule(on=date(2025, 6, 3), due_date=date(2025, 6, 30))

    assert moved.pk == reminder.pk
    assert Reminder.objects.count() == 1
    assert (moved.due_date, moved.next_remind_on, moved.last_sent_for) == (
        date(2025, 6, 30),
        date(2025, 6, 27),
        None,
    )
    assert run_days(date(2025, 6, 3), date(2025, 6, 30)) == {
        date(2025, 6, 27): ["答复第1001号建议（还有3天到期）"],
        date(2025, 6, 29): ["答复第1001号建议（还有1天到期）"],
        date(2025, 6, 30): ["答复第1001号建议（今天到期）"],
    }
    assert Notification.objects.order_by("id").first().dedupe_key == f"reminder:{reminder.pk}:2025-06-05:-3"
    assert Notification.objects.order_by("id").last().dedupe_key == f"reminder:{reminder.pk}:2025-06-30:0"


def test_scheduling_again_with_the_same_date_keeps_what_was_sent(schedule):
    schedule()
    run_days(date(2025, 6, 2), date(2025, 6, 2))

    again = schedule(on=date(2025, 6, 2))

    assert (again.last_sent_for, again.next_remind_on) == (date(2025, 6, 2), date(2025, 6, 4))
    assert run_days(date(2025, 6, 2), date(2025, 6, 3)) == {}


def test_moving_back_to_a_date_already_reminded_sends_nothing_twice(schedule):
    schedule()
    run_days(date(2025, 6, 2), date(2025, 6, 2))
    schedule(on=date(2025, 6, 2), due_date=date(2025, 6, 30))

    schedule(on=date(2025, 6, 2), due_date=DUE)

    assert run_days(date(2025, 6, 2), date(2025, 6, 2)) == {}
    assert Notification.objects.count() == 1


def test_scheduling_a_completed_reminder_again_reopens_it(schedule, target):
    schedule()
    services.reminder_complete(target=target, kind=KIND)

    # Re-handling: the unit owes a second reply within a month.
    reopened = schedule(on=date(2025, 7, 1), due_date=date(2025, 8, 1))

    assert (reopened.status, reopened.completed_at, reopened.next_remind_on) == (
        ReminderStatus.OPEN,
        None,
        date(2025, 7, 29),
    )


def test_reminders_of_different_targets_are_independent(schedule, recipient):
    schedule()
    services.reminder_schedule(
        target=HandlingUnitFactory(name="市教育局"),
        kind=KIND,
        due_date=date(2025, 6, 3),
        title="答复第1002号建议",
        recipients=[recipient],
    )

    assert run_days(date(2025, 6, 2), date(2025, 6, 2)) == {
        date(2025, 6, 2): ["答复第1002号建议（还有1天到期）", "答复第1001号建议（还有3天到期）"]
    }


def test_the_schedule_is_checked(schedule):
    with pytest.raises(DomainError, match="提前提醒天数"):
        schedule(remind_before_days=[3, -1])
    with pytest.raises(DomainError, match="逾期提醒间隔"):
        schedule(overdue_every_days=-7)
    assert not Reminder.objects.exists()


# Who is reminded ----------------------------------------------------------------------------


def test_every_recipient_is_reminded_and_the_list_can_change(schedule, recipient, other_user):
    schedule(recipients=[recipient, other_user])
    run_days(date(2025, 6, 2), date(2025, 6, 2))

    schedule(on=date(2025, 6, 3), recipients=[other_user])
    run_days(date(2025, 6, 3), date(2025, 6, 4))

    assert sorted(Notification.objects.values_list("recipient__username", "title")) == [
        ("t-other", "答复第1001号建议（还有1天到期）"),
        ("t-other", "答复第1001号建议（还有3天到期）"),
        ("t-recipient", "答复第1001号建议（还有3天到期）"),
    ]


def test_scheduling_without_recipients_keeps_the_stored_ones(schedule, recipient):
    schedule()

    reminder = schedule(on=date(2025, 5, 21), recipients=None, due_date=date(2025, 6, 6))

    assert list(reminder.recipients.all()) == [recipient]


def test_inactive_recipients_are_skipped(schedule, recipient):
    schedule()
    recipient.is_active = False
    recipient.save(update_fields=["is_active"])

    assert services.reminders_send_due(today=date(2025, 6, 2)) == 0
    assert Reminder.objects.get().next_remind_on == date(2025, 6, 4)  # the date is done all the same


def unit_staff_of_the_target(reminder):
    """A resolver: whoever is on the target's staff when the reminder goes out."""
    return [UserFactory(username="t-resolved", email="resolved@example.org")]


def broken_resolver(reminder):
    raise LookupError("the unit has no staff")


def test_a_resolver_names_the_recipients_when_it_is_sent(schedule, recipient):
    schedule(recipient_resolver="tests.notifications.test_reminders.unit_staff_of_the_target")

    services.reminders_send_due(today=date(2025, 6, 2))

    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "t-recipient",
        "t-resolved",
    ]


def test_an_unknown_resolver_is_refused_when_scheduling(schedule):
    with pytest.raises(ImportError):
        schedule(recipient_resolver="tests.notifications.test_reminders.nobody_by_that_name")


def test_one_broken_reminder_does_not_stop_the_others(schedule, recipient, caplog):
    broken = schedule(recipient_resolver="tests.notifications.test_reminders.broken_resolver")
    services.reminder_schedule(
        target=HandlingUnitFactory(name="市教育局"),
        kind=KIND,
        due_date=DUE,
        title="答复第1002号建议",
        recipients=[recipient],
    )

    assert services.reminders_send_due(today=date(2025, 6, 2)) == 1

    assert list(Notification.objects.values_list("title", flat=True)) == ["答复第1002号建议（还有3天到期）"]
    assert f"reminder {broken.pk} could not be sent" in caplog.text
    broken.refresh_from_db()
    assert broken.next_remind_on == date(2025, 6, 2)  # tried again at the next run
