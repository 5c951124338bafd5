"""Carrying unfinished key items over to the next year (DOMAIN §5.8), by the office or the yearly
job."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import ForbiddenError
from lvzhi.core.models import save_fields
from lvzhi.suggestions.choices import SuggestionEventType as E
from lvzhi.suggestions.models import Suggestion

from .. import workflow
from ..choices import SupervisionKind, SupervisionStatus
from ..models import SupervisionItem
from ..workflow import Action
from .plumbing import check_year, item_link, item_move, item_payload, notify, team_recipients


@transaction.atomic
def supervision_carry_over(*, year: int, actor=None, congress=None) -> list[SupervisionItem]:
    """DOMAIN §5.8: unfinished key items carry over to the next year.

    Unfinished means the item's own status: every key item of ``year`` still ``in_progress`` (its
    leader has not finished it) carries over, whatever its suggestion's status, because a closed
    suggestion may still owe a B/C follow-up or a promise, and finishing is the team's judgement,
    not the handling's. Each gets an item for ``year + 1`` with the same leader, committee and team
    (``carried_over_from`` set), or is linked to the one the directors' meeting already made for
    that year; it becomes ``carried_over``. Idempotent: a second run finds nothing in progress.

    Who: the office, or the yearly job (``actor`` None). ``congress`` limits it to one congress.
    Returns the next year's items."""
    if actor is not None and not is_office(actor):
        raise ForbiddenError(workflow.OFFICE.refusal)
    year = check_year(year)
    pending = SupervisionItem.objects.filter(
        kind=SupervisionKind.KEY, year=year, status=SupervisionStatus.IN_PROGRESS
    )
    if congress is not None:
        pending = pending.filter(suggestion__congress=congress)
    suggestion_ids = sorted(set(pending.values_list("suggestion_id", flat=True)))
    if not suggestion_ids:
        return []
    # One lock order, as every service: the suggestions, then the items.
    suggestions = {
        suggestion.pk: suggestion
        for suggestion in Suggestion.objects.select_for_update(of=("self",))
        .filter(pk__in=suggestion_ids)
        .order_by("pk")
    }
    items = list(
        SupervisionItem.objects.select_for_update(of=("self",))
        .filter(kind=SupervisionKind.KEY, year=year, status=SupervisionStatus.IN_PROGRESS)
        .filter(suggestion_id__in=suggestion_ids)
        .order_by("pk")
    )
    following = {
        item.suggestion_id: item
        for item in SupervisionItem.objects.select_for_update(of=("self",)).filter(
            kind=SupervisionKind.KEY, year=year + 1, suggestion_id__in=suggestion_ids
        )
    }
    carried = []
    for item in items:
        suggestion = suggestions[item.suggestion_id]
        transition = workflow.check(item, Action.CARRY_OVER, actor, system=actor is None)
        successor = following.get(item.suggestion_id)
        if successor is None:
            successor = SupervisionItem(
                suggestion=suggestion,
                kind=item.kind,
                year=year + 1,
                leader_id=item.leader_id,
                committee_id=item.committee_id,
                team=item.team,
                decision_ref=str(_("由{year}年度重点督办结转").format(year=year)),
                carried_over_from=item,
                created_by=actor,
            )
            successor._history_user = actor
            successor.save()
            successor.team_members.set(item.team_members.all())
        elif successor.carried_over_from_id is None:
            # The directors' meeting already picked it again for the next year: link the two.
            successor.carried_over_from = item
            save_fields(successor, actor, ["carried_over_from"])
        item_move(
            item,
            transition.target,
            suggestion=suggestion,
            actor=actor,
            event_type=E.SUPERVISION_CARRIED_OVER,
            payload=item_payload(item, new_item=successor.pk, to_year=year + 1),
        )
        notify(
            team_recipients(item),
            kind="supervision.carried_over",
            title=_("您领衔督办的建议转入{year}年度继续督办：{title}").format(
                year=year + 1, title=suggestion.title
            ),
            link=item_link(successor),
            target=successor,
        )
        carried.append(successor)
    return carried
