"""Qualification rules (Deputies Law Arts. 61-63) and registry edits, through the services."""

from datetime import date

import pytest

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.deputies import workflow
from lvzhi.deputies.choices import MandateEventType as T
from lvzhi.deputies.choices import MandateStatus as S
from lvzhi.deputies.choices import SuspensionCause
from lvzhi.deputies.models import Mandate, MandateEvent, Person
from lvzhi.deputies.services import (
    DeputyData,
    deputy_create,
    mandate_event_record,
    mandate_update,
    person_update,
    resume_ended_suspensions,
)

from ..factories import MandateFactory

TODAY = date(2025, 6, 30)


def record(mandate, type, on, actor, **kwargs):
    kwargs.setdefault("reason", "依法记录")
    kwargs.setdefault("document_reference", "榕人常〔2025〕1号")
    return mandate_event_record(mandate_id=mandate.pk, type=type, on=on, actor=actor, today=TODAY, **kwargs)


def assert_unchanged(mandate, status, event_count):
    mandate.refresh_from_db()
    assert mandate.status == status
    assert mandate.events.count() == event_count


@pytest.fixture
def mandate(gulou_mandate):
    return gulou_mandate


def test_suspension_sets_status_and_records_cause(mandate, staff):
    event = record(mandate, T.SUSPENSION, date(2025, 3, 1), staff, suspension_cause=SuspensionCause.CUSTODY)

    mandate.refresh_from_db()
    assert mandate.status == S.SUSPENDED
    assert mandate.status_since == date(2025, 3, 1)
    assert event.actor == staff
    assert event.suspension_cause == SuspensionCause.CUSTODY


def test_suspension_without_cause_is_refused(mandate, staff):
    with pytest.raises(DomainError, match="第六十一条"):
        record(mandate, T.SUSPENSION, date(2025, 3, 1), staff)
    assert_unchanged(mandate, S.ACTIVE, 1)


def test_suspension_ends_by_itself_when_the_cause_ends(mandate, staff):
    record(
        mandate,
        T.SUSPENSION,
        date(2025, 3, 1),
        staff,
        suspension_cause=SuspensionCause.SENTENCE,
        cause_ends_on=date(2025, 9, 1),
    )

    assert resume_ended_suspensions(today=date(2025, 8, 31)) == 0
    assert resume_ended_suspensions(today=date(2025, 9, 1)) == 1
    assert resume_ended_suspensions(today=date(2025, 9, 2)) == 0  # idempotent

    mandate.refresh_from_db()
    assert mandate.status == S.ACTIVE
    assert mandate.status_since == date(2025, 9, 1)
    resumption = mandate.events.get(type=T.RESUMPTION)
    assert resumption.is_automatic and resumption.actor is None
    assert resumption.ends_suspension.type == T.SUSPENSION


def test_suspension_whose_cause_already_ended_resumes_at_once(mandate, staff):
    record(
        mandate,
        T.SUSPENSION,
        date(2025, 3, 1),
        staff,
        suspension_cause=SuspensionCause.CUSTODY,
        cause_ends_on=date(2025, 4, 1),
    )
    mandate.refresh_from_db()
    assert mandate.status == S.ACTIVE
    assert list(mandate.events.values_list("type", flat=True)) == [T.ELECTION, T.SUSPENSION, T.RESUMPTION]


def test_terminated_mandate_is_not_resumed_when_the_cause_ends(mandate, staff):
    record(
        mandate,
        T.SUSPENSION,
        date(2025, 3, 1),
        staff,
        suspension_cause=SuspensionCause.CUSTODY,
        cause_ends_on=date(2025, 9, 1),
    )
    record(mandate, T.DEPRIVATION_OF_POLITICAL_RIGHTS, date(2025, 5, 1), staff)

    assert resume_ended_suspensions(today=date(2025, 10, 1)) == 0
    assert_unchanged(mandate, S.TERMINATED, 3)


def test_manual_resumption_of_a_suspension(mandate, staff):
    record(mandate, T.SUSPENSION, date(2025, 3, 1), staff, suspension_cause=SuspensionCause.CUSTODY)
    event = record(mandate, T.RESUMPTION, date(2025, 4, 1), staff, reason="取保候审，羁押解除")

    assert event.ends_suspension.type == T.SUSPENSION
    assert_unchanged(mandate, S.ACTIVE, 3)


def test_resuming_a_terminated_mandate_is_refused(mandate, staff):
    record(mandate, T.RESIGNATION, date(2025, 2, 1), staff)

    with pytest.raises(DomainError) as refusal:
        record(mandate, T.RESUMPTION, date(2025, 3, 1), staff)

    assert refusal.value.message == "该代表资格已终止，不能恢复执行代表职务。"
    assert_unchanged(mandate, S.TERMINATED, 2)


def test_resuming_an_active_mandate_is_refused(mandate, staff):
    with pytest.raises(DomainError, match="无需恢复"):
        record(mandate, T.RESUMPTION, date(2025, 3, 1), staff)
    assert_unchanged(mandate, S.ACTIVE, 1)


def test_a_new_suspension_changes_the_cause_and_its_end(mandate, staff):
    record(mandate, T.SUSPENSION, date(2025, 3, 1), staff, suspension_cause=SuspensionCause.CUSTODY)
    record(
        mandate,
        T.SUSPENSION,
        date(2025, 5, 1),
        staff,
        suspension_cause=SuspensionCause.SENTENCE,
        cause_ends_on=date(2025, 11, 1),
        reason="判处拘役六个月",
    )

    mandate.refresh_from_db()
    assert (mandate.status, mandate.status_since) == (S.SUSPENDED, date(2025, 3, 1))
    assert resume_ended_suspensions(today=date(2025, 10, 31)) == 0
    assert resume_ended_suspensions(today=date(2025, 11, 1)) == 1
    mandate.refresh_from_db()
    assert (mandate.status, mandate.status_since) == (S.ACTIVE, date(2025, 11, 1))
    assert mandate.events.get(type=T.RESUMPTION).ends_suspension.suspension_cause == SuspensionCause.SENTENCE


def test_recording_one_suspension_resumes_no_other_mandate(mandate, staff, taijiang_mandate):
    record(
        taijiang_mandate,
        T.SUSPENSION,
        date(2025, 3, 1),
        staff,
        suspension_cause=SuspensionCause.CUSTODY,
        cause_ends_on=date(2025, 4, 1),
    )
    # taijiang's own suspension already ended and resumed at once; now leave one pending:
    record(taijiang_mandate, T.SUSPENSION, date(2025, 5, 1), staff, suspension_cause=SuspensionCause.CUSTODY)
    MandateEvent.objects.filter(mandate=taijiang_mandate, date=date(2025, 5, 1)).update(
        cause_ends_on=date(2025, 5, 2)
    )

    record(
        mandate,
        T.SUSPENSION,
        date(2025, 3, 1),
        staff,
        suspension_cause=SuspensionCause.CUSTODY,
        cause_ends_on=date(2025, 4, 1),
    )

    taijiang_mandate.refresh_from_db()
    assert taijiang_mandate.status == S.SUSPENDED  # left for the scheduler, not resumed by this request


def test_event_after_the_term_ended_is_refused(mandate, staff):
    mandate.term.end_date = date(2024, 12, 31)
    mandate.term.save()
    with pytest.raises(DomainError, match="不能晚于该届任期结束日期（2024-12-31）"):
        record(mandate, T.RESIGNATION, date(2025, 1, 2), staff)
    assert_unchanged(mandate, S.ACTIVE, 1)


def test_announcement_cannot_precede_the_termination(mandate, staff):
    with pytest.raises(DomainError, match="公告日期不能早于资格终止日期"):
        record(mandate, T.DEATH, date(2025, 5, 20), staff, announcement_date=date(2025, 5, 19))
    assert_unchanged(mandate, S.ACTIVE, 1)


def test_event_before_the_mandate_began_is_refused(mandate, staff):
    with pytest.raises(DomainError) as refusal:
        record(mandate, T.RESIGNATION, date(2021, 12, 31), staff)
    assert refusal.value.message == "变动日期不能早于当选日期（2022-01-06）。"
    assert refusal.value.field == "date"
    assert_unchanged(mandate, S.ACTIVE, 1)


def test_event_before_the_last_event_is_refused(mandate, staff):
    record(mandate, T.SUSPENSION, date(2025, 3, 1), staff, suspension_cause=SuspensionCause.CUSTODY)
    with pytest.raises(DomainError, match="不能早于最近一次资格变动（2025-03-01）"):
        record(mandate, T.DEATH, date(2025, 2, 1), staff)
    assert_unchanged(mandate, S.SUSPENDED, 2)


def test_future_event_is_refused(mandate, staff):
    with pytest.raises(DomainError, match="不能晚于今天"):
        record(mandate, T.RESIGNATION, date(2025, 7, 1), staff)
    assert_unchanged(mandate, S.ACTIVE, 1)


def test_election_cannot_be_recorded_twice(mandate, staff):
    with pytest.raises(DomainError):
        record(mandate, T.ELECTION, date(2025, 3, 1), staff)
    assert_unchanged(mandate, S.ACTIVE, 1)


@pytest.mark.parametrize("event_type", workflow.TERMINATING_EVENTS)
def test_every_termination_is_announced(mandate, staff, event_type):
    event = record(mandate, event_type, date(2025, 5, 20), staff, announcement_number="第12号")

    mandate.refresh_from_db()
    assert mandate.status == S.TERMINATED
    assert event.announcement_number == "第12号"
    assert event.announcement_date == date(2025, 5, 20)
    assert mandate.person.name in event.announcement_text
    # Art. 62's grounds are cited; death is not one of them.
    assert ("第六十二条" in event.announcement_text) == (event_type != T.DEATH)
    assert str(T(event_type).label) in event.announcement_text
    assert "2025年5月20日" in event.announcement_text


@pytest.mark.parametrize("event_type", sorted(workflow.TERMINATING_EVENTS))
def test_no_event_after_termination(mandate, staff, event_type):
    record(mandate, T.DEATH, date(2025, 5, 20), staff)
    with pytest.raises(DomainError, match="已终止"):
        record(mandate, event_type, date(2025, 5, 21), staff)
    assert_unchanged(mandate, S.TERMINATED, 2)


def test_suspended_mandate_can_terminate(mandate, staff):
    record(mandate, T.SUSPENSION, date(2025, 3, 1), staff, suspension_cause=SuspensionCause.SENTENCE)
    record(mandate, T.RECALL, date(2025, 4, 1), staff)
    assert_unchanged(mandate, S.TERMINATED, 3)


def test_two_unapproved_absences_terminate(mandate, staff):
    event = record(mandate, T.UNAPPROVED_ABSENCES, date(2025, 1, 20), staff)
    assert "未经批准两次不出席" in event.announcement_text
    assert_unchanged(mandate, S.TERMINATED, 2)


def test_status_is_always_the_replay_of_the_events(mandate, staff):
    record(mandate, T.SUSPENSION, date(2025, 3, 1), staff, suspension_cause=SuspensionCause.CUSTODY)
    record(mandate, T.RESUMPTION, date(2025, 4, 1), staff)
    record(mandate, T.TRANSFER_OUT, date(2025, 5, 1), staff)

    mandate.refresh_from_db()
    types = list(mandate.events.order_by("date", "id").values_list("type", flat=True))
    assert workflow.replay(types) == mandate.status == S.TERMINATED


def test_available_events_follow_the_status_in_declared_order():
    terminations = [*list(workflow.ART_62_EVENTS), T.DEATH]
    assert workflow.available_events(S.ACTIVE) == [T.SUSPENSION, *terminations]
    assert workflow.available_events(S.SUSPENDED) == [T.SUSPENSION, T.RESUMPTION, *terminations]
    assert workflow.available_events(S.TERMINATED) == []


@pytest.mark.parametrize("fixture", ["county_user", "unit_user", "deputy_user", "leader", "committee_user"])
def test_only_the_office_records_events(mandate, fixture, request):
    with pytest.raises(ForbiddenError):
        record(mandate, T.RESIGNATION, date(2025, 2, 1), request.getfixturevalue(fixture))
    assert_unchanged(mandate, S.ACTIVE, 1)


# Registry edits -----------------------------------------------------------------------------


def deputy_data(term, unit, **overrides):
    values = dict(
        person={
            "name": "曾小红",
            "gender": "female",
            "id_number": "350102199001011234",
            "phone": "13900000001",
        },
        congress=term.congress,
        term=term,
        card_number="１６９９９",  # full-width digits are normalised
        electoral_unit=unit,
        composition="worker",
        is_grassroots=True,
        start_date=date(2022, 1, 6),
        fields=[],
        groups=[],
    )
    values.update(overrides)
    return DeputyData(**values)


def test_deputy_create_seats_a_deputy_with_its_election(term, gulou, staff):
    mandate = deputy_create(data=deputy_data(term, gulou), actor=staff)

    assert mandate.card_number == "16999"
    assert mandate.status == S.ACTIVE
    assert mandate.person.name_initials == "zxh"
    assert list(mandate.events.values_list("type", "date", "actor")) == [
        (T.ELECTION, date(2022, 1, 6), staff.pk)
    ]
    assert mandate.history.get().history_user == staff


def test_by_election_is_recorded_as_such(term, gulou, staff):
    mandate = deputy_create(
        data=deputy_data(term, gulou, by_election=True, start_date=date(2024, 1, 8)), actor=staff
    )
    assert mandate.events.get().type == T.BY_ELECTION


def test_same_person_can_hold_a_city_and_a_provincial_mandate(term, gulou, staff):
    from ..factories import CongressFactory, ElectoralUnitFactory, TermFactory

    city = deputy_create(data=deputy_data(term, gulou), actor=staff)
    province = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level="provincial", region="福建省"
    )
    provincial_term = TermFactory(congress=province, number=14, start_date=date(2023, 1, 1))
    fuzhou = ElectoralUnitFactory(congress=province, name="福州市")

    provincial = deputy_create(
        data=deputy_data(
            provincial_term, fuzhou, congress=province, card_number="14001", start_date=date(2023, 1, 15)
        ),
        actor=staff,
    )

    assert provincial.person == city.person
    assert Person.objects.count() == 1
    assert city.person.mandates.count() == 2


def test_duplicate_card_number_is_refused(term, gulou, staff, gulou_mandate):
    with pytest.raises(DomainError, match="代表证号"):
        deputy_create(data=deputy_data(term, gulou, card_number=gulou_mandate.card_number), actor=staff)
    assert Mandate.objects.count() == 1


def test_start_date_outside_the_term_is_refused(term, gulou, staff):
    with pytest.raises(DomainError, match="任期"):
        deputy_create(data=deputy_data(term, gulou, start_date=date(2021, 5, 1)), actor=staff)
    assert Person.objects.count() == 0


def test_county_staff_cannot_create_deputies(term, gulou, county_user):
    with pytest.raises(ForbiddenError):
        deputy_create(data=deputy_data(term, gulou), actor=county_user)
    assert Mandate.objects.count() == 0


def test_person_update_keeps_history_and_pinyin(mandate, staff):
    person = mandate.person
    person_update(
        person_id=person.pk, expected_version=person.version, changes={"name": "吴新名", "phone": "13800000000"},
        actor=staff,
    )  # fmt: skip
    person.refresh_from_db()
    assert (person.name, person.name_initials, person.version) == ("吴新名", "wxm", 2)
    latest = person.history.first()
    assert latest.history_user == staff and latest.name == "吴新名"


def test_stale_edit_is_refused_and_changes_nothing(mandate, staff):
    person = mandate.person
    person_update(person_id=person.pk, expected_version=1, changes={"phone": "13800000001"}, actor=staff)

    with pytest.raises(ConflictError, match="已被他人修改"):
        person_update(person_id=person.pk, expected_version=1, changes={"phone": "13800000002"}, actor=staff)

    person.refresh_from_db()
    assert person.phone == "13800000001"
    assert person.version == 2


def test_mandate_update_cannot_touch_status(mandate, staff):
    with pytest.raises(DomainError, match="不能修改"):
        mandate_update(mandate_id=mandate.pk, expected_version=mandate.version, changes={"status": S.TERMINATED},
                       actor=staff)  # fmt: skip
    assert_unchanged(mandate, S.ACTIVE, 1)


def test_mandate_update_moves_the_election_date(mandate, staff):
    mandate_update(
        mandate_id=mandate.pk, expected_version=1, changes={"start_date": date(2022, 2, 1)}, actor=staff
    )
    assert mandate.events.get().date == date(2022, 2, 1)
    mandate.refresh_from_db()
    assert mandate.status_since == date(2022, 2, 1)


def test_groups_of_another_congress_are_refused(mandate, staff, term, gulou):
    from ..factories import CongressFactory, DeputyGroupFactory

    province = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level="provincial", region="福建省"
    )
    stranger = DeputyGroupFactory(congress=province, name="省人大福州代表小组")

    with pytest.raises(DomainError, match="省人大福州代表小组"):
        deputy_create(data=deputy_data(term, gulou, groups=[stranger]), actor=staff)
    with pytest.raises(DomainError, match="不属于该代表所在的人大"):
        mandate_update(mandate_id=mandate.pk, expected_version=1, changes={}, groups=[stranger], actor=staff)
    assert Mandate.objects.count() == 1
    assert not mandate.groups.exists()


def test_mandate_update_refuses_a_start_after_recorded_events(mandate, staff):
    record(mandate, T.SUSPENSION, date(2023, 3, 1), staff, suspension_cause=SuspensionCause.CUSTODY)
    with pytest.raises(DomainError, match="不能晚于已记录的资格变动"):
        mandate_update(mandate_id=mandate.pk, expected_version=mandate.version + 1,
                       changes={"start_date": date(2024, 1, 1)}, actor=staff)  # fmt: skip
    mandate.refresh_from_db()
    assert mandate.start_date == date(2022, 1, 6)


def test_event_counts_are_exact_after_a_refusal(staff, term, gulou):
    mandate = MandateFactory(congress=term.congress, term=term, electoral_unit=gulou)
    before = MandateEvent.objects.count()
    with pytest.raises(DomainError):
        record(mandate, "no_such_event", date(2025, 1, 1), staff)
    assert MandateEvent.objects.count() == before


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("reason", "请填写资格变动的事由。"),
        ("document_reference", "请填写资格变动的文件依据（如决定或公告文号）。"),
    ],
)
def test_event_without_reason_or_document_is_refused(mandate, staff, missing, message):
    with pytest.raises(DomainError) as refused:
        record(mandate, T.RESIGNATION, date(2025, 3, 1), staff, **{missing: "  "})

    assert (refused.value.field, str(refused.value.message)) == (missing, message)
    assert_unchanged(mandate, S.ACTIVE, 1)


def test_account_follows_the_only_mandate(mandate, staff):
    from lvzhi.accounts.choices import AccountEventType, InactiveCause
    from lvzhi.accounts.models import User

    user = User.objects.create(username="d-gulou", role="deputy")
    Person.objects.filter(pk=mandate.person_id).update(user=user)

    record(mandate, T.SUSPENSION, date(2025, 3, 1), staff, suspension_cause=SuspensionCause.CUSTODY)
    user.refresh_from_db()
    assert (user.is_active, user.inactive_cause) == (False, InactiveCause.MANDATE_ENDED)

    record(mandate, T.RESUMPTION, date(2025, 4, 1), staff)
    user.refresh_from_db()
    assert (user.is_active, user.inactive_cause) == (True, InactiveCause.NONE)

    record(mandate, T.DEATH, date(2025, 5, 1), staff)
    user.refresh_from_db()
    assert user.is_active is False
    assert list(user.account_events.values_list("type", flat=True)) == [
        AccountEventType.DEACTIVATED,
        AccountEventType.REACTIVATED,
        AccountEventType.DEACTIVATED,
    ]


def test_account_stays_active_while_another_mandate_is(mandate, staff):
    from lvzhi.accounts.models import User

    user = User.objects.create(username="d-two", role="deputy")
    Person.objects.filter(pk=mandate.person_id).update(user=user)
    MandateFactory(person=mandate.person, card_number="P001", congress__name="福建省人民代表大会")

    record(mandate, T.RESIGNATION, date(2025, 3, 1), staff)

    user.refresh_from_db()
    assert user.is_active is True


def test_manual_deactivation_is_not_undone_by_a_resumption(mandate, staff):
    from lvzhi.accounts.choices import InactiveCause
    from lvzhi.accounts.models import User

    user = User.objects.create(username="d-manual", role="deputy")
    Person.objects.filter(pk=mandate.person_id).update(user=user)
    record(mandate, T.SUSPENSION, date(2025, 3, 1), staff, suspension_cause=SuspensionCause.CUSTODY)
    User.objects.filter(pk=user.pk).update(inactive_cause=InactiveCause.MANUAL)

    record(mandate, T.RESUMPTION, date(2025, 4, 1), staff)

    user.refresh_from_db()
    assert (user.is_active, user.inactive_cause) == (False, InactiveCause.MANUAL)


def test_a_new_mandate_reactivates_an_account_its_old_one_had_switched_off(term, gulou, staff):
    from lvzhi.accounts.choices import InactiveCause
    from lvzhi.accounts.models import User

    from ..factories import CongressFactory, ElectoralUnitFactory, TermFactory

    city = deputy_create(data=deputy_data(term, gulou), actor=staff)
    user = User.objects.create(username="d-back", role="deputy")
    Person.objects.filter(pk=city.person_id).update(user=user)
    record(city, T.TRANSFER_OUT, date(2022, 12, 1), staff)
    user.refresh_from_db()
    assert (user.is_active, user.inactive_cause) == (False, InactiveCause.MANDATE_ENDED)

    province = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level="provincial", region="福建省"
    )
    provincial_term = TermFactory(congress=province, number=14, start_date=date(2023, 1, 1))
    deputy_create(
        data=deputy_data(
            provincial_term,
            ElectoralUnitFactory(congress=province, name="福州市"),
            congress=province,
            card_number="14001",
            start_date=date(2023, 1, 15),
        ),
        actor=staff,
    )

    user.refresh_from_db()
    assert (user.is_active, user.inactive_cause) == (True, InactiveCause.NONE)
