"""The demo accounts, one per role (password ``settings.LVZHI_DEMO_PASSWORD``): what they are,
writing the missing ones (``seed_accounts``) and listing those that exist (``demo_accounts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from lvzhi.accounts.choices import Role
from lvzhi.accounts.models import User
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Person

from .report import SeedReport
from .structure import CITY_CONGRESS, Structure


class DemoPlan(Protocol):
    """What the accounts take from the plan (``plan.DemoPlan``): the demo deputies' names."""

    account_names: dict[str, str]


@dataclass(frozen=True)
class AccountSpec:
    """A demo account: one per role."""

    username: str
    role: str
    title: str = ""  # shown after the generated name, e.g. 常委会副主任


DEMO_ACCOUNTS = (
    AccountSpec("demo-admin", Role.SYSTEM_ADMIN, "系统管理员"),
    AccountSpec("demo-staff", Role.DEPUTY_AFFAIRS_STAFF, "代表工委"),
    AccountSpec("demo-leader", Role.LEADER, "常委会副主任"),
    AccountSpec("demo-deputy", Role.DEPUTY),
    AccountSpec("demo-unit", Role.HANDLING_UNIT_STAFF, "市城乡建设局"),
    AccountSpec("demo-county", Role.COUNTY_STAFF, "鼓楼区人大常委会"),
    AccountSpec("demo-committee", Role.COMMITTEE_STAFF, "城建环资工委"),
)
# Nine more 鼓楼区 city deputies log in too, so that a suggestion's co-signing and a motion of ten
# deputies (the lead and nine co-signers, Organic Law Art. 24) can be shown with demo accounts.
DEMO_COSIGNER_USERNAMES = tuple(f"demo-deputy{number}" for number in range(2, 11))
DEMO_USERNAMES = tuple(account.username for account in DEMO_ACCOUNTS) + DEMO_COSIGNER_USERNAMES
DEMO_UNIT_HANDLING = "福州市城乡建设局"
DEMO_COUNTY_UNIT = "鼓楼区"
DEMO_COMMITTEE = "城建环资工作委员会"


# ---------------------------------------------------------------------------------------------
# Writing them
# ---------------------------------------------------------------------------------------------


def seed_accounts(report: SeedReport, structure: Structure, plan: DemoPlan) -> dict[str, User]:
    """The demo accounts that are missing; existing ones (and their passwords) are left alone."""
    scopes = {
        Role.HANDLING_UNIT_STAFF: {"handling_unit": structure.handling_units[DEMO_UNIT_HANDLING]},
        Role.COUNTY_STAFF: {"electoral_unit": structure.units[(CITY_CONGRESS, DEMO_COUNTY_UNIT)]},
        Role.COMMITTEE_STAFF: {"committee": structure.committees[DEMO_COMMITTEE]},
    }
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            is_admin = account.role == Role.SYSTEM_ADMIN
            user = User(
                username=account.username,
                role=account.role,
                display_name=plan.account_names[account.username],
                email=f"{account.username}@example.com",
                is_staff=is_admin,  # Django's admin site
                is_superuser=is_admin,
                **scopes.get(account.role, {}),
            )
            user.set_password(settings.LVZHI_DEMO_PASSWORD)
            user.save()
            report.created["演示账户"] += 1
        users[account.username] = user
    return users


def seed_cosigner_accounts(report: SeedReport, structure: Structure) -> list[User]:
    """Accounts for nine more 鼓楼区 city deputies (the first by card number that are in office
    and have none); idempotent: existing ``demo-deputyN`` accounts are kept as they are."""
    missing = [name for name in DEMO_COSIGNER_USERNAMES if not User.objects.filter(username=name).exists()]
    if not missing:
        return list(User.objects.filter(username__in=DEMO_COSIGNER_USERNAMES))
    persons = list(
        Person.objects.filter(
            user__isnull=True,
            mandates__electoral_unit=structure.units[(CITY_CONGRESS, DEMO_COUNTY_UNIT)],
            mandates__status=MandateStatus.ACTIVE,
        )
        .distinct()
        .order_by("mandates__card_number")[: len(missing)]
    )
    created = []
    for username, person in zip(missing, persons, strict=False):
        user = User(
            username=username,
            role=Role.DEPUTY,
            display_name=person.name,
            email=f"{username}@example.com",
        )
        user.set_password(settings.LVZHI_DEMO_PASSWORD)
        user.save()
        Person.objects.filter(pk=person.pk).update(user=user)
        created.append(user)
    report.created["演示账户"] += len(created)
    return created


# ---------------------------------------------------------------------------------------------
# Listing them (``demo_accounts``)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccountRow:
    username: str
    display_name: str
    role: str
    scope: str


def demo_account_rows() -> list[DemoAccountRow]:
    """The demo accounts that exist, in role order, with what each may see."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=DEMO_USERNAMES).select_related(
            "electoral_unit__congress", "handling_unit", "committee"
        )
    }
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        rows.append(DemoAccountRow(user.username, user.display_name, Role(user.role).label, _scope(user)))
    return rows


def _scope(user: User) -> str:
    if user.role == Role.SYSTEM_ADMIN:
        return "全部数据，含后台管理（/admin/）"
    if user.role in (Role.DEPUTY_AFFAIRS_STAFF, Role.LEADER):
        return "全部代表"
    if user.role == Role.HANDLING_UNIT_STAFF and user.handling_unit:
        return f"{user.handling_unit.name}（不含代表联系方式）"
    if user.role == Role.COUNTY_STAFF and user.electoral_unit:
        congress = user.electoral_unit.congress
        return f"{congress.short_name or congress.name}{user.electoral_unit.name}选出的代表"
    if user.role == Role.COMMITTEE_STAFF and user.committee:
        return f"{user.committee.name}（不含代表联系方式）"
    if user.role == Role.DEPUTY:
        person = Person.objects.filter(user=user).first()
        if person is None:
            return "本人（尚未关联代表）"
        congresses = "、".join(
            mandate.congress.short_name or mandate.congress.name
            for mandate in person.mandates.select_related("congress").order_by("congress__order")
        )
        return f"本人：{person.name}（{congresses}代表）"
    return ""
