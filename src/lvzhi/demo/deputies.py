"""Seating the demo deputies: the elected ones in bulk, then their stories (qualification events,
by-elections) in date order through the registry's own services (``deputies.services``), so the
demo data satisfies every invariant that staff-entered data does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from lvzhi.accounts.models import User
from lvzhi.core.text import normalize_code
from lvzhi.deputies import services
from lvzhi.deputies.choices import MandateEventType, MandateStatus
from lvzhi.deputies.models import Mandate, MandateEvent, Person

from .plan import DemoPlan, EventSeed, MandateSeed
from .report import SeedReport
from .structure import CITY_CONGRESS, DEMO_TODAY, PROVINCIAL_CONGRESS, Structure


def seed_deputies(report: SeedReport, structure: Structure, plan: DemoPlan, actor: User) -> None:
    """Seat the deputies, then tell their stories in date order: events, by-elections."""
    persons_before, events_before = Person.objects.count(), MandateEvent.objects.count()
    context = _SeatingContext(structure)
    _seat_elected([seed for seed in plan.mandates if not seed.by_election], context, actor)

    # By-elections go through the service, after the events that emptied their seats.
    timeline: list[tuple[date, Callable[[], object]]] = [
        (seed.start_date, lambda s=seed: context.seat(s, actor)) for seed in plan.mandates if seed.by_election
    ]
    timeline += [(event.on, lambda e=event: context.record(e, actor)) for event in plan.events]
    for _, step in sorted(timeline, key=lambda item: item[0]):
        step()

    report.created["人员"] += Person.objects.count() - persons_before
    report.created["代表资格"] += len(context.mandates)
    report.created["资格变动"] += MandateEvent.objects.count() - events_before

    demo = Person.objects.get(id_number=plan.demo_deputy_id_number)
    user = User.objects.filter(username="demo-deputy", person__isnull=True).first()
    if user is not None and demo.user_id is None:
        demo.user = user
        demo._history_user = actor
        demo.save(update_fields=["user", "updated_at"])


class _SeatingContext:
    """The structure objects a seed names, and the mandates seated so far by (congress, card)."""

    def __init__(self, structure: Structure):
        self.structure = structure
        self.congresses = {CITY_CONGRESS: structure.city, PROVINCIAL_CONGRESS: structure.provincial}
        self.terms = {CITY_CONGRESS: structure.city_term, PROVINCIAL_CONGRESS: structure.provincial_term}
        self.mandates: dict[tuple[str, str], Mandate] = {}

    def data(self, seed: MandateSeed) -> services.DeputyData:
        return services.DeputyData(
            person=seed.person.as_dict(),
            congress=self.congresses[seed.congress],
            term=self.terms[seed.congress],
            card_number=seed.card_number,
            electoral_unit=self.structure.units[(seed.congress, seed.unit)],
            composition=seed.composition,
            is_grassroots=seed.is_grassroots,
            start_date=seed.start_date,
            fields=[self.structure.fields[name] for name in seed.fields],
            groups=[self.structure.groups[(seed.congress, name)] for name in seed.groups],
            by_election=seed.by_election,
            reason=seed.reason,
        )

    def seat(self, seed: MandateSeed, actor: User) -> None:
        self.mandates[(seed.congress, seed.card_number)] = services.deputy_create(
            data=self.data(seed), actor=actor
        )

    def record(self, event: EventSeed, actor: User) -> None:
        services.mandate_event_record(
            mandate_id=self.mandates[(event.congress, event.card_number)].pk,
            type=event.type,
            on=event.on,
            actor=actor,
            reason=event.reason,
            document_reference=event.document_reference,
            suspension_cause=event.suspension_cause,
            cause_ends_on=event.cause_ends_on,
            announcement_number=event.announcement_number,
            today=DEMO_TODAY,
        )


def _seat_elected(seeds: list[MandateSeed], context: _SeatingContext, actor: User) -> None:
    """Seat the deputies elected at the start of their terms, in bulk.

    ``deputy_create`` one by one takes ~25 ms a deputy (most of it simple_history answering every
    m2m change with another history row); in bulk the ~660 take about a second. The rows are the
    ones ``deputy_create`` writes (person with pinyin, active mandate, election event), and each
    person and mandate gets one "created" history row, the mandate's with its fields and groups.
    """
    persons: dict[int, Person] = {}
    for seed in seeds:
        if id(seed.person) in persons:
            continue  # the same person's second mandate
        values = seed.person.as_dict()
        person = Person(**{key: value for key, value in values.items() if key != "name"})
        person.id_number = normalize_code(person.id_number)
        services.person_apply_name(person, values["name"])
        persons[id(seed.person)] = person
    bulk_create_with_history(list(persons.values()), Person, default_user=actor)

    mandates, links = [], {"fields": [], "groups": []}
    for seed in seeds:
        data = context.data(seed)
        mandate = Mandate(
            person=persons[id(seed.person)],
            congress=data.congress,
            term=data.term,
            card_number=normalize_code(seed.card_number),
            electoral_unit=data.electoral_unit,
            composition=seed.composition,
            is_grassroots=seed.is_grassroots,
            start_date=seed.start_date,
            status=MandateStatus.ACTIVE,
            status_since=seed.start_date,
        )
        mandates.append(mandate)
        links["fields"] += [(mandate, field) for field in data.fields]
        links["groups"] += [(mandate, group) for group in data.groups]
        context.mandates[(seed.congress, seed.card_number)] = mandate
    Mandate.objects.bulk_create(mandates)

    through_rows = {}
    for name, pairs in links.items():
        through = getattr(Mandate, name).through
        target = getattr(Mandate, name).field.m2m_reverse_field_name()
        through_rows[name] = through.objects.bulk_create(
            [through(mandate=mandate, **{target: linked}) for mandate, linked in pairs]
        )
    history = Mandate.history.bulk_history_create(mandates, default_user=actor)
    _bulk_m2m_history(history, through_rows)
    MandateEvent.objects.bulk_create(
        MandateEvent(mandate=mandate, type=MandateEventType.ELECTION, date=mandate.start_date, actor=actor)
        for mandate in mandates
    )


def _bulk_m2m_history(history: list, links: dict[str, list]) -> None:
    """The m2m snapshot simple_history keeps with each historical mandate (fields, groups)."""
    record_of = {record.id: record for record in history}
    for name, rows in links.items():
        m2m_history_model = HistoricalRecords.m2m_models[Mandate._meta.get_field(name)]
        through_fields = [f.name for f in getattr(Mandate, name).through._meta.fields]
        m2m_history_model.objects.bulk_create(
            m2m_history_model(
                history=record_of[row.mandate_id], **{f: getattr(row, f) for f in through_fields}
            )
            for row in rows
        )
