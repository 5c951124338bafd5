"""Writing a checked roster: every person, mandate, election event and field/group link in bulk,
with the row history ``deputy_create`` would have written one by one."""

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from lvzhi.accounts.choices import InactiveCause
from lvzhi.accounts.lifecycle import account_follow_mandates
from lvzhi.core.progress import progress_set
from lvzhi.core.text import pinyin_full, pinyin_initials

from ..choices import MandateEventType, MandateStatus
from ..models import Mandate, MandateEvent, Person, RosterImport
from .checks import RosterRow
from .columns import DB_CHUNK, PROGRESS_KIND, chunks


def create_deputies(roster_import: RosterImport, rows: list[RosterRow]) -> int:
    """Bulk-create what ``rows`` describe, with row history for persons and mandates."""
    actor = roster_import.applied_by
    now = timezone.now()
    reason = str(_("名册导入：{name}").format(name=roster_import.original_name))[:100]
    history = {
        "batch_size": DB_CHUNK,
        "default_user": actor,
        "default_change_reason": reason,
        "default_date": now,
    }
    total = len(rows)
    stage = str(_("写入数据库"))
    progress_set(PROGRESS_KIND, roster_import.pk, done=0, total=total, stage=stage)

    returning = [row.existing_person_id for row in rows if row.existing_person_id is not None]
    new_rows = [row for row in rows if row.existing_person_id is None]
    persons = [
        Person(
            **row.person,
            name_pinyin=pinyin_full(row.person["name"]),
            name_initials=pinyin_initials(row.person["name"]),
        )
        for row in new_rows
    ]
    persons = bulk_create_with_history(persons, Person, **history)
    for row, person in zip(new_rows, persons, strict=True):
        row.existing_person_id = person.pk
    progress_set(PROGRESS_KIND, roster_import.pk, done=total // 3, total=total, stage=stage)

    mandates = [
        Mandate(
            person_id=row.existing_person_id,
            congress=roster_import.congress,
            term=roster_import.term,
            card_number=row.card_number,
            electoral_unit=row.electoral_unit,
            composition=row.composition,
            is_grassroots=row.is_grassroots,
            start_date=row.start_date,
            status=MandateStatus.ACTIVE,
            status_since=row.start_date,
        )
        for row in rows
    ]
    mandates = bulk_create_with_history(mandates, Mandate, **history)
    progress_set(PROGRESS_KIND, roster_import.pk, done=total * 2 // 3, total=total, stage=stage)

    MandateEvent.objects.bulk_create(
        [
            MandateEvent(
                mandate=mandate,
                type=MandateEventType.BY_ELECTION if row.by_election else MandateEventType.ELECTION,
                date=row.start_date,
                reason=reason,
                document_reference=row.document_reference or roster_import.original_name[:200],
                actor=actor,
            )
            for row, mandate in zip(rows, mandates, strict=True)
        ],
        batch_size=DB_CHUNK,
    )
    _link_many(mandates, rows, "fields")
    _link_many(mandates, rows, "groups")
    _reactivate_returning(returning, actor)
    progress_set(PROGRESS_KIND, roster_import.pk, done=total, total=total, stage=stage)
    return len(mandates)


def _reactivate_returning(person_ids: list[int], actor) -> None:
    """A person seated again whose account its ended mandate had switched off gets it back."""
    waiting = Person.objects.filter(
        pk__in=person_ids, user__is_active=False, user__inactive_cause=InactiveCause.MANDATE_ENDED
    ).values_list("user_id", flat=True)
    for user_id in waiting:
        account_follow_mandates(user_id=user_id, holds_active_mandate=True, actor=actor)


def _link_many(mandates: list[Mandate], rows: list[RosterRow], name: str) -> None:
    """Create the m2m links ``name`` (fields or groups) in bulk, and their row history on each
    mandate's creation record, as ``fields.set()`` would have recorded them one by one."""
    relation = Mandate._meta.get_field(name)
    through = relation.remote_field.through
    own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    links = through.objects.bulk_create(
        [
            through(**{f"{own}_id": mandate.pk, f"{other}_id": item.pk})
            for mandate, row in zip(mandates, rows, strict=True)
            for item in getattr(row, name)
        ],
        batch_size=DB_CHUNK,
    )
    if not links:
        return
    historical = Mandate.history.model
    creation = {}
    for chunk in chunks([mandate.pk for mandate in mandates]):
        creation.update(
            historical.objects.filter(id__in=chunk, history_type="+").values_list("id", "history_id")
        )
    link_history = apps.get_model(historical._meta.app_label, f"{historical.__name__}_{name}")
    link_history.objects.bulk_create(
        [
            link_history(
                history_id=creation[getattr(link, f"{own}_id")],
                id=link.pk,
                **{f"{own}_id": getattr(link, f"{own}_id"), f"{other}_id": getattr(link, f"{other}_id")},
            )
            for link in links
        ],
        batch_size=DB_CHUNK,
    )
