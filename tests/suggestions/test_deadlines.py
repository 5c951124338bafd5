"""Deadlines that waited for holiday data (``lvzhi.suggestions.deadlines``): computed once staff
enter the year and mark it complete, from the date each one ran from, with the reminders the
services would have scheduled; rows reaching a year still unknown stay flagged.

The database holds the package's calendar, complete for 2004-2026; 2027 is unknown until the test
enters it as the office would: 2027-01-01 (Friday) 元旦, 2027-01-09 (Saturday) worked in lieu.
"""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.core.calendar import (
    RecomputeResult,
    WaitingDeadlines,
    calendar_day_save,
    calendar_year_mark_complete,
    deadlines_waiting,
)
from lvzhi.notifications.models import Reminder
from lvzhi.suggestions import services
from lvzhi.suggestions.choices import Satisfaction, SuggestionEventType
from lvzhi.suggestions.deadlines import deadlines_recompute_flagged
from lvzhi.suggestions.models import Assignment, ReplyRecipient, Suggestion, SuggestionEvent

from .conftest import at
from .factories import accept, released

RECOMPUTED = SuggestionEventType.DEADLINES_RECOMPUTED


def enter_2027(staff) -> None:
    """The office enters 2027's days and marks the year complete (calendar page services)."""
    calendar_day_save(day=date(2027, 1, 1), is_workday=False, name="元旦", actor=staff)
    calendar_day_save(day=date(2027, 1, 9), is_workday=True, name="", actor=staff)
    calendar_year_mark_complete(year=2027, actor=staff)


def enter_2027_without_the_task(staff, capture) -> None:
    """Enter 2027 and drop the queued recompute, so the test runs it itself."""
    with capture(execute=False):
        enter_2027(staff)


def rows(model, *, exclude=("updated_at",)) -> dict[int, dict]:
    return {
        row["id"]: {key: value for key, value in row.items() if key not in exclude}
        for row in model.objects.order_by("id").values()
    }


def reminders() -> dict[tuple, dict]:
    return {
        (r.kind, r.target_object_id): {
            "due_date": r.due_date,
            "status": r.status,
            "title": r.title,
            "link": r.link,
            "next_remind_on": r.next_remind_on,
            "recipients": sorted(user.username for user in r.recipients.all()),
        }
        for r in Reminder.objects.prefetch_related("recipients")
    }


def snapshot() -> dict:
    return {
        "suggestions": rows(Suggestion),
        "assignments": rows(Assignment),
        "recipients": rows(ReplyRecipient),
        "events": rows(SuggestionEvent),
        "reminders": reminders(),
    }


@pytest.fixture
def december_assignment(
    own_mandate,
    staff,
    urban_field,
    lead_unit,
    co_unit,
    unit_user,
    co_unit_user,
    django_capture_on_commit_callbacks,
):
    """Received and assigned on Monday 2026-12-28 to a lead unit and a co-unit; the lead unit
    acknowledged it the next day. The 5-working-day assignment window and the 7-working-day
    objection windows reach 2027: flagged."""
    with time_machine.travel(at(2026, 12, 28), tick=False), django_capture_on_commit_callbacks(execute=True):
        suggestion = accept(own_mandate, staff, field=urban_field, title="关于延长地铁末班车运营时间的建议")
        lead, co = services.suggestion_assign(
            suggestion=suggestion, actor=staff, lead=lead_unit, co_units=[co_unit]
        )
    with time_machine.travel(at(2026, 12, 29), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.assignment_acknowledge(assignment=lead, actor=unit_user)
    suggestion.refresh_from_db()
    lead.refresh_from_db()
    co.refresh_from_db()
    return suggestion, lead, co


def test_the_december_deadlines_wait_for_2027(december_assignment):
    suggestion, lead, co = december_assignment

    assert (suggestion.assign_due, suggestion.needs_calendar) == (None, True)
    assert (lead.objection_deadline, lead.reply_due, lead.needs_calendar) == (None, date(2027, 3, 28), True)
    assert (co.objection_deadline, co.co_input_due, co.needs_calendar) == (None, date(2027, 1, 28), True)
    assert set(reminders()) == {("suggestion.reply_due", lead.pk), ("suggestion.co_input_due", co.pk)}
    assert [(w.kind, w.count) for w in deadlines_waiting()] == [("assign_due", 1), ("objection_deadline", 2)]


def test_marking_2027_complete_computes_them_records_and_reminds(
    december_assignment, staff, django_capture_on_commit_callbacks
):
    suggestion, lead, co = december_assignment
    before = snapshot()

    with time_machine.travel(at(2026, 12, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        enter_2027(staff)

    after = snapshot()
    # 5 working days from 12-28: 12-29, 12-30, 12-31, (01-01 元旦), 01-04, 01-05.
    assert after["suggestions"][suggestion.pk] == {
        **before["suggestions"][suggestion.pk],
        "assign_due": date(2027, 1, 5),
        "needs_calendar": False,
    }
    # 7 working days: … 01-04, 01-05, 01-06, 01-07.
    assert after["assignments"] == {
        lead.pk: {
            **before["assignments"][lead.pk],
            "objection_deadline": date(2027, 1, 7),
            "needs_calendar": False,
        },
        co.pk: {
            **before["assignments"][co.pk],
            "objection_deadline": date(2027, 1, 7),
            "needs_calendar": False,
        },
    }
    event = SuggestionEvent.objects.get(type=RECOMPUTED)
    assert (
        event.suggestion,
        event.actor,
        event.from_status,
        event.to_status,
        event.reason,
        event.assignment,
    ) == (
        suggestion,
        None,
        "handling",
        "handling",
        "",
        None,
    )
    assert event.payload == {
        "deadlines": [
            {"deadline": "assign_due", "due": "2027-01-05"},
            {
                "deadline": "objection_deadline",
                "due": "2027-01-07",
                "assignment": lead.pk,
                "unit": "市住房和城乡建设局",
            },
            {
                "deadline": "objection_deadline",
                "due": "2027-01-07",
                "assignment": co.pk,
                "unit": "市交通运输局",
            },
        ]
    }
    assert {key: row for key, row in after["events"].items() if key != event.pk} == before["events"]
    # The co-unit still owes its receipt; the lead unit acknowledged already; none for assign_due
    # (the services schedule none).
    assert after["reminders"] == {
        **before["reminders"],
        ("suggestion.receipt_due", co.pk): {
            "due_date": date(2027, 1, 7),
            "status": "open",
            "title": "请签收建议（如有异议请在期限内提出）：关于延长地铁末班车运营时间的建议",
            "link": f"/suggestions/{suggestion.pk}/",
            "next_remind_on": date(2027, 1, 4),  # 3 days before
            "recipients": ["t-co-unit"],
        },
    }
    assert deadlines_waiting() == []


def test_a_second_run_changes_nothing(december_assignment, staff, django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 12, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        enter_2027(staff)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = deadlines_recompute_flagged()

    assert result == RecomputeResult(counts={}, still_flagged=0)
    assert callbacks == []
    assert snapshot() == before


def test_the_recompute_returns_the_counts_and_records_the_actor(
    december_assignment, staff, django_capture_on_commit_callbacks
):
    suggestion, _lead, _co = december_assignment
    enter_2027_without_the_task(staff, django_capture_on_commit_callbacks)

    result = deadlines_recompute_flagged(actor=staff)

    assert result == RecomputeResult(counts={"assign_due": 1, "objection_deadline": 2}, still_flagged=0)
    event = suggestion.events.get(type=RECOMPUTED)
    assert event.actor == staff
    assert Assignment.history.filter(history_user=staff, objection_deadline=date(2027, 1, 7)).count() == 2


def test_a_deadline_reaching_2028_stays_flagged(
    december_assignment, own_mandate, staff, urban_field, lead_unit, django_capture_on_commit_callbacks
):
    first, _lead, _co = december_assignment
    with time_machine.travel(at(2027, 12, 27), tick=False):
        later = accept(own_mandate, staff, field=urban_field, title="关于增设公交夜班线路的建议")
        [late] = services.suggestion_assign(suggestion=later, actor=staff, lead=lead_unit)
    before = snapshot()

    with time_machine.travel(at(2027, 12, 28), tick=False):
        enter_2027_without_the_task(staff, django_capture_on_commit_callbacks)
        result = deadlines_recompute_flagged()

    # 2027 is known now, 2028 is not: 12-28, 12-29, 12-30, 12-31, then 2028.
    assert result == RecomputeResult(counts={"assign_due": 1, "objection_deadline": 2}, still_flagged=2)
    after = snapshot()
    assert after["suggestions"][later.pk] == before["suggestions"][later.pk]
    assert (
        after["suggestions"][later.pk]["assign_due"],
        after["suggestions"][later.pk]["needs_calendar"],
    ) == (
        None,
        True,
    )
    assert after["assignments"][late.pk] == before["assignments"][late.pk]
    assert after["assignments"][late.pk]["needs_calendar"] is True
    assert not later.events.filter(type=RECOMPUTED).exists()
    assert first.events.filter(type=RECOMPUTED).count() == 1
    assert [(w.kind, w.count) for w in deadlines_waiting()] == [("assign_due", 1), ("objection_deadline", 1)]


def test_the_evaluation_window_of_a_reply_released_in_late_december(
    own_mandate,
    cosigner_one,
    staff,
    urban_field,
    lead_unit,
    unit_user,
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(at(2026, 12, 1), tick=False):
        suggestion = accept(own_mandate, staff, field=urban_field, cosigners=[cosigner_one])
        [lead] = services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit)
    with time_machine.travel(at(2026, 12, 21), tick=False), django_capture_on_commit_callbacks(execute=True):
        reply = released(lead, unit_user, staff, contact_deputy=own_mandate)
    lead_recipient = reply.recipients.get(mandate=own_mandate)
    cosigner_recipient = reply.recipients.get(mandate=cosigner_one)
    assert (lead_recipient.evaluation_due, lead_recipient.needs_calendar) == (None, True)
    assert ("suggestion.evaluation_due", lead_recipient.pk) not in reminders()
    # The lead deputy rates it before 2027 is entered (the window stays open meanwhile).
    with time_machine.travel(at(2026, 12, 23), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.reply_evaluate(
            recipient=lead_recipient,
            actor=own_mandate.person.user,
            satisfaction=Satisfaction.SATISFIED,
            process_rating=Satisfaction.SATISFIED,
            result_rating=Satisfaction.SATISFIED,
        )
    before = snapshot()

    with time_machine.travel(at(2026, 12, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        enter_2027(staff)

    # 20 working days from 12-21: 12-22 … 12-31 (8), 01-04 … 01-08 (13), 01-09 worked (14),
    # 01-11 … 01-15 (19), 01-18 (20).
    after = snapshot()
    due = date(2027, 1, 18)
    assert after["recipients"] == {
        lead_recipient.pk: {
            **before["recipients"][lead_recipient.pk],
            "evaluation_due": due,
            "needs_calendar": False,
        },
        cosigner_recipient.pk: {
            **before["recipients"][cosigner_recipient.pk],
            "evaluation_due": due,
            "needs_calendar": False,
        },
    }
    assert after["suggestions"] == before["suggestions"]
    assert after["assignments"] == before["assignments"]
    event = suggestion.events.get(type=RECOMPUTED)
    assert event.payload == {
        "deadlines": [
            {
                "deadline": "evaluation_due",
                "due": "2027-01-18",
                "reply": reply.pk,
                "recipient": lead_recipient.pk,
            },
            {
                "deadline": "evaluation_due",
                "due": "2027-01-18",
                "reply": reply.pk,
                "recipient": cosigner_recipient.pk,
            },
        ]
    }
    # Only the co-signer still owes an evaluation.
    assert after["reminders"] == {
        **before["reminders"],
        ("suggestion.evaluation_due", cosigner_recipient.pk): {
            "due_date": due,
            "status": "open",
            "title": f"请评价承办单位的答复：{suggestion.title}",
            "link": f"/suggestions/{suggestion.pk}/",
            "next_remind_on": date(2027, 1, 15),
            "recipients": ["t-cosigner-1"],
        },
    }


def test_a_sub_units_assignment_inherits_and_owes_no_receipt(
    own_mandate,
    staff,
    urban_field,
    government,
    government_user,
    sub_department,
    sub_department_user,
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(at(2026, 12, 28), tick=False), django_capture_on_commit_callbacks(execute=True):
        suggestion = accept(own_mandate, staff, field=urban_field)
        [parent] = services.suggestion_assign(suggestion=suggestion, actor=staff, lead=government)
        child = services.assignment_reassign(
            assignment=parent, sub_unit=sub_department, actor=government_user
        )
    child.refresh_from_db()
    assert (child.objection_deadline, child.reply_due, child.needs_calendar) == (
        None,
        date(2027, 3, 28),
        True,
    )
    before = snapshot()
    enter_2027_without_the_task(staff, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        result = deadlines_recompute_flagged()

    assert result == RecomputeResult(counts={"assign_due": 1, "objection_deadline": 1}, still_flagged=0)
    after = snapshot()
    assert after["assignments"] == {
        parent.pk: {
            **before["assignments"][parent.pk],
            "objection_deadline": date(2027, 1, 7),
            "needs_calendar": False,
        },
        # No objection window of its own (it objects to the government, not to the office).
        child.pk: {**before["assignments"][child.pk], "needs_calendar": False},
    }
    assert suggestion.events.get(type=RECOMPUTED).payload["deadlines"] == [
        {"deadline": "assign_due", "due": "2027-01-05"},
        {
            "deadline": "objection_deadline",
            "due": "2027-01-07",
            "assignment": parent.pk,
            "unit": "市人民政府",
        },
    ]
    # The government passed it on: it owes no receipt any more.
    assert after["reminders"] == before["reminders"]


def test_a_month_deadline_left_empty_is_computed_as_the_services_do(
    own_mandate, staff, urban_field, lead_unit, co_unit, co_unit_user, django_capture_on_commit_callbacks
):
    """Months never need holiday data, but a row flagged with them empty (imported data) gets them
    from its assignment date too, with the reminders of the steps still owed."""
    suggestion = accept(own_mandate, staff, field=urban_field, title="关于整治占道经营的建议")
    _lead, co = services.suggestion_assign(
        suggestion=suggestion, actor=staff, lead=lead_unit, co_units=[co_unit], on=date(2025, 3, 3)
    )
    Assignment.objects.filter(pk=co.pk).update(reply_due=None, co_input_due=None, needs_calendar=True)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        result = deadlines_recompute_flagged()

    assert result == RecomputeResult(counts={"reply_due": 1, "co_input_due": 1}, still_flagged=0)
    after = snapshot()
    assert after["assignments"][co.pk] == {
        **before["assignments"][co.pk],
        "reply_due": date(2025, 6, 3),
        "co_input_due": date(2025, 4, 3),
        "needs_calendar": False,
    }
    # A co-unit owes its input, not a reply.
    assert after["reminders"] == {
        ("suggestion.co_input_due", co.pk): {
            "due_date": date(2025, 4, 3),
            "status": "open",
            "title": "请向主办单位提交协办意见：关于整治占道经营的建议",
            "link": f"/suggestions/{suggestion.pk}/",
            "next_remind_on": date(2025, 3, 31),
            "recipients": ["t-co-unit"],
        }
    }


def test_flagged_assignments_link_to_each_units_work_list(
    december_assignment, own_mandate, urban_field, lead_unit, client, staff
):
    _suggestion, lead, co = december_assignment
    on_time = accept(own_mandate, staff, field=urban_field, title="关于规范共享单车停放的建议")
    services.suggestion_assign(suggestion=on_time, actor=staff, lead=lead_unit)  # 2025: computed

    waiting = deadlines_waiting()

    assert waiting == [
        WaitingDeadlines(kind="assign_due", label="应交办日期", count=1),
        WaitingDeadlines(
            kind="objection_deadline",
            label="异议截止日期",
            count=2,
            links=(
                ("市住房和城乡建设局（1）", f"/suggestions/work/?unit={lead.unit_id}&needs_calendar=true"),
                ("市交通运输局（1）", f"/suggestions/work/?unit={co.unit_id}&needs_calendar=true"),
            ),
        ),
    ]
    client.force_login(staff)
    html = client.get(waiting[1].links[0][1]).content.decode()
    assert "关于延长地铁末班车运营时间的建议" in html
    assert "关于规范共享单车停放的建议" not in html  # the filter works (``true``; ``1`` is ignored)


def test_queries_grow_by_a_constant_per_suggestion(
    own_mandate, staff, urban_field, lead_unit, django_capture_on_commit_callbacks
):
    enter_2027_without_the_task(staff, django_capture_on_commit_callbacks)

    def recompute_queries(count: int) -> int:
        """``count`` suggestions assigned on 2026-12-28, all flagged again as before 2027 was entered."""
        with time_machine.travel(at(2026, 12, 28), tick=False):
            while Suggestion.objects.count() < count:
                suggestion = accept(own_mandate, staff, field=urban_field)
                services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit)
        Suggestion.objects.update(assign_due=None, needs_calendar=True)
        Assignment.objects.update(objection_deadline=None, needs_calendar=True)
        with CaptureQueriesContext(connection) as queries:
            result = deadlines_recompute_flagged()
        assert result.counts == {"assign_due": count, "objection_deadline": count}
        return len(queries)

    one, three, five = recompute_queries(1), recompute_queries(3), recompute_queries(5)

    assert five - three == three - one  # a constant cost per suggestion…
    # …and a small one: lock, read its flagged rows, update them with their history, one event.
    assert (three - one) / 2 <= 10


def test_the_command_prints_what_it_computed_and_what_still_waits(
    december_assignment, own_mandate, staff, urban_field, lead_unit, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2027, 12, 27), tick=False):
        later = accept(own_mandate, staff, field=urban_field, title="关于增设公交夜班线路的建议")
        services.suggestion_assign(suggestion=later, actor=staff, lead=lead_unit)
        enter_2027_without_the_task(staff, django_capture_on_commit_callbacks)
    still_waiting = (
        "仍有 2 条记录的期限落在节假日安排尚未录入完整的年份，请在工作日历页面录入并标记录入完整。\n"
    )

    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert out.getvalue() == "已计算 3 个待补录的期限：应交办日期1个、异议截止日期2个。\n" + still_waiting

    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert out.getvalue() == "没有可以计算的期限。\n" + still_waiting
    assert SuggestionEvent.objects.filter(type=RECOMPUTED).count() == 1
