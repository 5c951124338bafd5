"""Every write to the registry that carries a rule: creating deputies, editing them, recording
qualification events. Callers: views, the API, the roster import, the demo command, the scheduler."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.lifecycle import account_follow_mandates
from lvzhi.accounts.roles import can_manage_registry
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.text import chinese_number, normalize_code, pinyin_full, pinyin_initials

from . import workflow
from .choices import MandateEventType, MandateStatus
from .models import Mandate, MandateEvent, Person

PERSON_EDITABLE = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "education",
    "workplace",
    "id_number",
    "phone",
    "email",
    "address",
)
MANDATE_EDITABLE = ("card_number", "electoral_unit", "composition", "is_grassroots", "start_date")


def _require_registry_manager(actor) -> None:
    if not can_manage_registry(actor):
        raise ForbiddenError(_("您没有维护代表名册的权限。"))


def _account_follows_mandates(person_id: int, actor) -> None:
    """A deputy's account is active while the person holds an active mandate (in any congress):
    switched off when the last one terminates or is suspended, on again when one is active."""
    person = Person.objects.filter(pk=person_id).only("user_id").first()
    if person is None or person.user_id is None:
        return
    active = Mandate.objects.filter(person_id=person_id, status=MandateStatus.ACTIVE).exists()
    account_follow_mandates(user_id=person.user_id, holds_active_mandate=active, actor=actor)


def person_apply_name(person: Person, name: str) -> None:
    """Set the name and the pinyin forms searched by "zs" → 张三."""
    person.name = name.strip()
    person.name_pinyin = pinyin_full(person.name)
    person.name_initials = pinyin_initials(person.name)


def _check_card_number_free(*, congress_id: int, term_id: int, card_number: str, exclude_pk=None) -> None:
    clash = Mandate.objects.filter(congress_id=congress_id, term_id=term_id, card_number=card_number)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(_("代表证号“{number}”已被使用。").format(number=card_number), field="card_number")


def _check_groups_of_congress(groups, congress_id: int) -> None:
    strangers = [group.name for group in groups if group.congress_id != congress_id]
    if strangers:
        raise DomainError(
            _("代表小组“{groups}”不属于该代表所在的人大。").format(groups="、".join(strangers)),
            field="groups",
        )


def _check_start_in_term(term, start_date: date) -> None:
    if start_date < term.start_date or (term.end_date and start_date > term.end_date):
        raise DomainError(_("当选日期不在{term}的任期内。").format(term=term), field="start_date")


@dataclass
class DeputyData:
    """What the registry needs to seat a deputy: the person and the mandate."""

    person: dict
    congress: object
    term: object
    card_number: str
    electoral_unit: object
    composition: str
    is_grassroots: bool
    start_date: date
    fields: list
    groups: list
    by_election: bool = False
    reason: str = ""


@transaction.atomic
def deputy_create(*, data: DeputyData, actor) -> Mandate:
    """Seat a deputy: find or create the person (by ID number), create the mandate and its
    election event. Only the deputy-affairs office may do it."""
    _require_registry_manager(actor)
    card_number = normalize_code(data.card_number)
    if data.electoral_unit.congress_id != data.congress.pk or data.term.congress_id != data.congress.pk:
        raise DomainError(_("选举单位、届次必须属于同一人大。"))
    _check_start_in_term(data.term, data.start_date)
    _check_groups_of_congress(data.groups, data.congress.pk)
    _check_card_number_free(congress_id=data.congress.pk, term_id=data.term.pk, card_number=card_number)

    id_number = normalize_code(data.person.get("id_number", ""))
    person = Person.objects.select_for_update().filter(id_number=id_number).first() if id_number else None
    if person is None:
        person = Person(**{k: v for k, v in data.person.items() if k in PERSON_EDITABLE and k != "name"})
        person.id_number = id_number
        person_apply_name(person, data.person["name"])
        person._history_user = actor
        person.save()
    else:
        typed_name = data.person.get("name", "").strip()
        if typed_name != person.name or data.person.get("gender", person.gender) != person.gender:
            raise DomainError(
                _("公民身份号码已登记为{name}，与填写的姓名或性别不符，请核对。").format(name=person.name),
                field="id_number",
            )
        if Mandate.objects.filter(person=person, congress=data.congress, term=data.term).exists():
            raise DomainError(_("{name}已是{term}代表。").format(name=person.name, term=data.term))

    mandate = Mandate(
        person=person,
        congress=data.congress,
        term=data.term,
        card_number=card_number,
        electoral_unit=data.electoral_unit,
        composition=data.composition,
        is_grassroots=data.is_grassroots,
        start_date=data.start_date,
        status=MandateStatus.ACTIVE,
        status_since=data.start_date,
    )
    mandate._history_user = actor
    mandate.save()
    mandate.fields.set(data.fields)
    mandate.groups.set(data.groups)
    MandateEvent.objects.create(
        mandate=mandate,
        type=MandateEventType.BY_ELECTION if data.by_election else MandateEventType.ELECTION,
        date=data.start_date,
        reason=data.reason,
        actor=actor,
    )
    _account_follows_mandates(person.pk, actor)
    return mandate


@transaction.atomic
def person_update(*, person_id: int, expected_version: int, changes: dict, actor) -> Person:
    """Edit a person's data. A stale ``expected_version`` (somebody saved meanwhile) is refused."""
    _require_registry_manager(actor)
    person = Person.lock_for_edit(person_id, expected_version)
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise DomainError(_("不能修改这些字段：{fields}").format(fields="、".join(sorted(unknown))))
    for field, value in changes.items():
        if field == "name":
            person_apply_name(person, value)
        elif field == "id_number":
            person.id_number = normalize_code(value)
        else:
            setattr(person, field, value)
    if person.id_number and Person.objects.filter(id_number=person.id_number).exclude(pk=person.pk).exists():
        raise DomainError(_("公民身份号码已属于另一人员。"), field="id_number")
    person._history_user = actor
    person.save()
    return person


@transaction.atomic
def mandate_update(
    *, mandate_id: int, expected_version: int, changes: dict, actor, fields=None, groups=None
) -> Mandate:
    """Edit a mandate's registry data (never its status: that comes from events)."""
    _require_registry_manager(actor)
    mandate = Mandate.lock_for_edit(mandate_id, expected_version)
    unknown = set(changes) - set(MANDATE_EDITABLE)
    if unknown:
        raise DomainError(_("不能修改这些字段：{fields}").format(fields="、".join(sorted(unknown))))
    for field, value in changes.items():
        setattr(mandate, field, normalize_code(value) if field == "card_number" else value)
    if "card_number" in changes:
        _check_card_number_free(
            congress_id=mandate.congress_id,
            term_id=mandate.term_id,
            card_number=mandate.card_number,
            exclude_pk=mandate.pk,
        )
    if "electoral_unit" in changes and mandate.electoral_unit.congress_id != mandate.congress_id:
        raise DomainError(_("选举单位必须属于该代表所在的人大。"), field="electoral_unit")
    if "start_date" in changes:
        _check_start_in_term(mandate.term, mandate.start_date)
        first_later = mandate.events.exclude(type__in=workflow.START_EVENTS).order_by("date").first()
        if first_later and first_later.date < mandate.start_date:
            raise DomainError(_("当选日期不能晚于已记录的资格变动日期。"), field="start_date")
        mandate.events.filter(type__in=workflow.START_EVENTS).update(date=mandate.start_date)
        if first_later is None:
            mandate.status_since = mandate.start_date  # the status still dates from the election
    if groups is not None:
        _check_groups_of_congress(groups, mandate.congress_id)
    mandate._history_user = actor
    mandate.save()
    if fields is not None:
        mandate.fields.set(fields)
    if groups is not None:
        mandate.groups.set(groups)
    return mandate


def termination_announcement(mandate: Mandate, event_type: str, on: date) -> str:
    """Art. 63: the termination of a mandate is announced by the standing committee. The grounds
    of Art. 62 are cited; death ends a mandate without being one of them."""
    congress = mandate.congress
    basis = (
        _("依照《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》第六十二条的规定，")
        if event_type in workflow.ART_62_EVENTS
        else ""
    )
    return _(
        "{congress}常务委员会公告\n\n"
        "{unit}选出的{congress}第{term}届代表{name}，因{cause}，{basis}"
        "其代表资格终止。\n\n特此公告。\n\n{congress}常务委员会\n{year}年{month}月{day}日"
    ).format(
        basis=basis,
        congress=congress.name,
        unit=mandate.electoral_unit.name,
        term=chinese_number(mandate.term.number),
        name=mandate.person.name,
        cause=MandateEventType(event_type).label,
        year=on.year,
        month=on.month,
        day=on.day,
    )


@transaction.atomic
def mandate_event_record(
    *,
    mandate_id: int,
    type: str,
    on: date,
    actor,
    reason: str = "",
    document_reference: str = "",
    suspension_cause: str = "",
    cause_ends_on: date | None = None,
    announcement_number: str = "",
    announcement_date: date | None = None,
    announcement_text: str = "",
    today: date | None = None,
) -> MandateEvent:
    """Record a qualification event and derive the mandate's new status from it.

    Refused (with a Chinese message, nothing written) when the event cannot follow the current
    status (``workflow``), is dated before the mandate began or before the last event, or lies in
    the future. A suspension needs its Art. 61 cause; a termination gets its announcement (Art. 63).
    Every event carries its reason and the document it rests on (DOMAIN §2). The person's account
    follows: deactivated when no active mandate is left, reactivated when one is.
    """
    _require_registry_manager(actor)
    today = today or timezone.localdate()
    mandate = (
        Mandate.objects.select_for_update()
        .select_related("person", "congress", "term", "electoral_unit")
        .get(pk=mandate_id)
    )
    if type not in workflow.TRANSITIONS or type in workflow.START_EVENTS:
        raise DomainError(_("不能在此记录该类型的资格变动。"), field="type")
    new_status = workflow.status_after(mandate.status, type)
    if on < mandate.start_date:
        raise DomainError(
            _("变动日期不能早于当选日期（{start}）。").format(start=mandate.start_date.isoformat()),
            field="date",
        )
    last = mandate.events.order_by("-date", "-id").first()
    if last and on < last.date:
        raise DomainError(
            _("变动日期不能早于最近一次资格变动（{last}）。").format(last=last.date.isoformat()), field="date"
        )
    if on > today:
        raise DomainError(_("变动日期不能晚于今天。"), field="date")
    if mandate.term.end_date and on > mandate.term.end_date:
        raise DomainError(
            _("变动日期不能晚于该届任期结束日期（{end}）。").format(end=mandate.term.end_date.isoformat()),
            field="date",
        )

    event = MandateEvent(
        mandate=mandate,
        type=type,
        date=on,
        reason=reason.strip(),
        document_reference=document_reference.strip(),
        actor=actor,
    )
    if type == MandateEventType.SUSPENSION:
        if not suspension_cause:
            raise DomainError(
                _("暂停执行代表职务须注明《代表法》第六十一条规定的原因。"), field="suspension_cause"
            )
        if cause_ends_on and cause_ends_on < on:
            raise DomainError(_("暂停原因消失日期不能早于暂停日期。"), field="cause_ends_on")
        event.suspension_cause = suspension_cause
        event.cause_ends_on = cause_ends_on
    elif suspension_cause or cause_ends_on:
        raise DomainError(_("只有暂停执行代表职务才需填写暂停原因。"), field="suspension_cause")
    if type == MandateEventType.RESUMPTION:
        event.ends_suspension = last if last and last.type == MandateEventType.SUSPENSION else None
    if type in workflow.TERMINATING_EVENTS:
        if announcement_date and announcement_date < on:
            raise DomainError(_("公告日期不能早于资格终止日期。"), field="announcement_date")
        event.announcement_number = announcement_number
        event.announcement_date = announcement_date or on
        event.announcement_text = announcement_text or termination_announcement(
            mandate, type, event.announcement_date
        )
    if not event.reason.strip():
        raise DomainError(_("请填写资格变动的事由。"), field="reason")
    if not event.document_reference.strip():
        raise DomainError(_("请填写资格变动的文件依据（如决定或公告文号）。"), field="document_reference")
    event.save()

    if new_status != mandate.status:  # a change of suspension cause keeps the date it began
        mandate.status_since = on
    mandate.status = new_status
    mandate.version += 1
    mandate._history_user = actor
    mandate.save(update_fields=["status", "status_since", "version", "updated_at"])
    if type == MandateEventType.SUSPENSION and cause_ends_on and cause_ends_on <= today:
        resume_ended_suspensions(today=today, mandate_id=mandate.pk)  # the cause has already ended
    _account_follows_mandates(mandate.person_id, actor)
    return event


@transaction.atomic
def resume_ended_suspensions(*, today: date | None = None, mandate_id: int | None = None) -> int:
    """Art. 61: a suspension ends by itself when its cause ends, unless the mandate has terminated.

    For every suspended mandate whose suspension's ``cause_ends_on`` has come, record an automatic
    resumption on that date. Idempotent; run hourly by the scheduler (``mandate_id`` limits it to
    one mandate). Returns how many it resumed.
    """
    today = today or timezone.localdate()
    due = (
        MandateEvent.objects.filter(
            type=MandateEventType.SUSPENSION,
            cause_ends_on__lte=today,
            mandate__status=MandateStatus.SUSPENDED,
            resumptions__isnull=True,
        )
        .select_related("mandate")
        .order_by("id")
    )
    if mandate_id is not None:
        due = due.filter(mandate_id=mandate_id)
    resumed = 0
    for suspension in due:
        mandate = Mandate.objects.select_for_update().get(pk=suspension.mandate_id)
        latest = mandate.events.order_by("-date", "-id").first()
        if mandate.status != MandateStatus.SUSPENDED or latest.pk != suspension.pk:
            continue
        MandateEvent.objects.create(
            mandate=mandate,
            type=MandateEventType.RESUMPTION,
            date=suspension.cause_ends_on,
            reason=_("暂停执行代表职务的原因已消失，自动恢复执行代表职务（《代表法》第六十一条）。"),
            document_reference=suspension.document_reference,
            ends_suspension=suspension,
            is_automatic=True,
        )
        mandate.status = MandateStatus.ACTIVE
        mandate.status_since = suspension.cause_ends_on
        mandate.version += 1
        mandate.save(update_fields=["status", "status_since", "version", "updated_at"])
        _account_follows_mandates(mandate.person_id, None)
        resumed += 1
    return resumed
