"""Reads of the registry. Every read starts from ``mandates_visible_to(user)``: the one place that
decides which mandates a role may see. Missing and forbidden both give 404."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import can_import_roster, sees_all_deputies
from lvzhi.organizations.models import DeputyGroup, ExpertiseField

from .choices import MandateStatus
from .models import Mandate, Person, RosterImport


def mandates_visible_to(user) -> QuerySet[Mandate]:
    """The mandates ``user`` may see at all.

    The office, leaders, handling units and committees see every mandate (units and committees
    without private contact data: ``accounts.roles.may_see_private_contact``); county staff only
    their electoral unit's; a deputy only its own mandates; anybody else nothing.
    """
    mandates = Mandate.objects.all()
    if user is None or not user.is_authenticated:
        return mandates.none()
    if sees_all_deputies(user):
        return mandates
    if user.role == Role.COUNTY_STAFF and user.electoral_unit_id:
        return mandates.filter(electoral_unit_id=user.electoral_unit_id)
    if user.role == Role.DEPUTY:
        return mandates.filter(person__user_id=user.pk)
    return mandates.none()


def mandate_list(*, user) -> QuerySet[Mandate]:
    """The registry list: person, congress, term and unit joined; fields and groups prefetched,
    so a page costs the same queries for 10 deputies or 10,000."""
    return (
        mandates_visible_to(user)
        .select_related("person", "congress", "term", "electoral_unit")
        .prefetch_related(
            Prefetch("fields", queryset=ExpertiseField.objects.only("id", "name")),
            Prefetch("groups", queryset=DeputyGroup.objects.only("id", "name")),
        )
    )


def mandate_get(*, user, pk: int) -> Mandate:
    """One mandate the user may see, or ``Mandate.DoesNotExist``."""
    return mandate_list(user=user).get(pk=pk)


def mandate_events(mandate: Mandate):
    return mandate.events.select_related("actor").order_by("date", "id")


def mandate_dashboard(*, user) -> dict:
    """Headcounts for the home page, within the user's scope: one aggregate query plus one by unit."""
    mandates = mandates_visible_to(user)
    totals = mandates.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=MandateStatus.ACTIVE)),
        suspended=Count("id", filter=Q(status=MandateStatus.SUSPENDED)),
        terminated=Count("id", filter=Q(status=MandateStatus.TERMINATED)),
        grassroots=Count("id", filter=Q(is_grassroots=True, status=MandateStatus.ACTIVE)),
    )
    by_congress = list(
        mandates.exclude(status=MandateStatus.TERMINATED)
        .values("congress__name")
        .annotate(count=Count("id"))
        .order_by("congress__order")
    )
    by_composition = list(
        mandates.exclude(status=MandateStatus.TERMINATED)
        .values("composition")
        .annotate(count=Count("id"))
        .order_by("-count")
    )
    return {"totals": totals, "by_congress": by_congress, "by_composition": by_composition}


HISTORY_ACTIONS = {"+": _("新建"), "~": _("修改"), "-": _("删除")}
HIDDEN_HISTORY_FIELDS = {
    "id",
    "created_at",
    "name_pinyin",
    "name_initials",
    "person",
    "congress",
    "term",
    "user",
}


def _display(field, value, names: dict) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.is_relation:
        return names.get((field.related_model, value), str(value))
    return str(value)


def _record_changes(model, old, new, names) -> list[tuple[str, str, str]]:
    changes = []
    for field in model._meta.concrete_fields:
        if field.name in HIDDEN_HISTORY_FIELDS or field.name == "version" or field.name == "updated_at":
            continue
        before = getattr(old, field.attname) if old is not None else None
        after = getattr(new, field.attname)
        if old is None and after in (None, ""):
            continue
        if before != after:
            changes.append(
                (str(field.verbose_name), _display(field, before, names), _display(field, after, names))
            )
    return changes


def mandate_history(mandate: Mandate) -> list[dict]:
    """Who changed what and when, on the person and on the mandate (row history), newest first.

    A constant number of queries whatever the length of the history: the person's and the
    mandate's historical rows, their many-to-many snapshots, and the names they point to.
    """
    from django.apps import apps

    from lvzhi.organizations.models import ElectoralUnit

    person_records = list(
        mandate.person.history.select_related("history_user").order_by("history_date", "history_id")
    )
    mandate_records = list(
        mandate.history.select_related("history_user").order_by("history_date", "history_id")
    )
    m2m = {}
    for attribute, through_name, target in (
        ("fields", "HistoricalMandate_fields", "expertisefield"),
        ("groups", "HistoricalMandate_groups", "deputygroup"),
    ):
        through = apps.get_model("deputies", through_name)
        rows = through.objects.filter(history__in=[r.history_id for r in mandate_records]).select_related(
            target
        )
        snapshot: dict[int, list[str]] = {}
        for row in rows:
            related = getattr(row, target)
            snapshot.setdefault(row.history_id, []).append(related.name if related else "?")
        m2m[attribute] = snapshot
    unit_ids = {r.electoral_unit_id for r in mandate_records}
    names = {(ElectoralUnit, unit.pk): unit.name for unit in ElectoralUnit.objects.filter(pk__in=unit_ids)}

    entries = []
    for label, records, model in (
        (_("人员信息"), person_records, Person),
        (_("代表资格"), mandate_records, Mandate),
    ):
        previous = None
        for record in records:
            changes = _record_changes(model, previous, record, names)
            if model is Mandate:
                for attribute, verbose in (("fields", _("专业领域")), ("groups", _("代表小组"))):
                    before = sorted(m2m[attribute].get(previous.history_id, [])) if previous else []
                    after = sorted(m2m[attribute].get(record.history_id, []))
                    if before != after and (previous is not None or after):
                        changes.append((str(verbose), "、".join(before) or "—", "、".join(after) or "—"))
            if changes:
                entries.append(
                    {
                        "when": record.history_date,
                        "who": record.history_user,
                        "what": label,
                        "action": HISTORY_ACTIONS.get(record.history_type, record.history_type),
                        "changes": changes,
                    }
                )
            previous = record
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries


def roster_import_recent(*, user, limit: int = 20) -> list[RosterImport]:
    """The latest roster imports, for the import page; nothing for a user who may not import."""
    if not can_import_roster(user):
        return []
    return list(
        RosterImport.objects.select_related("congress", "term", "created_by").order_by("-created_at")[:limit]
    )
