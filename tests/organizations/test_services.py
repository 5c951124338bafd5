"""The structure services: who may write, stale edits, the structure's rules, refused deletes,
and the record of who changed what."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.organizations import services
from lvzhi.organizations.choices import CongressLevel, HandlingUnitKind
from lvzhi.organizations.models import (
    Congress,
    DeputyGroup,
    ElectoralUnit,
    ExpertiseField,
    HandlingUnit,
    Term,
)
from lvzhi.organizations.selectors import structure_history
from lvzhi.organizations.services import structure_delete, structure_save
from tests.factories import (
    CongressFactory,
    DeputyGroupFactory,
    ExpertiseFieldFactory,
    HandlingUnitFactory,
    SessionFactory,
    TermFactory,
)


def save(model, instance=None, *, actor, **data):
    """Save as an editor who has just read ``instance``."""
    return structure_save(
        model=model,
        instance=instance,
        data=data,
        actor=actor,
        expected_updated_at=instance.updated_at if instance is not None else None,
    )


@pytest.mark.parametrize("role", ["leader", "county_user", "unit_user", "committee_user", "deputy_user"])
def test_only_the_office_may_write(request, role, handling_unit):
    actor = request.getfixturevalue(role)

    with pytest.raises(ForbiddenError, match="您没有维护组织结构的权限。"):
        save(ExpertiseField, actor=actor, name="生态环境", order=1)
    with pytest.raises(ForbiddenError):
        save(HandlingUnit, handling_unit, actor=actor, name="改名")
    with pytest.raises(ForbiddenError):
        structure_delete(instance=handling_unit, actor=actor)

    assert not ExpertiseField.objects.exists()
    handling_unit.refresh_from_db()
    assert handling_unit.name == "市住房和城乡建设局"


def test_create_records_the_actor(staff):
    unit = save(HandlingUnit, actor=staff, name="市教育局", kind=HandlingUnitKind.GOVERNMENT_DEPARTMENT)

    record = unit.history.get()
    assert (record.history_type, record.history_user, record.name) == ("+", staff, "市教育局")


def test_edit_saves_only_changed_fields_and_records_them(staff, handling_unit):
    government = HandlingUnitFactory(name="福州市人民政府")

    save(HandlingUnit, handling_unit, actor=staff, short_name="市住建局", parent=government)

    handling_unit.refresh_from_db()
    assert (handling_unit.short_name, handling_unit.parent) == ("市住建局", government)
    latest = structure_history(instance=handling_unit)[0]
    assert (latest.who, latest.action) == ("t-staff", "修改")
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("简称", "—", "市住建局"),
        ("上级单位", "—", "福州市人民政府"),
    ]


def test_edit_that_changes_nothing_writes_nothing(staff, handling_unit):
    before = handling_unit.updated_at

    save(HandlingUnit, handling_unit, actor=staff, name="市住房和城乡建设局", kind=handling_unit.kind)

    handling_unit.refresh_from_db()
    assert handling_unit.updated_at == before
    assert handling_unit.history.count() == 1


def test_stale_edit_is_refused(staff, handling_unit):
    read_at = handling_unit.updated_at
    save(HandlingUnit, handling_unit, actor=staff, short_name="市住建局")

    with pytest.raises(ConflictError, match="该记录已被他人修改，请刷新页面后重新编辑。"):
        structure_save(
            model=HandlingUnit,
            instance=handling_unit,
            data={"name": "市住建委"},
            actor=staff,
            expected_updated_at=read_at,
        )

    handling_unit.refresh_from_db()
    assert (handling_unit.name, handling_unit.short_name) == ("市住房和城乡建设局", "市住建局")


def test_edit_of_a_deleted_row_is_refused(staff):
    unit = HandlingUnitFactory(name="市临时指挥部")
    HandlingUnit.objects.filter(pk=unit.pk).delete()

    with pytest.raises(ConflictError, match="该记录已被他人删除，请返回列表。"):
        save(HandlingUnit, unit, actor=staff, name="市指挥部")


def test_edit_must_carry_the_time_it_was_read(staff, handling_unit):
    with pytest.raises(ValueError):
        structure_save(model=HandlingUnit, instance=handling_unit, data={"name": "x"}, actor=staff)


def test_fields_outside_the_model_are_a_programming_error(staff, handling_unit):
    with pytest.raises(ValueError):
        save(HandlingUnit, handling_unit, actor=staff, updated_at=handling_unit.updated_at)


def test_handling_unit_cannot_be_its_own_parent(staff, handling_unit):
    with pytest.raises(DomainError, match="上级单位不能是本单位或其下级单位。") as refusal:
        save(HandlingUnit, handling_unit, actor=staff, parent=handling_unit)

    assert refusal.value.field == "parent"
    handling_unit.refresh_from_db()
    assert handling_unit.parent is None


def test_congress_cannot_sit_under_its_own_subordinate(staff, congress):
    county = CongressFactory(
        name="鼓楼区人民代表大会", level=CongressLevel.COUNTY, region="鼓楼区", parent=congress
    )
    township = CongressFactory(
        name="鼓东街道人民代表大会", level=CongressLevel.TOWNSHIP, region="鼓东", parent=county
    )

    with pytest.raises(DomainError, match="上级人大不能是本人大或其下级人大。"):
        save(Congress, congress, actor=staff, parent=township)

    congress.refresh_from_db()
    assert congress.parent is None


def test_term_cannot_shrink_away_from_its_sessions(staff, congress):
    term = TermFactory(congress=congress, number=16, start_date=date(2022, 1, 1))
    SessionFactory(term=term, number=1, start_date=date(2022, 1, 6))
    SessionFactory(term=term, number=4, start_date=date(2025, 1, 8))

    with pytest.raises(DomainError, match="本届已有会议不在修改后的任期内：第四次会议。"):
        save(Term, term, actor=staff, end_date=date(2024, 12, 31))

    term.refresh_from_db()
    assert term.end_date is None


def test_term_with_deputies_cannot_move_to_another_congress(staff, gulou_mandate):
    term = gulou_mandate.term
    provincial = CongressFactory(name="福建省人民代表大会", level=CongressLevel.PROVINCIAL, region="福建省")

    with pytest.raises(DomainError, match="已有代表资格属于原来的人大，不能更改所属人大。"):
        save(Term, term, actor=staff, congress=provincial)

    term.refresh_from_db()
    assert term.congress_id == gulou_mandate.congress_id


def test_duplicate_slipping_past_the_check_is_still_refused(staff, handling_unit, monkeypatch):
    """Two people creating the same unit at once: the database's constraint decides, and the
    loser sees the same Chinese message instead of a 500."""
    real_check = services._check_unique
    calls = []

    def racing_check(obj):
        calls.append(obj)
        if len(calls) > 1:
            real_check(obj)

    monkeypatch.setattr(services, "_check_unique", racing_check)

    with pytest.raises(DomainError, match="名称已存在。"):
        save(HandlingUnit, actor=staff, name="市住房和城乡建设局", kind=HandlingUnitKind.OTHER)

    assert HandlingUnit.objects.count() == 1


def test_fields_of_work_keep_their_history(staff):
    field = save(ExpertiseField, actor=staff, name="财政", order=1)
    save(ExpertiseField, field, actor=staff, name="财政经济")

    history = structure_history(instance=field)
    assert [(h.action, h.who) for h in history] == [("修改", "t-staff"), ("新增", "t-staff")]
    assert [(c.label, c.old, c.new) for c in history[0].changes] == [("名称", "财政", "财政经济")]

    structure_delete(instance=field, actor=staff)

    assert ExpertiseField.history.get(id=field.pk, history_type="-").history_user == staff
    assert not ExpertiseField.objects.exists()


def test_delete_records_the_actor(staff):
    unit = HandlingUnitFactory(name="市临时指挥部")

    structure_delete(instance=unit, actor=staff)

    assert not HandlingUnit.objects.filter(pk=unit.pk).exists()
    assert HandlingUnit.history.get(id=unit.pk, history_type="-").history_user == staff


def test_delete_of_a_group_with_members_is_refused(staff, gulou_mandate):
    group = DeputyGroupFactory(congress=gulou_mandate.congress, name="鼓楼区第一代表小组")
    gulou_mandate.groups.add(group)

    with pytest.raises(DomainError, match="该记录仍被代表资格（1条）引用，不能删除。"):
        structure_delete(instance=group, actor=staff)

    assert list(gulou_mandate.groups.all()) == [group]


def test_delete_of_an_expertise_field_of_deputies_is_refused(staff, gulou_mandate, taijiang_mandate):
    field = ExpertiseFieldFactory(name="财政经济")
    gulou_mandate.fields.add(field)
    taijiang_mandate.fields.add(field)

    with pytest.raises(DomainError, match="该记录仍被代表资格（2条）引用，不能删除。"):
        structure_delete(instance=field, actor=staff)

    assert ExpertiseField.objects.filter(pk=field.pk).exists()


def test_delete_of_a_unit_with_staff_accounts_is_refused(staff, county_user, gulou):
    with pytest.raises(DomainError, match="该记录仍被用户（1条）引用，不能删除。"):
        structure_delete(instance=gulou, actor=staff)

    assert ElectoralUnit.objects.filter(pk=gulou.pk).exists()


def test_refused_delete_writes_no_history(staff, term, gulou_mandate):
    before = Term.history.count()

    with pytest.raises(DomainError):
        structure_delete(instance=term, actor=staff)

    assert Term.history.count() == before


def test_deputy_group_keeps_to_its_congress(staff, congress, gulou):
    provincial = CongressFactory(name="福建省人民代表大会", level=CongressLevel.PROVINCIAL, region="福建省")
    group = DeputyGroupFactory(congress=congress, name="鼓楼区第一代表小组", electoral_unit=gulou)

    with pytest.raises(DomainError, match="所属选举单位必须属于同一人大。"):
        save(DeputyGroup, group, actor=staff, congress=provincial)

    group.refresh_from_db()
    assert group.congress == congress


def test_session_may_fill_its_whole_term(staff, congress):
    term = TermFactory(congress=congress, number=16, start_date=date(2022, 1, 1), end_date=date(2027, 1, 1))

    session = structure_save(
        model=term.sessions.model,
        instance=None,
        data={
            "term": term,
            "number": 1,
            "start_date": term.start_date,
            "end_date": term.start_date + timedelta(days=3),
        },
        actor=staff,
    )

    assert (session.label, session.start_date) == ("第一次会议", date(2022, 1, 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_one_wins_and_the_other_is_refused(staff, monkeypatch):
    """Row lock: the second editor waits for the first to commit, then sees that the row changed.
    Without ``select_for_update`` it would read the old row and overwrite the first edit."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    unit = HandlingUnitFactory(name="市住房和城乡建设局")
    read_at = unit.updated_at
    first_holds_lock = threading.Event()
    real_check = services._check_unique

    def slow_check(obj):
        if obj.short_name == "第一人":
            first_holds_lock.set()
            time.sleep(0.5)
        real_check(obj)

    monkeypatch.setattr(services, "_check_unique", slow_check)
    outcomes = {}

    def edit(who):
        try:
            structure_save(
                model=HandlingUnit,
                instance=unit,
                data={"short_name": who},
                actor=staff,
                expected_updated_at=read_at,
            )
            outcomes[who] = "saved"
        except ConflictError as error:
            outcomes[who] = error.message
        finally:
            connection.close()

    first = threading.Thread(target=edit, args=("第一人",))
    first.start()
    assert first_holds_lock.wait(5)
    second = threading.Thread(target=edit, args=("第二人",))
    second.start()
    first.join(10)
    second.join(10)

    assert outcomes == {"第一人": "saved", "第二人": "该记录已被他人修改，请刷新页面后重新编辑。"}
    unit.refresh_from_db()
    assert unit.short_name == "第一人"
