"""What the account pages read, scoped once: only the office (``accounts.roles.is_office``) sees
accounts at all; anybody else gets an empty queryset (and the pages a 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from lvzhi.accounts.models import AccountEvent, ActivationSheet, User
from lvzhi.accounts.roles import is_office
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate, Person


def accounts_visible_to(user: User) -> QuerySet[User]:
    if not is_office(user):
        return User.objects.none()
    return User.objects.all()


def account_list(*, user: User) -> QuerySet[User]:
    return (
        accounts_visible_to(user)
        .select_related("electoral_unit__congress", "handling_unit", "committee", "person")
        .order_by("role", "username")
    )


def account_get(*, user: User, pk: int) -> User:
    """One account as the office sees it; ``User.DoesNotExist`` when out of scope."""
    return account_list(user=user).get(pk=pk)


def account_events(account: User, limit: int = 200) -> list[AccountEvent]:
    return list(account.account_events.select_related("actor").order_by("-created_at", "-id")[:limit])


def active_mandates_prefetch() -> Prefetch[str, QuerySet[Any], str]:
    return Prefetch(
        "mandates",
        queryset=Mandate.objects.filter(status=MandateStatus.ACTIVE)
        .select_related("congress", "electoral_unit")
        .order_by("congress__order", "card_number"),
        to_attr="active_mandates",
    )


def deputies_without_account(*, user: User) -> QuerySet[Person]:
    """Persons holding an active mandate and no account: whom the office may give one."""
    if not is_office(user):
        return Person.objects.none()
    return (
        Person.objects.filter(
            user__isnull=True, pk__in=Mandate.objects.filter(status=MandateStatus.ACTIVE).values("person_id")
        )
        .prefetch_related(active_mandates_prefetch())
        .order_by("name_pinyin", "id")
    )


def deputy_accounts_of_unit(*, user: User, electoral_unit_id: int) -> QuerySet[User]:
    """The deputy accounts of one electoral unit still waiting for their holder to activate them."""
    return (
        accounts_visible_to(user)
        .filter(
            # A subquery, not a join: no DISTINCT, so callers may lock the rows (FOR UPDATE).
            person__in=Mandate.objects.filter(
                electoral_unit_id=electoral_unit_id, status=MandateStatus.ACTIVE
            ).values("person_id"),
            must_set_password=True,
            is_active=True,
        )
        .order_by("username")
    )


def activation_sheets(*, user: User) -> QuerySet[ActivationSheet]:
    if not is_office(user):
        return ActivationSheet.objects.none()
    return ActivationSheet.objects.select_related("electoral_unit", "created_by").order_by("-created_at")
