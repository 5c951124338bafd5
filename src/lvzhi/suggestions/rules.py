"""The congress's suggestion rules (DOMAIN §5: windows, result classes, stage names)."""

from typing import Any

from .models import SuggestionRules


def rules_for(congress: Any) -> SuggestionRules:
    """The congress's suggestion rules, or the defaults (DOMAIN §5) when it has no row yet.

    The default is an unsaved ``SuggestionRules``: read it, never save it from here."""
    congress_id = getattr(congress, "pk", congress)
    rules = SuggestionRules.objects.filter(congress_id=congress_id).first()
    return rules if rules is not None else SuggestionRules(congress_id=congress_id)
