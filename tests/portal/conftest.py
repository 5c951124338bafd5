"""The desks reuse the suggestion tests' world: the fixed clock (2025-03-05), rules, units, deputies."""

from ..suggestions.conftest import (  # noqa: F401
    _clock,
    _fresh_calendar,
    co_unit,
    co_unit_user,
    cosigner_one,
    lead_unit,
    other_unit,
    other_unit_user,
    rules,
    session,
    urban_field,
)
