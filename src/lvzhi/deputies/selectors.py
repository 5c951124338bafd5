"""Reads of the registry. Every read starts from ``mandates_visible_to(user)``: the one place that
decides which mandates a role may see. Missing and forbidden both give 404."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import can_import_roster, sees_all_deputies
from lvzhi.core.history import HistoryEntry, row_history
from lvzhi.organizations.models import DeputyGroup, ExpertiseField

from .choices import MandateStatus
from .models import Mandate, RosterImport


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


def mandate_history(mandate: Mandate) -> list[HistoryEntry]:
    """Who changed what and when, on the person and on the mandate (row history), newest first,
    in a constant number of queries (``core.history``)."""
    entries = row_history(
        mandate.person, subject=str(_("人员信息")), hidden={"name_pinyin", "name_initials", "user"}
    ) + row_history(mandate, subject=str(_("代表资格")), hidden={"person", "congress", "term"})
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def roster_import_recent(*, user, limit: int = 20) -> list[RosterImport]:
    """The latest roster imports, for the import page; nothing for a user who may not import."""
    if not can_import_roster(user):
        return []
    return list(
        RosterImport.objects.select_related("congress", "term", "created_by").order_by("-created_at")[:limit]
    )
