"""Assignment (交办, DOMAIN §5.3): one suggestion to its units, many at the assignment meeting,
merged handling (并案)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError, ForbiddenError

from .. import workflow
from ..choices import AssignmentRole, AssignmentStatus, SuggestionStatus
from ..choices import SuggestionEventType as E
from ..handling import (
    REMIND_ASSIGN,
    Deadlines,
    after_commit,
    build_assignment,
    context_for,
    iso_date,
    lock_suggestion,
    notify,
    refuse_batch,
    remind_done,
    schedule_assignment_reminders,
    unit_users,
)
from ..models import Assignment, Suggestion, SuggestionEvent
from ..rules import rules_for
from ..workflow import Action, Context
from .checks import check_date_not_future


@dataclass
class AssignmentPlan:
    """How one suggestion is assigned: a lead unit with co-units, or split units (each replies for
    its part). Suggestions sharing a ``merge_group`` are handled together (并案) by the same units."""

    suggestion: Suggestion
    lead: object = None
    co_units: Sequence = ()
    split_units: Sequence = ()
    merge_group: uuid.UUID | None = None
    is_hard: bool | None = None
    units: list = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.units = [
            *([(self.lead, AssignmentRole.LEAD)] if self.lead is not None else []),
            *((unit, AssignmentRole.CO) for unit in self.co_units),
            *((unit, AssignmentRole.SPLIT) for unit in self.split_units),
        ]

    @property
    def unit_key(self) -> frozenset:
        return frozenset((unit.pk, role) for unit, role in self.units)


def new_merge_group() -> uuid.UUID:
    """A fresh 并案 group id for suggestions to be handled together."""
    return uuid.uuid4()


def _check_plan(plan: AssignmentPlan) -> None:
    if plan.lead is not None and plan.split_units:
        raise DomainError(_("主办和分办不能同时使用。"))
    if plan.lead is None and not plan.split_units:
        if plan.co_units:
            raise DomainError(_("协办单位须与主办单位一起交办。"))
        raise DomainError(_("请指定主办单位或分办单位。"))
    if plan.split_units and len(plan.split_units) < 2:
        raise DomainError(_("分办须指定至少两个承办单位；只有一个单位时请作为主办单位交办。"))
    seen = set()
    for unit, _role in plan.units:
        if unit.pk in seen:
            raise DomainError(_("同一单位不能重复交办：{unit}。").format(unit=unit.name))
        seen.add(unit.pk)
        if not unit.is_active:
            raise DomainError(_("承办单位“{unit}”已停用。").format(unit=unit.name))


def _check_merge_group(plan: AssignmentPlan) -> None:
    """并案: suggestions in a group are handled together, so they go to the same units."""
    if plan.merge_group is None:
        return
    existing = (
        Assignment.objects.filter(merge_group=plan.merge_group, parent__isnull=True)
        .exclude(status=AssignmentStatus.CANCELLED)
        .exclude(suggestion_id=plan.suggestion.pk)
        .values_list("suggestion_id", "unit_id", "role")
    )
    by_suggestion: dict[int, set] = {}
    for suggestion_id, unit_id, role in existing:
        by_suggestion.setdefault(suggestion_id, set()).add((unit_id, role))
    if any(frozenset(units) != plan.unit_key for units in by_suggestion.values()):
        raise DomainError(_("并案办理的建议须交办给相同的承办单位。"))


def _assign_plans(
    plans: Sequence[AssignmentPlan], *, actor, deadlines: Deadlines, rules_by_congress: dict
) -> list:
    """Write checked plans in a few bulk queries whatever their number (an assignment meeting hands
    out hundreds): the assignments with their row history, the suggestions' new status with theirs,
    one ``suggestion.assigned`` event each; then queue the reminders."""
    befores, built = [], []
    for plan in plans:
        suggestion = plan.suggestion
        befores.append(suggestion.status)
        if plan.is_hard is not None:
            suggestion.is_hard = plan.is_hard
        rules = rules_by_congress[suggestion.congress_id]
        built.append(
            [
                build_assignment(
                    suggestion,
                    unit,
                    role,
                    actor=actor,
                    deadlines=deadlines,
                    rules=rules,
                    merge_group=plan.merge_group,
                )
                for unit, role in plan.units
            ]
        )
    created = iter(
        bulk_create_with_history(
            [a for group in built for a in group], Assignment, batch_size=500, default_user=actor
        )
    )
    groups = [[next(created) for _assignment in group] for group in built]

    now = timezone.now()
    for plan in plans:
        plan.suggestion.status = SuggestionStatus.ASSIGNED
        plan.suggestion.version += 1
        plan.suggestion.updated_at = now
    bulk_update_with_history(
        [plan.suggestion for plan in plans],
        Suggestion,
        ["status", "is_hard", "version", "updated_at"],
        batch_size=500,
        default_user=actor,
    )
    SuggestionEvent.objects.bulk_create(
        [
            SuggestionEvent(
                suggestion=plan.suggestion,
                type=E.ASSIGNED,
                actor=actor,
                at=now,
                from_status=before,
                to_status=SuggestionStatus.ASSIGNED,
                payload={
                    "on": deadlines.on.isoformat(),
                    "units": [
                        {
                            "assignment": a.pk,
                            "unit": a.unit.name,
                            "role": a.role,
                            "reply_due": iso_date(a.reply_due),
                            "co_input_due": iso_date(a.co_input_due),
                        }
                        for a in group
                    ],
                    "merge_group": str(plan.merge_group) if plan.merge_group else None,
                    "needs_calendar": any(a.needs_calendar for a in group),
                },
            )
            for plan, before, group in zip(plans, befores, groups, strict=True)
        ],
        batch_size=500,
    )
    for plan, group in zip(plans, groups, strict=True):
        remind_done(plan.suggestion, REMIND_ASSIGN)
        for assignment in group:
            schedule_assignment_reminders(assignment, plan.suggestion)
    return [assignment for group in groups for assignment in group]


@transaction.atomic
def suggestion_assign(
    *,
    suggestion,
    actor,
    lead=None,
    co_units: Sequence = (),
    split_units: Sequence = (),
    merge_group: uuid.UUID | None = None,
    is_hard: bool | None = None,
    on: date | None = None,
    expected_version: int | None = None,
) -> list[Assignment]:
    """Assign an accepted suggestion: to a lead unit with co-units (主办+协办), or split between
    units (分办), optionally merged with others (并案, ``merge_group``). Deadlines run from ``on``
    (the assignment date, default today): see ``new_assignment``. Who: the office."""
    on = on or timezone.localdate()
    check_date_not_future(on, timezone.localdate(), _("交办日期不能晚于今天。"))
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    workflow.check_suggestion(suggestion, Action.ASSIGN, actor, context_for(suggestion))
    plan = AssignmentPlan(
        suggestion=suggestion,
        lead=lead,
        co_units=co_units,
        split_units=split_units,
        merge_group=merge_group,
        is_hard=is_hard,
    )
    _check_plan(plan)
    _check_merge_group(plan)
    assignments = _assign_plans(
        [plan],
        actor=actor,
        deadlines=Deadlines(on),
        rules_by_congress={suggestion.congress_id: rules_for(suggestion.congress_id)},
    )
    for assignment in assignments:
        notify(
            unit_users(assignment.unit_id),
            kind="suggestion.assigned",
            title=_("新交办建议（{role}）：{title}").format(
                role=assignment.get_role_display(), title=suggestion.title
            ),
            suggestion=suggestion,
        )
    return assignments


@transaction.atomic
def suggestions_assign_bulk(
    *, plans: Sequence[AssignmentPlan], actor, on: date | None = None
) -> list[Assignment]:
    """Assign many suggestions at once (the assignment meeting, 交办会): all in one transaction, all or
    nothing. Every plan is checked before anything is written; any refusal names the suggestions
    concerned and assigns none. Who: the office."""
    on = on or timezone.localdate()
    check_date_not_future(on, timezone.localdate(), _("交办日期不能晚于今天。"))
    if not is_office(actor):
        raise ForbiddenError(workflow.OFFICE.refusal)
    if not plans:
        raise DomainError(_("请选择要交办的建议。"))
    ids = [plan.suggestion.pk for plan in plans]
    if len(set(ids)) != len(ids):
        raise DomainError(_("同一建议不能在一次交办中出现两次。"))
    locked = {
        suggestion.pk: suggestion
        for suggestion in Suggestion.objects.select_for_update(of=("self",))
        .select_related("lead_mandate__person", "congress", "session")
        .filter(pk__in=ids)
        .order_by("pk")  # one lock order: two bulk assignments cannot deadlock
    }
    rules_by_congress: dict[int, object] = {}
    today = timezone.localdate()
    errors = []
    groups: dict[uuid.UUID, frozenset] = {}
    for index, plan in enumerate(plans, start=1):
        suggestion = locked.get(plan.suggestion.pk)
        try:
            if suggestion is None:
                raise DomainError(_("建议不存在。"))
            plan.suggestion = suggestion
            if suggestion.congress_id not in rules_by_congress:
                rules_by_congress[suggestion.congress_id] = rules_for(suggestion.congress_id)
            rules = rules_by_congress[suggestion.congress_id]
            workflow.check_suggestion(suggestion, Action.ASSIGN, actor, Context(today=today, rules=rules))
            _check_plan(plan)
            if plan.merge_group is not None:
                if groups.setdefault(plan.merge_group, plan.unit_key) != plan.unit_key:
                    raise DomainError(_("并案办理的建议须交办给相同的承办单位。"))
                _check_merge_group(plan)
        except DomainError as error:
            label = suggestion.number_label if suggestion else ""
            errors.append(
                _("第{index}条{label}“{title}”：{message}").format(
                    index=index, label=label, title=plan.suggestion.title, message=error.message
                )
            )
    refuse_batch(errors, _("以下建议不能交办，本次全部未交办：{errors}{more}"))

    assignments = _assign_plans(
        plans, actor=actor, deadlines=Deadlines(on), rules_by_congress=rules_by_congress
    )
    # One notification per unit, not one per suggestion.
    counts: dict[int, int] = {}
    for assignment in assignments:
        counts[assignment.unit_id] = counts.get(assignment.unit_id, 0) + 1
    for unit_id, count in counts.items():
        after_commit(
            "notify",
            recipients=unit_users(unit_id),
            kind="suggestion.assigned_bulk",
            title=str(_("您单位新交办建议{count}件，请及时签收。").format(count=count)),
            body="",
            link=reverse("suggestions:work"),
            target=None,
        )
    return assignments
