"""What each role may do: the predicates every view, serializer and service asks.

What a role may *see* is decided in the selectors' scoped querysets (e.g.
``deputies.selectors.mandates_visible_to``); these predicates decide actions and field visibility.
"""

from .choices import Role

OFFICE_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.DEPUTY_AFFAIRS_STAFF})


def _role(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.SYSTEM_ADMIN
    return user.role


def is_office(user) -> bool:
    """System administrators and the deputy-affairs office (代表工委) run the registry."""
    return _role(user) in OFFICE_ROLES


def can_manage_structure(user) -> bool:
    return is_office(user)


def can_manage_registry(user) -> bool:
    """Create and edit deputies, record qualification events."""
    return is_office(user)


def can_import_roster(user) -> bool:
    return is_office(user)


def sees_all_deputies(user) -> bool:
    return _role(user) in {
        Role.SYSTEM_ADMIN,
        Role.DEPUTY_AFFAIRS_STAFF,
        Role.LEADER,
        Role.HANDLING_UNIT_STAFF,
        Role.COMMITTEE_STAFF,
    }


def may_see_private_contact(user, mandate) -> bool:
    """Private contact data (phone, e-mail, address, ID number): the office, leaders, the deputy
    itself and the county staff of the deputy's electoral unit; never handling units or committees."""
    role = _role(user)
    if role in OFFICE_ROLES or role == Role.LEADER:
        return True
    if role == Role.DEPUTY:
        return mandate.person.user_id == user.id
    if role == Role.COUNTY_STAFF:
        return mandate.electoral_unit_id == user.electoral_unit_id
    return False


def may_see_history(user, mandate) -> bool:
    """The change history names who changed what: the office, leaders and the deputy's county."""
    return may_see_private_contact(user, mandate)


def may_see_suggestions(user) -> bool:
    """Whether ``user`` has a scope in which suggestions may be visible (the navigation's test;
    ``selectors.suggestions_visible_to`` decides which ones)."""
    if user is None or not user.is_authenticated:
        return False
    if is_office(user) or user.role in (Role.LEADER, Role.DEPUTY):
        return True
    return bool(
        (user.role == Role.HANDLING_UNIT_STAFF and user.handling_unit_id)
        or (user.role == Role.COUNTY_STAFF and user.electoral_unit_id)
        or (user.role == Role.COMMITTEE_STAFF and user.committee_id)
    )


def may_work_on_assignments(user) -> bool:
    """The unit work list: handling-unit staff (their unit) and the office (any unit)."""
    return is_office(user) or bool(user.role == Role.HANDLING_UNIT_STAFF and user.handling_unit_id)


def may_see_motions(user) -> bool:
    """Motions are session documents: every role but handling units (``motions.selectors`` decides
    which ones)."""
    return may_see_suggestions(user) and user.role != Role.HANDLING_UNIT_STAFF
