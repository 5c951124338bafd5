"""What the modules of ``lvzhi.supervision.services`` share: which suggestions may be supervised,
where the pages live, whom to tell and how, the item's lock and event payload, and the checks
several of them make.

Internal to ``lvzhi.supervision``; the constants are re-exported by ``services``."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.core.models import save_fields
from lvzhi.notifications.services import after_commit
from lvzhi.suggestions.choices import AssignmentStatus, SuggestionStatus
from lvzhi.suggestions.handling import lock_suggestion, record_event
from lvzhi.suggestions.models import Assignment, Suggestion

from .. import workflow
from ..models import SupervisionItem

S = SuggestionStatus
# A suggestion may be supervised once accepted and until it is closed (DOMAIN §5.8).
SUPERVISABLE = frozenset({S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPLY_SUBMITTED, S.REPLIED, S.REHANDLING})
# A supervision month presses units on suggestions they are handling: assigned and not closed.
IN_HANDLING = SUPERVISABLE - {S.ACCEPTED}
GONE = frozenset({S.WITHDRAWN, S.REJECTED, S.CONVERTED_TO_LETTER})
YEARS = range(2000, 2101)

# Where the detail page of each lives (notifications link to it).


# -- Whom to tell -----------------------------------------------------------------------------------


def notify(recipients: Callable[[], list], *, kind: str, title, link: str, target, body="") -> None:
    """Tell users something once the transaction has committed (robust: a failing notification
    never undoes the action)."""
    after_commit(
        "notify", recipients=recipients, kind=kind, title=str(title), body=str(body), link=link, target=target
    )


def users(*user_ids) -> Callable[[], list]:
    ids = [pk for pk in user_ids if pk]
    return lambda: list(get_user_model().objects.filter(pk__in=ids, is_active=True)) if ids else []


def committee_users(committee_id: int | None) -> Callable[[], list]:
    if not committee_id:
        return list
    return lambda: list(
        get_user_model().objects.filter(role=Role.COMMITTEE_STAFF, committee_id=committee_id, is_active=True)
    )


def open_unit_ids(suggestion_ids: Iterable[int]) -> dict[int, list[int]]:
    """The units handling each suggestion now (assignments not cancelled), by suggestion."""
    units: dict[int, list[int]] = defaultdict(list)
    for suggestion_id, unit_id in (
        Assignment.objects.filter(suggestion_id__in=list(suggestion_ids))
        .exclude(status=AssignmentStatus.CANCELLED)
        .order_by("id")
        .values_list("suggestion_id", "unit_id")
    ):
        units[suggestion_id].append(unit_id)
    return units


def team_recipients(item: SupervisionItem, team_ids: Iterable[int] | None = None) -> Callable[[], list]:
    ids = list(team_ids) if team_ids is not None else list(item.team_members.values_list("pk", flat=True))
    return users(item.leader_id, *ids)


# -- Checks -----------------------------------------------------------------------------------------


def check_office(actor) -> None:
    if not is_office(actor):
        raise ForbiddenError(workflow.OFFICE.refusal)


def check_year(year) -> int:
    if year is None or int(year) not in YEARS:
        raise DomainError(_("请填写正确的年度。"), field="year")
    return int(year)


def check_not_future(on: date | None, message, field: str) -> None:
    if on is not None and on > timezone.localdate():
        raise DomainError(message, field=field)


# -- Items ------------------------------------------------------------------------------------------


def lock_item(item, *, expected_version: int | None = None) -> tuple[Suggestion, SupervisionItem]:
    """Lock the item's suggestion (every action on a suggestion takes that lock first), then the
    item. A stale ``expected_version`` (the page or API read an older state) is a conflict."""
    pk = getattr(item, "pk", item)
    suggestion = lock_suggestion(SupervisionItem.objects.values_list("suggestion_id", flat=True).get(pk=pk))
    locked = SupervisionItem.objects.select_for_update(of=("self",)).get(pk=pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(_("该督办事项已被他人修改，请刷新页面后重试。"))
    locked.suggestion = suggestion
    return suggestion, locked


def item_payload(item: SupervisionItem, **extra) -> dict:
    return {"item": item.pk, "kind": item.kind, "year": item.year, **extra}


def item_move(
    item: SupervisionItem,
    target: str,
    *,
    suggestion: Suggestion,
    actor,
    event_type: str,
    fields: Iterable[str] = (),
    reason="",
    payload: dict,
) -> None:
    """Move ``item`` to ``target``: save its status with the other ``fields`` the caller has set and
    write the event on its (locked) suggestion, whose own status does not change."""
    item.status = target
    save_fields(item, actor, ["status", *fields])
    record_event(suggestion, event_type, actor, from_status=suggestion.status, reason=reason, payload=payload)


def item_link(item) -> str:
    return reverse("supervision:detail", args=[item.pk])


def work_link() -> str:
    """The handling units' work list, where a re-assigned suggestion shows."""
    return reverse("suggestions:work")
