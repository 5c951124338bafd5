"""Where other apps plug into the suggestions' pages, filters and reports, so that the dependency
runs one way: ``lvzhi.supervision`` imports suggestions, never the reverse. An app registers in its
``AppConfig.ready``; suggestions call what was registered and know nothing of who did.

- ``register_detail_panel(template, build)``: a panel on the suggestion's page; ``build(suggestion,
  user)`` returns the panel's context (``panel`` in the template) for a suggestion the user sees;
- ``register_list_filter(name, filter)``: a filter of the suggestion list, its export and the API
  (``SuggestionFilter``), inserted before ``ordering``;
- ``register_key_items(build)``: the key-supervised items (重点督办) of a congress's year for the
  handling report; ``build(congress, year)`` returns objects with ``suggestion``, ``leader`` and
  ``committee``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DetailPanel:
    template: str
    build: Callable[[Any, Any], Any]


DETAIL_PANELS: list[DetailPanel] = []
KEY_ITEMS: list[Callable[[Any, int], list[Any]]] = []


def register_detail_panel(template: str, build: Callable[[Any, Any], Any]) -> None:
    if all(panel.template != template for panel in DETAIL_PANELS):
        DETAIL_PANELS.append(DetailPanel(template, build))


def detail_panels(suggestion: Any, user: Any) -> list[tuple[str, Any]]:
    """(template, panel context) of every registered panel, in registration order."""
    return [(panel.template, panel.build(suggestion, user)) for panel in DETAIL_PANELS]


def register_key_items(build: Callable[[Any, int], list[Any]]) -> None:
    if build not in KEY_ITEMS:
        KEY_ITEMS.append(build)


def key_items(congress: Any, year: int) -> list[Any]:
    return [item for build in KEY_ITEMS for item in build(congress, year)]


def register_list_filter(name: str, list_filter: Any) -> None:
    """Add ``list_filter`` to ``SuggestionFilter`` as ``name``, before its ``ordering``."""
    from .filters import SuggestionFilter

    filters = dict(SuggestionFilter.base_filters)
    ordering = filters.pop("ordering", None)
    filters[name] = list_filter
    if ordering is not None:
        filters["ordering"] = ordering
    SuggestionFilter.base_filters = filters
