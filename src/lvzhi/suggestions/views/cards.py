"""The detail page's action cards: how each ``workflow.Action`` appears (``ActionSpec``), and the
card built from it for one suggestion or one of its assignments.

``ACTION_SPECS`` is filled by ``actions.action_view`` as the action modules are imported; the
package imports them all (``views/__init__``) before any page renders.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms as django_forms
from django.urls import reverse
from django.utils.translation import gettext as _

from ..workflow import Action


@dataclass(frozen=True)
class Button:
    label: str
    css: str = "btn-primary"
    name: str = ""
    value: str = ""


@dataclass(frozen=True)
class ActionSpec:
    """How one ``workflow.Action`` appears on the detail page and which view performs it.

    ``applies`` hides the card when there is nothing to act on yet (no saved reply to submit, no
    sub-unit to re-assign to); ``notes`` adds what the user should know before acting. A
    ``confirm`` text makes the browser ask first (``data-confirm``): destructive actions."""

    action: str
    url_name: str
    title: str
    form_class: type
    buttons: tuple[Button, ...]
    on_assignment: bool = False
    confirm: str = ""
    multipart: bool = False
    applies: Callable | None = None
    notes: Callable | None = None

    def key(self, assignment=None) -> str:
        return f"{self.action}-{assignment.pk}" if assignment is not None else str(self.action)

    def url(self, suggestion, assignment=None) -> str:
        args = [suggestion.pk, assignment.pk] if assignment is not None else [suggestion.pk]
        return reverse(f"suggestions:{self.url_name}", args=args)


@dataclass
class Card:
    spec: ActionSpec
    key: str
    title: str
    url: str
    form: django_forms.Form
    notes: list = field(default_factory=list)


ACTION_SPECS: dict[str, ActionSpec] = {}
SECONDARY_ACTIONS = frozenset(
    {Action.INVITE_COSIGNERS, Action.WITHDRAW, Action.OBJECT, Action.REASSIGN, Action.CONVERT_TO_LETTER}
)


def make_form(spec: ActionSpec, request, suggestion, assignment, rules, data=None, files=None):
    return spec.form_class(
        data,
        files,
        suggestion=suggestion,
        assignment=assignment,
        user=request.user,
        rules=rules,
        auto_id=f"id_{spec.key(assignment)}_%s",
    )


def action_card(spec: ActionSpec, request, suggestion, assignment, rules, form=None) -> Card | None:
    """The card of ``spec`` with a fresh form, or with ``form`` (a refused one, with its errors);
    None when ``spec.applies`` finds nothing to act on yet."""
    if form is None:
        if spec.applies is not None and not spec.applies(suggestion, assignment):
            return None
        form = make_form(spec, request, suggestion, assignment, rules)
    title = str(spec.title)
    if assignment is not None:
        title = _("{title}（{unit}）").format(title=title, unit=assignment.unit.name)
    notes = [*(spec.notes(suggestion, assignment, rules) if spec.notes else []), *getattr(form, "notes", [])]
    return Card(spec, spec.key(assignment), title, spec.url(suggestion, assignment), form, notes)
